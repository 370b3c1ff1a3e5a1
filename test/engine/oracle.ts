// Runs the same SQL on the engine (through EngineDatabase) and on SQLite
// (better-sqlite3), so tests can assert identical rows, outcomes and errors.
import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import { EngineDatabase } from './engine-database.js';

export type Outcome =
  | { rows: unknown[] }
  | { run: { changes: number; lastInsertRowid: number | bigint } }
  | { error: { code: string; message: string } };

interface Runner {
  exec(sql: string): unknown;
  prepare(sql: string): { reader: boolean; raw(on?: boolean): unknown; all(...p: unknown[]): unknown[]; run(...p: unknown[]): { changes: number; lastInsertRowid: number | bigint } };
}

function outcomeOf(db: Runner, sql: string, params: unknown[]): Outcome {
  try {
    const statement = db.prepare(sql);
    if (statement.reader) {
      statement.raw(true);
      return { rows: statement.all(...params) };
    }
    const result = statement.run(...params);
    return { run: { changes: result.changes, lastInsertRowid: result.lastInsertRowid } };
  } catch (error) {
    const e = error as { code?: string; message: string };
    return { error: { code: e.code ?? 'none', message: e.message } };
  }
}

/** A pair of fresh databases (engine and SQLite) kept in step. */
export class OraclePair {
  readonly engine: EngineDatabase;
  readonly sqlite: Sqlite.Database;

  constructor(enginePath = ':memory:', sqlitePath = ':memory:') {
    this.engine = new EngineDatabase(enginePath);
    this.sqlite = new Sqlite(sqlitePath);
  }

  /** Runs a script on both; each must succeed. */
  setup(sql: string): void {
    this.sqlite.exec(sql);
    this.engine.exec(sql);
  }

  /** Runs one statement on both and asserts the same rows, outcome or error. */
  same(sql: string, ...params: unknown[]): Outcome {
    const expected = outcomeOf(this.sqlite as unknown as Runner, sql, params);
    const actual = outcomeOf(this.engine as unknown as Runner, sql, params);
    assert.deepEqual(actual, expected, sql);
    return actual;
  }

  close(): void {
    this.engine.close();
    this.sqlite.close();
  }
}
