/**
 * Name resolution scopes: which FROM items a column name can refer to while
 * one SELECT (or UPDATE/DELETE/trigger body) is being compiled.
 *
 * A scope lists its FROM items in order; each item exposes its columns with
 * the affinity, collation and origin the compiler needs, plus a `read`
 * closure that yields the column's value for the item's current row. Scopes
 * chain to the enclosing query's scope, so a correlated reference simply
 * captures the outer item's `read` closure; the scope records that it was
 * reached from inside (`Scope.correlated`) so the subquery is re-evaluated
 * per outer row instead of once.
 *
 * Resolution follows SQLite: an unqualified name must match exactly one
 * column among the items of the nearest scope that has it ("ambiguous column
 * name: x" otherwise; likewise `t.x` when two items are named `t`), except that columns merged by USING/NATURAL count
 * once; `rowid`, `oid` and `_rowid_` reach a rowid table's key when no
 * column has that name.
 */
import { SqliteError } from '../sqlite-error.js';
import { Affinity } from '../exec/values/affinity.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { TableSchema } from '../schema/schema-objects.js';

export interface ScopeColumn {
  readonly name: string;
  readonly affinity: Affinity;
  /** Collation of the column (BINARY when none was declared). */
  readonly collation: string;
  /** Declared type of the origin column, or null. */
  readonly declaredType: string | null;
  /** Origin table and column (for statement.columns()), or null for expressions. */
  readonly originTable: string | null;
  readonly originColumn: string | null;
  readonly read: Evaluate;
  /** Table column index when the item is a base table (for index planning), else -1. */
  readonly tableColumn: number;
}

export interface ScopeItem {
  /** The name a qualified reference uses (alias, or table name). */
  readonly name: string;
  readonly columns: readonly ScopeColumn[];
  /** Columns of this item hidden from unqualified lookup and `*` because USING/NATURAL merged them into an earlier item. */
  readonly mergedColumns: Set<number>;
  /** The rowid of the current row, for rowid tables. */
  readonly rowid: Evaluate | null;
  readonly table: TableSchema | null;
  /** Position of the item in its FROM clause (for the planner). */
  readonly position: number;
  /** Reachable only as `name.column` (a trigger's NEW and OLD rows). */
  readonly qualifiedOnly?: boolean;
}

export interface ResolvedColumn {
  readonly column: ScopeColumn;
  readonly item: ScopeItem;
  /** -1 when the reference is `rowid`. */
  readonly columnIndex: number;
  /** 0 = the scope being compiled, 1 = its parent, ... */
  readonly depth: number;
}

export class Scope {
  readonly items: ScopeItem[] = [];
  readonly parent: Scope | null;
  /** Set when a nested scope resolved a name in this scope. */
  correlated = false;
  /** FROM positions of this scope that the expression being analysed reads, directly or from a subquery inside it (planner bookkeeping). */
  usedItems: Set<number> | null = null;
  /** Deepest outer scope reached (0 = none) while compiling inside this scope. */
  outerReach = 0;

  constructor(parent: Scope | null) {
    this.parent = parent;
  }

  add(item: ScopeItem): void {
    this.items.push(item);
  }

  /** Resolves `[table.]column`, or returns null when no scope has it. */
  resolve(table: string | null, column: string): ResolvedColumn | null {
    let scope: Scope | null = this;
    let depth = 0;
    while (scope !== null) {
      const found = scope.resolveHere(table, column);
      if (found !== null) {
        if (scope.usedItems !== null) scope.usedItems.add(found.item.position);
        if (depth > 0) {
          scope.correlated = true;
          let inner: Scope | null = this;
          for (let d = 0; d < depth && inner !== null; d++) {
            if (inner.outerReach < depth - d) inner.outerReach = depth - d;
            inner = inner.parent;
          }
        }
        return { ...found, depth };
      }
      scope = scope.parent;
      depth++;
    }
    return null;
  }

  private resolveHere(table: string | null, column: string): { column: ScopeColumn; item: ScopeItem; columnIndex: number } | null {
    const lowerColumn = column.toLowerCase();
    let match: { column: ScopeColumn; item: ScopeItem; columnIndex: number } | null = null;
    if (table !== null) {
      const lowerTable = table.toLowerCase();
      for (const item of this.items) {
        if (item.name.toLowerCase() !== lowerTable) continue;
        const ci = item.columns.findIndex((c) => c.name.toLowerCase() === lowerColumn);
        const found = ci >= 0 ? { column: item.columns[ci], item, columnIndex: ci } : item.rowid !== null && isRowidName(lowerColumn) ? { column: rowidColumn(item), item, columnIndex: -1 } : null;
        if (found === null) continue;
        if (match !== null) throw new SqliteError(`ambiguous column name: ${table}.${column}`, 'SQLITE_ERROR');
        match = found;
      }
      return match;
    }
    for (const item of this.items) {
      if (item.qualifiedOnly === true) continue;
      for (let ci = 0; ci < item.columns.length; ci++) {
        if (item.columns[ci].name.toLowerCase() !== lowerColumn) continue;
        if (item.mergedColumns.has(ci)) continue;
        if (match !== null) throw new SqliteError(`ambiguous column name: ${column}`, 'SQLITE_ERROR');
        match = { column: item.columns[ci], item, columnIndex: ci };
      }
    }
    if (match !== null) return match;
    if (isRowidName(lowerColumn)) {
      for (const item of this.items) {
        if (item.rowid === null || item.qualifiedOnly === true) continue;
        if (match !== null) throw new SqliteError(`ambiguous column name: ${column}`, 'SQLITE_ERROR');
        match = { column: rowidColumn(item), item, columnIndex: -1 };
      }
    }
    return match;
  }

  /** True when some scope has an item named `table`. */
  hasItem(table: string): boolean {
    const lower = table.toLowerCase();
    for (let scope: Scope | null = this; scope !== null; scope = scope.parent) {
      if (scope.items.some((item) => item.name.toLowerCase() === lower)) return true;
    }
    return false;
  }
}

function isRowidName(lower: string): boolean {
  return lower === 'rowid' || lower === 'oid' || lower === '_rowid_';
}

const rowidColumns = new WeakMap<ScopeItem, ScopeColumn>();

/** The column a rowid reference reads: the INTEGER PRIMARY KEY column when there is one (SQLite names it so). */
function rowidColumn(item: ScopeItem): ScopeColumn {
  const table = item.table;
  if (table !== null && table.rowidAlias >= 0 && item.columns[table.rowidAlias] !== undefined) return item.columns[table.rowidAlias];
  let column = rowidColumns.get(item);
  if (column === undefined) {
    column = {
      name: 'rowid',
      affinity: Affinity.INTEGER,
      collation: 'BINARY',
      declaredType: 'INTEGER',
      originTable: item.table ? item.table.name : null,
      originColumn: 'rowid',
      read: item.rowid as Evaluate,
      tableColumn: -1,
    };
    rowidColumns.set(item, column);
  }
  return column;
}
