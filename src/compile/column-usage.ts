/**
 * Which columns of each FROM table a query may read, found from its syntax
 * before anything is compiled, so the planner can tell when an index holds
 * every column a query needs (a covering index: no table lookups).
 *
 * The answer over-approximates, which only costs a missed covering index:
 * every column reference anywhere in the statement's parts (subqueries
 * included, since they may be correlated) counts for each table that has a
 * column of that name and whose name matches the qualifier, if any; a
 * USING column counts as an unqualified reference; `*` and NATURAL joins
 * read every column of every table, `t.*` every column of t.
 */
import type { Expr, JoinConstraint, JoinOperator, OrderingTerm, SelectCore } from '../sql/ast.js';
import type { TableSchema } from '../schema/schema-objects.js';

export interface ColumnUsage {
  /** Table columns (declaration indexes) the item `name` over `table` may read; null means all of them. */
  columnsOf(name: string, table: TableSchema): Set<number> | null;
}

/** Everything is read (UPDATE/DELETE targets, unknown shapes). */
export const ALL_COLUMNS: ColumnUsage = { columnsOf: () => null };

interface Reference {
  readonly table: string | null;
  readonly column: string;
}

/** Collects references from any syntax subtree. */
function collect(node: unknown, refs: Reference[], stars: Set<string>, state: { star: boolean }): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) collect(child, refs, stars, state);
    return;
  }
  const kind = (node as { kind?: unknown }).kind;
  if (kind === 'ColumnRef') {
    const ref = node as Extract<Expr, { kind: 'ColumnRef' }>;
    refs.push({ table: ref.table ? ref.table.name.toLowerCase() : null, column: ref.column.name.toLowerCase() });
    return;
  }
  if (kind === 'Using') {
    for (const column of (node as Extract<JoinConstraint, { kind: 'Using' }>).columns) refs.push({ table: null, column: column.name.toLowerCase() });
    return;
  }
  if (kind === 'ResultStar' || (kind === 'JoinOperator' && (node as JoinOperator).natural)) state.star = true;
  if (kind === 'ResultTableStar') stars.add((node as { table: { name: string } }).table.name.toLowerCase());
  for (const value of Object.values(node)) if (value !== null && typeof value === 'object') collect(value, refs, stars, state);
}

export function columnUsage(core: SelectCore, orderBy: readonly OrderingTerm[] | null): ColumnUsage {
  const refs: Reference[] = [];
  const stars = new Set<string>();
  const state = { star: false };
  collect([core.columns, core.where, core.groupBy, core.having, core.from, orderBy], refs, stars, state);
  return {
    columnsOf(name: string, table: TableSchema): Set<number> | null {
      const lower = name.toLowerCase();
      if (state.star || stars.has(lower)) return null;
      const used = new Set<number>();
      table.columns.forEach((column, i) => {
        const columnName = column.name.toLowerCase();
        if (refs.some((r) => r.column === columnName && (r.table === null || r.table === lower))) used.add(i);
      });
      return used;
    },
  };
}
