/**
 * Automatic index: SQLite's transient index for a join whose inner table has
 * no index on the joined column. On first open in a statement execution (and
 * again if the database was written since), one full scan of the table
 * builds a hash table from the key column's value to the rows holding it;
 * each open then probes it with the join value and positions the table
 * cursor on each matching row. Rows of one key come in the order of SQLite's
 * automatic covering index: by the other columns the query reads (in table
 * column order, each under its collation), then by rowid.
 *
 * Equality is SQLite's `=` under the term's comparison affinity and
 * collation: probe values arrive already converted by the comparison
 * affinity, the key column's own affinity leaves its stored values unchanged
 * under it (the planner checks sqlite3IndexAffinityOk), and keys are built
 * by `valueKey`, under which INTEGER and REAL compare by value and TEXT by
 * the collation (BINARY, NOCASE or RTRIM only). NULL never matches: NULL
 * keys are not stored and a NULL probe finds nothing.
 */
import type { Operator } from '../operator.js';
import type { StatementRuntime } from '../runtime.js';
import type { TableCursor } from '../table-cursor.js';
import { valueKey, type KeyCollation } from '../value-key.js';
import type { SqlValue } from '../values/value.js';
import { rowComparator, type SortKey } from './row-comparator.js';

type Rowid = number | bigint;

const NO_ROWS: readonly Rowid[] = [];

export class AutomaticIndexLookup implements Operator {
  private readonly rowsByKey = new Map<string, Rowid[]>();
  private builtExecution = -1;
  private builtWrites = -1;
  private matches: readonly Rowid[] = NO_ROWS;
  private position = 0;
  private readonly compareEntries: (a: SqlValue[], b: SqlValue[]) => number;

  constructor(
    private readonly table: TableCursor,
    /** Table column index of the key. */
    private readonly keyColumn: number,
    private readonly collation: KeyCollation,
    /** The probe value (a one-element list), converted by the comparison affinity. */
    private readonly probe: () => SqlValue[],
    private readonly runtime: StatementRuntime,
    /** The other columns the index entries hold, in order, with their collations' sort keys. */
    private readonly entryColumns: readonly number[],
    entryOrder: readonly SortKey[],
  ) {
    this.compareEntries = rowComparator(entryOrder);
  }

  open(): void {
    this.table.open();
    const writes = this.table.storage.writes;
    if (this.builtExecution !== this.runtime.execution || this.builtWrites !== writes) this.build(writes);
    const value = this.probe()[0];
    this.matches = value === null ? NO_ROWS : (this.rowsByKey.get(valueKey(value, this.collation)) ?? NO_ROWS);
    this.position = 0;
  }

  private build(writes: number): void {
    const entriesByKey = new Map<string, SqlValue[][]>();
    const table = this.table;
    const column = this.keyColumn;
    const others = this.entryColumns;
    const width = others.length;
    for (let more = table.first(); more; more = table.next()) {
      const value = table.column(column);
      if (value === null) continue;
      const key = valueKey(value, this.collation);
      const entry: SqlValue[] = new Array(width + 1);
      for (let k = 0; k < width; k++) entry[k] = table.column(others[k]);
      entry[width] = table.rowid();
      const list = entriesByKey.get(key);
      if (list === undefined) entriesByKey.set(key, [entry]);
      else list.push(entry);
    }
    const map = this.rowsByKey;
    map.clear();
    for (const [key, entries] of entriesByKey) {
      if (entries.length > 1) entries.sort(this.compareEntries);
      map.set(key, entries.map((e) => e[width] as Rowid));
    }
    this.builtExecution = this.runtime.execution;
    this.builtWrites = writes;
  }

  next(): boolean {
    const matches = this.matches;
    while (this.position < matches.length) {
      if (this.table.seekRowid(matches[this.position++], 'eq')) return true;
    }
    return false;
  }

  close(): void {
    this.position = this.matches.length;
    this.table.close();
  }
}
