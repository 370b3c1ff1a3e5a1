// A small better-sqlite3-shaped wrapper over the engine contract, so the
// engine's tests (and the sqllogictest run) drive EngineConnection directly,
// independent of the API layer: exec, prepare → run/get/all/iterate/raw.
import { openConnection } from '../../src/exec/open-connection.js';
import type { BindValue, EngineConnection, PreparedStatement, ResultValue } from '../../src/exec/engine-contract.js';

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export class EngineStatement {
  private rawRows = false;
  private safe = false;
  constructor(readonly statement: PreparedStatement) {}

  get reader(): boolean {
    return this.statement.reader;
  }

  raw(toggle = true): this {
    this.rawRows = toggle;
    return this;
  }

  safeIntegers(toggle = true): this {
    this.safe = toggle;
    return this;
  }

  private shape(row: ResultValue[]): unknown {
    if (this.rawRows) return row;
    const names = this.statement.columns().map((c) => c.name);
    const out: Record<string, ResultValue> = {};
    names.forEach((name, i) => {
      out[name] = row[i];
    });
    return out;
  }

  *iterate(...params: BindValue[]): IterableIterator<unknown> {
    const cursor = this.statement.execute(params, this.safe);
    try {
      for (let row = cursor.next(); row !== null; row = cursor.next()) yield this.shape(row);
    } finally {
      cursor.close();
    }
  }

  all(...params: BindValue[]): unknown[] {
    return [...this.iterate(...params)];
  }

  get(...params: BindValue[]): unknown {
    const cursor = this.statement.execute(params, this.safe);
    try {
      const row = cursor.next();
      return row === null ? undefined : this.shape(row);
    } finally {
      cursor.close();
    }
  }

  run(...params: BindValue[]): RunResult {
    const cursor = this.statement.execute(params, this.safe);
    try {
      while (cursor.next() !== null);
    } finally {
      cursor.close();
    }
    const rowid = cursor.outcome.lastInsertRowid;
    return { changes: cursor.outcome.changes, lastInsertRowid: this.safe ? BigInt(rowid) : Number(rowid) };
  }
}

export class EngineDatabase {
  readonly connection: EngineConnection;
  constructor(path = ':memory:', options: { readonly?: boolean; timeout?: number } = {}) {
    this.connection = openConnection(path, { readonly: options.readonly ?? false, fileMustExist: false, timeout: options.timeout ?? 5000, multiProcess: false });
  }

  get inTransaction(): boolean {
    return this.connection.inTransaction;
  }

  prepare(sql: string): EngineStatement {
    const { statement, tail } = this.connection.prepare(sql);
    if (statement === null) throw new RangeError('The supplied SQL string contains no statements');
    if (tail.trim() !== '' && this.connection.prepare(tail).statement !== null) throw new RangeError('The supplied SQL string contains more than one statement');
    return new EngineStatement(statement);
  }

  exec(sql: string): this {
    let rest = sql;
    for (;;) {
      const { statement, tail } = this.connection.prepare(rest);
      if (statement === null) return this;
      new EngineStatement(statement).run();
      rest = tail;
    }
  }

  close(): void {
    this.connection.close();
  }
}
