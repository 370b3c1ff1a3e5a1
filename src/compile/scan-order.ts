/**
 * Scan order: what order the loops of a join deliver their rows in, and how
 * much of an ORDER BY that order already satisfies (SQLite's
 * wherePathSatisfiesOrderBy, in a simpler form).
 *
 * Each loop describes its order as the key sequence its rows come in (the
 * rowid for a table scan, an index's terms after its equality-constrained
 * prefix), whether that sequence can be walked backwards, the columns its
 * equality terms fix, and whether it yields at most one row per outer row.
 * ORDER BY terms are matched in sequence: a term on a column that is
 * constant for the current loops (a one-row loop, a column fixed by
 * equality under the same collation) is skipped; otherwise it must be the
 * next key of the first loop that yields several rows, with the same
 * collation, the default NULLS placement, and the same direction relation
 * (all matched keys of a loop forward, or all backward). When a loop's key
 * sequence is matched through a unique key (the rowid), its rows are totally
 * ordered and matching continues with the next loop. The result is how many
 * leading ORDER BY terms the loops satisfy; the rest need a sort.
 */

/** One ORDER BY term as the planner sees it: a column of a FROM entry, or null for anything else. */
export interface OrderRequestTerm {
  readonly entry: number;
  /** Table column index, -1 for the rowid (or its alias). */
  readonly column: number;
  readonly collation: string;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export type OrderRequest = readonly (OrderRequestTerm | null)[];

export interface OrderKey {
  readonly column: number;
  readonly collation: string;
  readonly descending: boolean;
}

export interface LoopOrder {
  /** At most one row per outer row (rowid equality, fully matched unique index). */
  readonly singleRow: boolean;
  /** Columns held equal to one value by the loop's equality terms, with the comparison collation. */
  readonly fixed: readonly { readonly column: number; readonly collation: string }[];
  /** The key sequence rows come in when walked forward (empty: no useful order). */
  readonly keys: readonly OrderKey[];
  /** True when the last key is unique per row (the rowid), so the order is total. */
  readonly unique: boolean;
  /** True when the access path can walk its keys backwards. */
  readonly reversible: boolean;
}

export const UNORDERED: LoopOrder = { singleRow: false, fixed: [], keys: [], unique: false, reversible: false };

export interface OrderMatch {
  /** Leading ORDER BY terms the loops satisfy. */
  readonly satisfied: number;
  /** Per loop (join order), whether it must walk backwards. */
  readonly backward: readonly boolean[];
}

const NO_MATCH: OrderMatch = { satisfied: 0, backward: [] };

/** How many leading terms of `request` the loops (entry and order, in join order) satisfy. */
export function matchOrder(request: OrderRequest, loops: readonly { readonly entry: number; readonly order: LoopOrder }[]): OrderMatch {
  if (request.length === 0 || loops.length === 0) return NO_MATCH;
  const constantEntries = new Set<number>();
  const fixed: { entry: number; column: number; collation: string }[] = [];
  const backward = loops.map(() => false);
  let next = 0;
  const isConstant = (term: OrderRequestTerm): boolean =>
    constantEntries.has(term.entry) ||
    fixed.some((f) => f.entry === term.entry && f.column === term.column && (term.column === -1 || sameCollation(f.collation, term.collation)));
  const skipConstants = (): void => {
    while (next < request.length) {
      const term = request[next];
      if (term === null || !isConstant(term)) return;
      next++;
    }
  };
  for (let level = 0; level < loops.length; level++) {
    const { entry, order } = loops[level];
    for (const f of order.fixed) fixed.push({ entry, column: f.column, collation: f.collation });
    if (order.singleRow) {
      constantEntries.add(entry);
      continue;
    }
    skipConstants();
    if (next >= request.length) break;
    let direction: boolean | null = null;
    let matchedAll = true;
    for (const key of order.keys) {
      skipConstants();
      const term = next < request.length ? request[next] : null;
      if (term === null || term.entry !== entry || term.column !== key.column) {
        matchedAll = false;
        break;
      }
      if (key.column !== -1 && !sameCollation(term.collation, key.collation)) {
        matchedAll = false;
        break;
      }
      if (term.nullsFirst === term.descending && key.column !== -1) {
        matchedAll = false;
        break;
      }
      const reverse = term.descending !== key.descending;
      if (direction === null) {
        if (reverse && !order.reversible) {
          matchedAll = false;
          break;
        }
        direction = reverse;
      } else if (direction !== reverse) {
        matchedAll = false;
        break;
      }
      next++;
    }
    backward[level] = direction === true;
    if (!matchedAll || !order.unique || order.keys.length === 0) break;
    // The loop's rows are totally ordered: its other columns add nothing.
    constantEntries.add(entry);
  }
  skipConstants();
  return { satisfied: next, backward };
}

function sameCollation(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

/** The EXPLAIN QUERY PLAN line for the sort that remains, in SQLite's wording. */
export function sortPlanDetail(satisfied: number, total: number): string {
  if (satisfied === 0) return 'USE TEMP B-TREE FOR ORDER BY';
  const rest = total - satisfied;
  return rest === 1 ? 'USE TEMP B-TREE FOR LAST TERM OF ORDER BY' : `USE TEMP B-TREE FOR LAST ${rest} TERMS OF ORDER BY`;
}
