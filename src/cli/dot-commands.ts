/**
 * The shell's dot-commands, with sqlite3's names, arguments and output:
 * `.tables`, `.schema`, `.indexes`, `.mode`, `.headers`, `.nullvalue`,
 * `.import`, `.dump`, `.read`, `.output`, `.timer`, `.open`, `.status`,
 * `.print`, `.help`, `.quit`/`.exit`.
 *
 * Arguments are split on spaces; single or double quotes group words. A
 * command sqlite3 has but Shoal does not is reported with sqlite3's
 * "unknown command" message.
 */
import { readFileSync } from 'node:fs';
import { importCsv } from './csv-import.js';
import { OUTPUT_MODES, type OutputMode } from './output-modes.js';
import { coordinationStatus } from './coordination-status.js';
import { createTableText, dumpDatabase } from './sql-dump.js';
import type { DotCommandResult, Shell } from './shell.js';

interface DotCommand {
  readonly usage: string;
  readonly help: string;
  readonly run: (shell: Shell, args: string[]) => DotCommandResult | void;
}

const COMMANDS: Record<string, DotCommand> = {
  dump: { usage: '.dump ?OBJECTS?', help: 'Render database content as SQL', run: (shell, args) => dumpDatabase(shell.db, shell.output.write, args) },
  exit: { usage: '.exit ?CODE?', help: 'Exit this program with return-code CODE', run: (shell, args) => exitShell(shell, args) },
  headers: { usage: '.headers on|off', help: 'Turn display of headers on or off', run: (shell, args) => void (shell.settings.headers = booleanArgument(args, '.headers on|off')) },
  help: { usage: '.help', help: 'Show this message', run: (shell) => shell.output.write(helpText()) },
  import: { usage: '.import FILE TABLE', help: 'Import CSV data from FILE into TABLE', run: runImport },
  indexes: { usage: '.indexes ?TABLE?', help: 'Show names of indexes', run: (shell, args) => listNames(shell, "type = 'index' AND tbl_name LIKE ?", args[0] ?? '%') },
  mode: { usage: '.mode MODE ?TABLE?', help: `Set output mode: ${OUTPUT_MODES.join(' ')}`, run: setMode },
  nullvalue: { usage: '.nullvalue STRING', help: 'Use STRING in place of NULL values', run: (shell, args) => void (shell.settings.nullText = requireArguments(args, 1, '.nullvalue STRING')[0]) },
  open: { usage: '.open ?--readonly? FILE', help: 'Close existing database and reopen FILE', run: runOpen },
  output: { usage: '.output ?FILE?', help: 'Send output to FILE or stdout if FILE is omitted', run: (shell, args) => shell.output.redirect(args[0] ?? null) },
  print: { usage: '.print STRING...', help: 'Print literal STRING', run: (shell, args) => shell.output.write(`${args.join(' ')}\n`) },
  quit: { usage: '.quit', help: 'Exit this program', run: () => 'quit' },
  read: { usage: '.read FILE', help: 'Read input from FILE', run: runRead },
  schema: { usage: '.schema ?PATTERN?', help: 'Show the CREATE statements matching PATTERN', run: showSchema },
  status: { usage: '.status', help: 'Show the database file and live multi-process coordination', run: (shell) => shell.output.write(coordinationStatus(shell.db, shell.databasePath)) },
  tables: {
    usage: '.tables ?TABLE?',
    help: 'List names of tables matching LIKE pattern TABLE',
    run: (shell, args) => listNames(shell, "type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name LIKE ?", args[0] ?? '%'),
  },
  timer: { usage: '.timer on|off', help: 'Turn SQL timer on or off', run: (shell, args) => void (shell.timer = booleanArgument(args, '.timer on|off')) },
};
const ALIASES: Record<string, string> = { indices: 'indexes', header: 'headers' };

/** Runs one dot-command line against `shell`. */
export function runDotCommand(shell: Shell, line: string): DotCommandResult {
  const [word, ...args] = splitArguments(line.slice(1));
  const name = word === undefined ? '' : (ALIASES[word] ?? word);
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    shell.reportError(`Error: unknown command or invalid arguments:  "${word ?? ''}". Enter ".help" for help`, 1);
    return 'continue';
  }
  return command.run(shell, args) ?? 'continue';
}

function helpText(): string {
  return Object.values(COMMANDS)
    .map((command) => `${command.usage.padEnd(25)}${command.help}\n`)
    .join('');
}

/** Splits a dot-command line into words; quotes group words and `\` escapes inside double quotes. */
export function splitArguments(text: string): string[] {
  const words: string[] = [];
  let k = 0;
  while (k < text.length) {
    while (k < text.length && /\s/.test(text[k])) k++;
    if (k >= text.length) break;
    const quote = text[k];
    if (quote === '"' || quote === "'") {
      let word = '';
      k++;
      while (k < text.length && text[k] !== quote) {
        if (quote === '"' && text[k] === '\\' && k + 1 < text.length) {
          k++;
          word += ({ n: '\n', t: '\t', '\\': '\\', '"': '"' } as Record<string, string>)[text[k]] ?? `\\${text[k]}`;
        } else {
          word += text[k];
        }
        k++;
      }
      words.push(word);
      k++;
    } else {
      const start = k;
      while (k < text.length && !/\s/.test(text[k])) k++;
      words.push(text.slice(start, k));
    }
  }
  return words;
}

function requireArguments(args: string[], count: number, usage: string): string[] {
  if (args.length < count) throw new Error(`Usage: ${usage}`);
  return args;
}

function booleanArgument(args: string[], usage: string): boolean {
  const value = requireArguments(args, 1, usage)[0].toLowerCase();
  if (['on', 'yes', 'true', '1'].includes(value)) return true;
  if (['off', 'no', 'false', '0'].includes(value)) return false;
  throw new Error(`Not a boolean value: "${args[0]}"`);
}

function exitShell(shell: Shell, args: string[]): DotCommandResult {
  if (args.length > 0) shell.requestedExit = Number.parseInt(args[0], 10) || 0;
  return 'quit';
}

function setMode(shell: Shell, args: string[]): void {
  if (args.length === 0) {
    shell.output.write(`current output mode: ${shell.settings.mode}\n`);
    return;
  }
  const mode = args[0].toLowerCase();
  if (!(OUTPUT_MODES as readonly string[]).includes(mode)) {
    throw new Error(`mode should be one of: ${OUTPUT_MODES.join(' ')}`);
  }
  shell.settings.mode = mode as OutputMode;
  shell.settings.rowSeparator = mode === 'csv' ? '\r\n' : '\n';
  if (mode === 'insert') shell.settings.insertTable = args[1] ?? 'table';
}

function runImport(shell: Shell, args: string[]): void {
  let skip = 0;
  const positional: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '--csv') continue;
    if (args[k] === '--skip') skip = Number.parseInt(args[++k] ?? '0', 10) || 0;
    else if (args[k].startsWith('-')) throw new Error(`unknown option: ${args[k]}`);
    else positional.push(args[k]);
  }
  const [file, table] = requireArguments(positional, 2, '.import FILE TABLE');
  importCsv(shell.db, file, table, {
    skip,
    warn: (text) => process.stderr.write(`${text}\n`),
    showProgress: process.stdout.isTTY === true,
  });
}

function runOpen(shell: Shell, args: string[]): void {
  const readonly = args.includes('--readonly');
  const files = args.filter((arg) => !arg.startsWith('--'));
  shell.openDatabase(files[0] ?? ':memory:', readonly);
}

function runRead(shell: Shell, args: string[]): DotCommandResult {
  const [file] = requireArguments(args, 1, '.read FILE');
  return shell.runText(readFileSync(file, 'utf8'), 'piped') ? 'continue' : 'quit';
}

function showSchema(shell: Shell, args: string[]): void {
  const pattern = args[0] ?? '%';
  const rows = shell.db
    .prepare('SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (name LIKE ? OR tbl_name LIKE ?) ORDER BY rowid')
    .all(pattern, pattern) as Array<{ type: string; name: string; sql: string }>;
  for (const row of rows) {
    if (row.type === 'table') shell.output.write(`${createTableText(row.sql)};\n`);
    else if (row.type === 'view') shell.output.write(`${row.sql}${viewColumnsComment(shell, row.name)};\n`);
    else shell.output.write(`${row.sql};\n`);
  }
}

/** sqlite3's `/* view(col,...) *\/` note under a view's definition. */
function viewColumnsComment(shell: Shell, view: string): string {
  try {
    const names = shell.db.prepare(`SELECT * FROM "${view.replace(/"/g, '""')}"`).columns().map((column) => column.name);
    return `\n/* ${view}(${names.join(',')}) */`;
  } catch {
    return '';
  }
}

/** `.tables` / `.indexes`: sorted names in columns, filled top to bottom, like sqlite3. */
function listNames(shell: Shell, condition: string, pattern: string): void {
  const names = shell.db.prepare(`SELECT name FROM sqlite_master WHERE ${condition} ORDER BY 1`).pluck().all(pattern) as string[];
  if (names.length === 0) return;
  const width = Math.max(...names.map((name) => name.length));
  const columns = Math.max(1, Math.floor(80 / (width + 2)));
  const rows = Math.ceil(names.length / columns);
  for (let row = 0; row < rows; row++) {
    let line = '';
    for (let k = row; k < names.length; k += rows) line += `${k === row ? '' : '  '}${names[k].padEnd(width)}`;
    shell.output.write(`${line}\n`);
  }
}
