/**
 * Shell: the state of one `shoal` session and the running of its input.
 *
 * It owns the open database, the output settings (`.mode`, `.headers`,
 * `.nullvalue`), the timer, and where output goes. Input arrives as text
 * (a one-shot argument, piped standard input, a `.read` file, or lines typed
 * at the prompt); lines that start with `.` outside a statement are
 * dot-commands, everything else is SQL run statement by statement.
 *
 * Errors are reported on stderr in sqlite3's words: `Parse error` when a
 * statement cannot be prepared, `Runtime error` when it fails while running
 * (with SQLite's primary result code in parentheses when it is not plain
 * SQLITE_ERROR), prefixed by "near line N" for piped and file input. The
 * session remembers the first failure's code so one-shot and piped runs can
 * exit with a non-zero status.
 */
import Database, { SqliteError } from '../index.js';
import { writeResult, type OutputSettings } from './output-modes.js';
import { isBlank, splitStatements } from './sql-input.js';
import { ShellOutput } from './shell-output.js';
import type { CellValue } from './value-text.js';

/** How input reached the shell, which decides how errors are worded. */
export type InputKind = 'interactive' | 'piped' | 'one-shot';

export interface ShellSettings extends OutputSettings {
  mode: OutputSettings['mode'];
  headers: boolean;
  nullText: string;
  insertTable: string;
  rowSeparator: string;
}

export type DotCommandResult = 'continue' | 'quit';
export type DotCommandRunner = (shell: Shell, line: string) => DotCommandResult;

export class Shell {
  db: Database;
  databasePath: string;
  readonly settings: ShellSettings = { mode: 'list', headers: false, nullText: '', insertTable: 'table', rowSeparator: '\n' };
  timer = false;
  readonly output = new ShellOutput();
  /** Exit status the session asks for: 0 until something fails. */
  exitCode = 0;
  /** Set by `.exit CODE`. */
  requestedExit: number | null = null;

  constructor(
    databasePath: string,
    readonly: boolean,
    private readonly runDotCommand: DotCommandRunner,
  ) {
    this.databasePath = databasePath;
    this.db = new Database(databasePath, { readonly });
  }

  /** Runs a whole text (piped input, a file, a one-shot argument); returns false when `.quit` ended it. */
  runText(text: string, kind: InputKind): boolean {
    let pending = '';
    let pendingLine = 1;
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index];
      if (isBlank(pending) && line.trimStart().startsWith('.')) {
        pending = '';
        if (this.dotCommand(line.trim()) === 'quit') return false;
        continue;
      }
      if (isBlank(pending)) {
        pending = '';
        pendingLine = index + 1;
      }
      pending += (pending === '' ? '' : '\n') + line;
      const { statements, rest } = splitStatements(pending);
      for (const statement of statements) {
        if (!this.runSql(statement.sql, pendingLine + statement.line - 1, kind) && kind === 'one-shot') return true;
      }
      if (statements.length > 0) {
        pendingLine += countNewlines(pending) - countNewlines(rest);
        pending = rest;
      }
    }
    if (!isBlank(pending)) this.runSql(pending, pendingLine, kind);
    return true;
  }

  /** Runs one dot-command line; errors are reported, never thrown. */
  dotCommand(line: string): DotCommandResult {
    try {
      return this.runDotCommand(this, line);
    } catch (error) {
      this.reportError(`Error: ${messageOf(error)}`, 1);
      return 'continue';
    }
  }

  /** Runs one statement and prints its rows; returns false when it failed. */
  runSql(sql: string, line: number, kind: InputKind): boolean {
    if (isBlank(sql.replace(/;\s*$/, ''))) return true;
    let statement;
    const started = this.timer ? startTimer() : null;
    try {
      statement = this.db.prepare(sql);
    } catch (error) {
      this.reportSqlError(error, 'prepare', line, kind);
      return false;
    }
    try {
      if (statement.reader) {
        const names = statement.columns().map((column) => column.name);
        const rows = statement.raw(true).safeIntegers(true).iterate() as IterableIterator<CellValue[]>;
        writeResult(this.settings, names, rows, this.output.write);
      } else {
        statement.run();
      }
    } catch (error) {
      this.reportSqlError(error, 'step', line, kind);
      return false;
    } finally {
      if (started !== null) this.output.write(stopTimer(started));
    }
    return true;
  }

  /** Replaces the open database. */
  openDatabase(path: string, readonly: boolean): void {
    const next = new Database(path, { readonly });
    this.db.close();
    this.db = next;
    this.databasePath = path;
  }

  close(): void {
    this.output.close();
    if (this.db.open) this.db.close();
  }

  reportError(message: string, code: number): void {
    this.output.flush();
    process.stderr.write(`${message}\n`);
    if (this.exitCode === 0) this.exitCode = code;
  }

  private reportSqlError(error: unknown, phase: 'prepare' | 'step', line: number, kind: InputKind): void {
    const code = error instanceof SqliteError ? primaryResultCode(error.code) : 1;
    const detail = `${messageOf(error)}${code > 1 ? ` (${code})` : ''}`;
    if (kind === 'one-shot') {
      this.reportError(`Error: ${phase === 'prepare' ? 'in prepare, ' : 'stepping, '}${detail}`, code);
      return;
    }
    const type = phase === 'prepare' ? 'Parse error' : 'Runtime error';
    this.reportError(kind === 'interactive' ? `${type}: ${detail}` : `${type} near line ${line}: ${detail}`, 1);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) count++;
  return count;
}

const PRIMARY_CODES: Record<string, number> = {
  SQLITE_ERROR: 1, SQLITE_INTERNAL: 2, SQLITE_PERM: 3, SQLITE_ABORT: 4, SQLITE_BUSY: 5, SQLITE_LOCKED: 6,
  SQLITE_NOMEM: 7, SQLITE_READONLY: 8, SQLITE_INTERRUPT: 9, SQLITE_IOERR: 10, SQLITE_CORRUPT: 11,
  SQLITE_NOTFOUND: 12, SQLITE_FULL: 13, SQLITE_CANTOPEN: 14, SQLITE_PROTOCOL: 15, SQLITE_EMPTY: 16,
  SQLITE_SCHEMA: 17, SQLITE_TOOBIG: 18, SQLITE_CONSTRAINT: 19, SQLITE_MISMATCH: 20, SQLITE_MISUSE: 21,
  SQLITE_NOLFS: 22, SQLITE_AUTH: 23, SQLITE_FORMAT: 24, SQLITE_RANGE: 25, SQLITE_NOTADB: 26,
};

/** SQLite's primary result code number for an extended code name (`SQLITE_CONSTRAINT_UNIQUE` gives 19). */
export function primaryResultCode(code: string): number {
  const match = /^SQLITE_[A-Z]+/.exec(code);
  return (match && PRIMARY_CODES[match[0]]) || 1;
}

interface TimerStart {
  readonly real: bigint;
  readonly cpu: NodeJS.CpuUsage;
}

function startTimer(): TimerStart {
  return { real: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

/** sqlite3's `.timer` line. */
function stopTimer(start: TimerStart): string {
  const real = Number(process.hrtime.bigint() - start.real) / 1e9;
  const cpu = process.cpuUsage(start.cpu);
  return `Run Time: real ${real.toFixed(3)} user ${(cpu.user / 1e6).toFixed(6)} sys ${(cpu.system / 1e6).toFixed(6)}\n`;
}
