/**
 * Row shapes: how one engine row (an array of values) becomes what
 * better-sqlite3 returns, per statement mode.
 *
 *  - `flat` (default): an object keyed by column name; when two columns share
 *    a name the later value wins and the key keeps its first position.
 *  - `pluck`: the first column's value.
 *  - `expand`: `{ [table]: { [column]: value } }`, with `$` for columns
 *    that come from no table (expressions).
 *  - `raw`: the array itself (so it must be one the caller may keep; the
 *    other modes copy the values out and accept a reused array).
 *
 * Column names are read once per statement and reused for every row, until
 * the engine recompiles the statement (a schema change), when they are read
 * again: a re-prepared `SELECT *` shows the table's new columns.
 */
import type { PreparedStatement, ResultValue } from '../exec/engine-contract.js';

export type RowMode = 'flat' | 'pluck' | 'expand' | 'raw';

/** A row as better-sqlite3 shapes it in the default mode. */
export type RowObject = Record<string, ResultValue>;

export type ShapedRow = RowObject | ResultValue | ResultValue[] | Record<string, RowObject>;

export class RowShaper {
  private names: string[] | null = null;
  private tables: string[] | null = null;
  private buildFlat: ((values: ResultValue[]) => RowObject) | null = null;
  /** The statement's `columnsVersion` the names were read at. */
  private namesVersion = -1;

  constructor(private readonly statement: PreparedStatement) {}

  shape(values: ResultValue[], mode: RowMode): ShapedRow {
    switch (mode) {
      case 'raw':
        return values;
      case 'pluck':
        return values[0];
      case 'flat':
        return this.flat(values);
      case 'expand':
        return this.expand(values);
    }
  }

  private flat(values: ResultValue[]): RowObject {
    if (this.namesVersion !== this.statement.columnsVersion) this.forgetNames();
    return (this.buildFlat ?? (this.buildFlat = this.flatBuilder()))(values);
  }

  /**
   * The statement's row constructor: an object literal with the column
   * names as keys (generated once), which V8 builds from a boilerplate
   * several times faster than adding the keys one by one. The names are
   * embedded as JSON string literals; a column named `__proto__` (which a
   * literal would treat as the prototype) takes the key-by-key path.
   */
  private flatBuilder(): (values: ResultValue[]) => RowObject {
    const names = this.names ?? this.loadNames();
    if (names.includes('__proto__')) {
      return (values) => {
        const row: RowObject = {};
        for (let k = 0; k < names.length; k++) Object.defineProperty(row, names[k], { value: values[k], writable: true, enumerable: true, configurable: true });
        return row;
      };
    }
    const fields = names.map((name, k) => `${JSON.stringify(name)}: v[${k}]`).join(', ');
    return new Function('v', `return { ${fields} };`) as (values: ResultValue[]) => RowObject;
  }

  private expand(values: ResultValue[]): Record<string, RowObject> {
    if (this.namesVersion !== this.statement.columnsVersion) this.forgetNames();
    const names = this.names ?? this.loadNames();
    const tables = this.tables as string[];
    const row: Record<string, RowObject> = {};
    for (let k = 0; k < names.length; k++) {
      const table = tables[k];
      const nested = Object.prototype.hasOwnProperty.call(row, table) ? row[table] : (row[table] = {});
      nested[names[k]] = values[k];
    }
    return row;
  }

  private forgetNames(): void {
    this.names = null;
    this.tables = null;
    this.buildFlat = null;
    this.namesVersion = this.statement.columnsVersion;
  }

  private loadNames(): string[] {
    const columns = this.statement.columns();
    this.tables = columns.map((column) => column.table ?? '$');
    return (this.names = columns.map((column) => column.name));
  }
}
