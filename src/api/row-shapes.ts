/**
 * Row shapes: how one engine row (an array of values) becomes what
 * better-sqlite3 returns, per statement mode.
 *
 *  - `flat` (default): an object keyed by column name; when two columns share
 *    a name the later value wins and the key keeps its first position.
 *  - `pluck`: the first column's value.
 *  - `expand`: `{ [table]: { [column]: value } }`, with `$` for columns
 *    that come from no table (expressions).
 *  - `raw`: the array itself.
 *
 * Column names are read once per statement and reused for every row.
 */
import type { ColumnDescription, ResultValue } from '../exec/engine-contract.js';

export type RowMode = 'flat' | 'pluck' | 'expand' | 'raw';

/** A row as better-sqlite3 shapes it in the default mode. */
export type RowObject = Record<string, ResultValue>;

export type ShapedRow = RowObject | ResultValue | ResultValue[] | Record<string, RowObject>;

export class RowShaper {
  private names: string[] | null = null;
  private tables: string[] | null = null;

  constructor(private readonly describeColumns: () => ColumnDescription[]) {}

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
    const names = this.names ?? this.loadNames();
    const row: RowObject = {};
    for (let k = 0; k < names.length; k++) row[names[k]] = values[k];
    return row;
  }

  private expand(values: ResultValue[]): Record<string, RowObject> {
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

  private loadNames(): string[] {
    const columns = this.describeColumns();
    this.tables = columns.map((column) => column.table ?? '$');
    return (this.names = columns.map((column) => column.name));
  }
}
