/**
 * Child process for the guard tests. Usage: `guard-child.js <engine> <db>`,
 * then one command per stdin line, one answer line per command: `ok ...`,
 * or `error <code> <message>` when the command threw.
 *
 * Engines: `shoal-single` / `shoal-multi` (the guards composed with
 * openPager as the open path will compose them; `-ro` suffix for read-only),
 * `sqlite` (better-sqlite3, busy timeout 0), `turso-legacy` / `turso-multi`
 * (@tursodatabase/database 0.7.2). Commands: `open`, `insert <text>`
 * (appends a row to table t), `count` (rows of t), `exec <sql>` and
 * `query <sql>` (SQL engines only: run statements / the first row as JSON),
 * `claim` (Shoal multi-process: claim a vacant DMS), `close`.
 */
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { Database as TursoDatabase } from '@tursodatabase/database/compat';
import { BTree, encodeRecord, findTable, readSchema } from '../../src/btree/index.js';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import {
  guardMultiProcessOpen,
  guardSingleProcessOpen,
  type MultiProcessGuard,
  type SingleProcessGuard,
} from '../../src/coord/guards/open-guards.js';
import { openPager } from '../../src/pager/open-pager.js';
import type { Pager } from '../../src/pager/pager.js';

const [engine, path] = process.argv.slice(2) as [string, string];

interface Session {
  insert(text: string): void;
  count(): number;
  exec(sql: string): void;
  query(sql: string): string;
  claim(): boolean;
  close(): void;
}

class ShoalSession implements Session {
  private readonly tree: BTree;

  constructor(
    private readonly pager: Pager,
    private readonly guard: SingleProcessGuard | MultiProcessGuard,
  ) {
    this.tree = new BTree(pager);
  }

  insert(text: string): void {
    this.pager.beginWrite();
    try {
      const cursor = this.tree.openTableCursor(this.rootOfT());
      const rowid = cursor.last() ? Number(cursor.rowid) + 1 : 1;
      cursor.insertRow(rowid, encodeRecord([text]));
      cursor.close();
      this.pager.commit();
    } catch (error) {
      this.pager.rollback();
      throw error;
    }
  }

  count(): number {
    this.pager.beginRead();
    try {
      const cursor = this.tree.openTableCursor(this.rootOfT());
      let rows = 0;
      for (let more = cursor.first(); more; more = cursor.next()) rows++;
      cursor.close();
      return rows;
    } finally {
      this.pager.endRead();
    }
  }

  exec(): void {
    throw new Error('Shoal sessions run no SQL here');
  }

  query(): string {
    throw new Error('Shoal sessions run no SQL here');
  }

  claim(): boolean {
    if (!('claimVacantDeadmanSwitch' in this.guard)) throw new Error('only multi-process guards claim the DMS');
    return this.guard.claimVacantDeadmanSwitch();
  }

  close(): void {
    this.pager.close();
    this.guard.release();
  }

  private rootOfT(): number {
    const table = findTable(readSchema(this.tree), 't');
    if (table === undefined) throw new Error('table t is missing');
    return table.rootPage;
  }
}

function openShoal(multi: boolean, readonly: boolean): Session {
  if (!multi) {
    const guard = guardSingleProcessOpen(path, readonly);
    try {
      return new ShoalSession(openPager(path, { readonly, busyTimeout: 0 }), guard);
    } catch (error) {
      guard.release();
      throw error;
    }
  }
  const guard = guardMultiProcessOpen(path, readonly);
  try {
    const coordination = SharedCoordination.open({ databasePath: path, readOnly: readonly });
    try {
      guard.confirmJoined();
    } catch (error) {
      coordination.close();
      throw error;
    }
    return new ShoalSession(openPager(path, { readonly, busyTimeout: 0, coordination }), guard);
  } catch (error) {
    guard.release();
    throw error;
  }
}

interface SqlEngine {
  prepare(sql: string): { run(...values: unknown[]): unknown; get(): unknown };
  exec(sql: string): unknown;
  close(): unknown;
}

class SqlSession implements Session {
  constructor(private readonly db: SqlEngine) {}

  insert(text: string): void {
    this.db.prepare('INSERT INTO t(v) VALUES (?)').run(text);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  query(sql: string): string {
    return JSON.stringify(this.db.prepare(sql).get() ?? null);
  }

  claim(): boolean {
    throw new Error('only Shoal claims the DMS');
  }

  close(): void {
    this.db.close();
  }
}

function open(): Session {
  switch (engine) {
    case 'shoal-single':
      return openShoal(false, false);
    case 'shoal-single-ro':
      return openShoal(false, true);
    case 'shoal-multi':
      return openShoal(true, false);
    case 'shoal-multi-ro':
      return openShoal(true, true);
    case 'sqlite':
      return new SqlSession(new BetterSqlite3(path, { timeout: 0 }) as unknown as SqlEngine);
    case 'turso-legacy':
      return new SqlSession(new TursoDatabase(path, { timeout: 0 }) as unknown as SqlEngine);
    case 'turso-multi':
      return new SqlSession(new TursoDatabase(path, { timeout: 0, experimental: ['multiprocess_wal'] }) as unknown as SqlEngine);
    default:
      throw new Error(`unknown engine ${engine}`);
  }
}

let session: Session | null = null;

function run(line: string): string {
  const space = line.indexOf(' ');
  const command = space < 0 ? line : line.slice(0, space);
  const argument = space < 0 ? '' : line.slice(space + 1);
  switch (command) {
    case 'open':
      session = open();
      return 'ok';
    case 'insert':
      session!.insert(argument);
      return 'ok';
    case 'count':
      return `ok ${session!.count()}`;
    case 'exec':
      session!.exec(argument);
      return 'ok';
    case 'query':
      return `ok ${session!.query(argument)}`;
    case 'claim':
      return `ok ${session!.claim()}`;
    case 'close':
      session!.close();
      session = null;
      return 'ok';
    default:
      throw new Error(`unknown command ${command}`);
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let answer: string;
  try {
    answer = run(line);
  } catch (error) {
    const code = (error as { code?: unknown }).code ?? 'ERROR';
    answer = `error ${String(code)} ${(error as Error).message.replace(/\n/g, ' ')}`;
  }
  process.stdout.write(`${answer}\n`);
});
