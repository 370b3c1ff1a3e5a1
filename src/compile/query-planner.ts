/**
 * The query planner: splits WHERE and ON into conjunctive terms, finds the
 * terms an index or the rowid can answer, orders the joins, and builds the
 * operator pipeline of nested loops with each term checked at the
 * innermost-but-earliest loop where everything it reads is available.
 *
 * Access paths per base table, cheapest first: rowid equality or IN, an
 * index whose leading columns are all constrained by equality/IN (a unique
 * index fully matched returns one row), a rowid or index range, a full scan.
 * A term is usable on an index column only when SQLite would use it: the
 * comparison's collation is the column's and its affinity does not change
 * how the column compares (sqlite3IndexAffinityOk). The other side may read
 * only tables of earlier loops; a join term can serve the loop on either side. When an inner loop would scan a table for
 * an equality join term on an unindexed column, an automatic (transient)
 * index on that column is a further path (SQLite's AUTOMATIC INDEX).
 *
 * Costs are row estimates without ANALYZE statistics, as SQLite's defaults:
 * a table holds about a million rows, equality on a unique index finds one
 * row and on another index about ten, a range bound keeps a quarter, and
 * each other equality term checked at a loop keeps a quarter of its rows.
 * The join order is chosen by total estimated cost (join-order-search.ts);
 * an entry on the right of a LEFT JOIN never moves before an entry that
 * precedes it. When the query has an ORDER BY, each order is also charged
 * for the sort it leaves to do (scan-order.ts): a scan of an index (or of
 * the table in rowid order, forward or backward) that delivers the rows in
 * the requested order makes the sort unnecessary, and the caller is told
 * how many ORDER BY terms the chosen loops satisfy.
 *
 * The planner also records one EXPLAIN QUERY PLAN line per loop in SQLite's
 * wording ("SCAN t", "SEARCH t USING INDEX i (a=? AND b>?)" — ranges show
 * as > and < whatever their inclusiveness — "SEARCH t USING INTEGER PRIMARY
 * KEY (rowid=?)", "... COVERING INDEX ...", "... AUTOMATIC COVERING INDEX
 * (b=?)" behind "BLOOM FILTER ON t (b=?)", and " LEFT-JOIN" on the loop of
 * a LEFT JOIN's right side).
 */
import type { Expr } from '../sql/ast.js';
import { SqliteError } from '../sqlite-error.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Operator } from '../exec/operator.js';
import { FilterOperator } from '../exec/operators/filter.js';
import { NestedLoopJoin } from '../exec/operators/nested-loop-join.js';
import { FullScan, RowidLookup, RowidRange, type RangeBound } from '../exec/operators/table-scan.js';
import { IndexScan, type RowLocator } from '../exec/operators/index-scan.js';
import { AutomaticIndexLookup } from '../exec/operators/automatic-index.js';
import { keyCollation } from '../exec/value-key.js';
import { IndexEntryCursor, type TableCursor } from '../exec/table-cursor.js';
import { Affinity, applyComparisonAffinity, comparisonAffinity } from '../exec/values/affinity.js';
import type { SqlValue } from '../exec/values/value.js';
import { truthValue } from '../exec/values/conversions.js';
import type { IndexSchema, IndexTerm, TableSchema } from '../schema/schema-objects.js';
import { collationFunction, compileExpr, comparisonCollation, type CompiledExpr, type ExpressionContext } from './expression-compiler.js';
import type { SortKey } from '../exec/operators/row-comparator.js';
import type { FromEntry } from './from-clause.js';
import type { Scope } from './scope.js';
import { ALL_COLUMNS, type ColumnUsage } from './column-usage.js';
import { searchJoinOrder } from './join-order-search.js';
import { matchOrder, UNORDERED, type LoopOrder, type OrderKey, type OrderRequest } from './scan-order.js';

export interface PlanLine {
  readonly depth: number;
  readonly detail: string;
}

interface Term {
  readonly expr: Expr;
  readonly evaluate: Evaluate;
  /** FROM positions the term reads (at this query level). */
  readonly used: Set<number>;
  /** For ON terms of a LEFT JOIN: the entry whose ON clause it is; else -1. */
  readonly onOf: number;
  /** Set when an access path fully enforces the term. */
  consumed: boolean;
  /** The ways an access path can use the term: `column op value` on either side's column. */
  readonly constraints: readonly ColumnConstraint[];
}

/** A term usable by the access path of one entry, through one of its constraints. */
interface Usable {
  readonly term: Term;
  readonly constraint: ColumnConstraint;
}

/** `column op value` in a form an access path can use. */
interface ColumnConstraint {
  readonly entry: number;
  /** Table column index, -1 for the rowid. */
  readonly column: number;
  readonly op: '=' | '<' | '<=' | '>' | '>=' | 'IN';
  /** Values for the probe (one, or an IN list), converted by the comparison affinity. */
  readonly values: () => SqlValue[];
  /** FROM positions the value side reads. */
  readonly valueUsed: Set<number>;
  readonly collation: string;
  readonly affinity: Affinity;
  readonly constant: boolean;
}

interface AccessPlan {
  /** Cost of one run of the loop. */
  readonly cost: number;
  /** One-time cost per execution (building an automatic index). */
  readonly setup: number;
  readonly rows: number;
  /** Builds the loop's operator, walking its order backwards when asked (only if `order.reversible`). */
  readonly build: (backward: boolean) => Operator;
  /** EXPLAIN QUERY PLAN lines of the loop (an automatic index adds its BLOOM FILTER line). */
  readonly details: readonly string[];
  readonly consumed: Term[];
  readonly order: LoopOrder;
}

const TABLE_ROWS = 1_000_000;
/** log2(TABLE_ROWS): comparisons of one B-tree seek. */
const SEEK_COST = 20;
/** Collations an automatic index can key on (value-key.ts knows their equality). */
const HASHABLE_COLLATIONS = new Set(['BINARY', 'NOCASE', 'RTRIM']);

/** Splits an expression into its AND-ed terms. */
export function conjuncts(expr: Expr | null, out: Expr[] = []): Expr[] {
  if (expr === null) return out;
  if (expr.kind === 'Binary' && expr.op === 'AND') {
    conjuncts(expr.left, out);
    conjuncts(expr.right, out);
  } else {
    out.push(expr);
  }
  return out;
}

function withUsed<T>(scope: Scope, run: () => T): { value: T; used: Set<number> } {
  const saved = scope.usedItems;
  const used = new Set<number>();
  scope.usedItems = used;
  try {
    const value = run();
    if (saved !== null) for (const u of used) saved.add(u);
    return { value, used };
  } finally {
    scope.usedItems = saved;
  }
}

export interface JoinPlan {
  readonly operator: Operator;
  readonly lines: PlanLine[];
  /** How many leading terms of the requested order the loops deliver (no sort needed for them). */
  readonly orderSatisfied: number;
}

export interface PlanOptions {
  /** ORDER BY terms the loops may deliver (select-compiler.ts resolves them). */
  readonly order?: OrderRequest;
  /** May inner loops build automatic indexes (SELECT only: the tables do not change while it runs). */
  readonly automaticIndexes?: boolean;
}

/**
 * Plans the loops over `entries` with the WHERE terms `where` and builds the
 * pipeline. `ctx.clause` is set per term kind for error messages.
 */
export function planJoin(
  entries: readonly FromEntry[],
  where: Expr | null,
  scope: Scope,
  ctx: ExpressionContext,
  usage: ColumnUsage = ALL_COLUMNS,
  options: PlanOptions = {},
): JoinPlan {
  const terms: Term[] = [];
  const addTerm = (expr: Expr, onOf: number): void => {
    const { value: compiled, used } = withUsed(scope, () => compileExpr(expr, scope, ctx));
    terms.push({ expr, evaluate: compiled.evaluate, used, onOf, consumed: false, constraints: analyse(expr, scope, ctx, entries) });
  };
  ctx.clause = 'on';
  entries.forEach((entry, i) => {
    for (const on of entry.onTerms) for (const t of conjuncts(on)) addTerm(t, entry.joinType === 'LEFT' ? i : -1);
  });
  ctx.clause = 'where';
  for (const t of conjuncts(where)) addTerm(t, -1);

  if (entries.length === 0) {
    const single = new SingleRow();
    const filters = terms.map((t) => t.evaluate);
    return { operator: filters.length ? new FilterOperator(single, and(filters)) : single, lines: [], orderSatisfied: 0 };
  }

  const request = options.order ?? [];
  const automatic = options.automaticIndexes === true ? ctx : null;
  const step = (i: number, placed: ReadonlySet<number>): AccessPlan[] | null => {
    if (!mayPlace(entries, i, placed)) return null;
    return accessPlans(entries, i, placed, terms, usage, request.length > 0, automatic).map((access) => ({
      ...access,
      rows: Math.max(1, access.rows * checkedTermsFactor(terms, i, placed, access)),
    }));
  };
  const sortCost = (order: readonly number[], plans: readonly AccessPlan[], rows: number): number => {
    if (request.length === 0) return 0;
    const satisfied = matchOrder(request, order.map((entry, level) => ({ entry, order: plans[level].order }))).satisfied;
    if (satisfied >= request.length) return 0;
    const full = rows * Math.log2(rows + 1) * 1.5;
    return satisfied > 0 ? full / 2 : full;
  };
  const { order, plans } = searchJoinOrder(entries.length, step, sortCost);
  for (const plan of plans) for (const t of plan.consumed) t.consumed = true;
  const match = matchOrder(request, order.map((entry, level) => ({ entry, order: plans[level].order })));

  // Build loops, placing each unconsumed term at the first loop where it can run.
  const done = new Set<Term>();
  const available = new Set<number>();
  let pipeline: Operator | null = null;
  const lines: PlanLine[] = [];
  order.forEach((entryIndex, level) => {
    const entry = entries[entryIndex];
    available.add(entryIndex);
    let access = plans[level].build(match.backward[level] === true);
    const isLeft = entry.joinType === 'LEFT';
    const details = plans[level].details;
    details.forEach((detail, k) => lines.push({ depth: 0, detail: isLeft && k === details.length - 1 ? `${detail} LEFT-JOIN` : detail }));
    const innerFilters: Evaluate[] = [];
    const outerFilters: Evaluate[] = [];
    for (const term of terms) {
      if (done.has(term) || !subset(term.used, available)) continue;
      if (term.onOf >= 0 && !available.has(term.onOf)) continue;
      done.add(term);
      if (term.consumed) continue;
      if (isLeft && term.onOf === entryIndex) innerFilters.push(term.evaluate);
      else if (isLeft || readsLeftJoined(term, entries)) outerFilters.push(term.evaluate);
      else innerFilters.push(term.evaluate);
    }
    if (innerFilters.length > 0) access = new FilterOperator(access, and(innerFilters));
    let joined: Operator = pipeline === null ? access : new NestedLoopJoin(pipeline, access, isLeft ? entry.setNullRow : null);
    if (outerFilters.length > 0) joined = new FilterOperator(joined, and(outerFilters));
    pipeline = joined;
  });
  return { operator: pipeline!, lines, orderSatisfied: Math.min(match.satisfied, request.length) };
}

/**
 * The share of a loop's rows left by the terms that become checkable at it
 * and that its access path does not already enforce: a quarter per
 * equality, most of them for any other term.
 */
function checkedTermsFactor(terms: readonly Term[], i: number, placed: ReadonlySet<number>, access: AccessPlan): number {
  let factor = 1;
  for (const term of terms) {
    if (!term.used.has(i) || access.consumed.includes(term)) continue;
    let ready = true;
    for (const u of term.used) if (u !== i && !placed.has(u)) ready = false;
    if (!ready) continue;
    factor *= term.constraints.some((c) => c.op === '=') ? 0.25 : 0.9;
  }
  return factor;
}

/** True when the term reads an entry on the right of a LEFT JOIN (it must run after NULL-row extension). */
function readsLeftJoined(term: Term, entries: readonly FromEntry[]): boolean {
  for (const u of term.used) if (entries[u].joinType === 'LEFT') return true;
  return false;
}

function subset(a: Set<number>, b: ReadonlySet<number>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Entry i may be placed next unless that would move it across a LEFT JOIN boundary. */
function mayPlace(entries: readonly FromEntry[], i: number, placed: ReadonlySet<number>): boolean {
  for (let j = 0; j < i; j++) {
    if (placed.has(j)) continue;
    if (entries[i].joinType === 'LEFT' || entries[j].joinType === 'LEFT') return false;
    for (let k = j + 1; k <= i; k++) if (entries[k].joinType === 'LEFT') return false;
  }
  return true;
}

function and(filters: Evaluate[]): Evaluate {
  if (filters.length === 1) return filters[0];
  return () => {
    let sawNull = false;
    for (const f of filters) {
      const t = truthValue(f());
      if (t === false) return 0;
      if (t === null) sawNull = true;
    }
    return sawNull ? null : 1;
  };
}

/** Recognises `column op value` (either way round) and `column IN (...)` on a base-table entry. */
function analyse(expr: Expr, scope: Scope, ctx: ExpressionContext, entries: readonly FromEntry[]): ColumnConstraint[] {
  if (expr.kind === 'Binary') {
    const op = expr.op;
    if (op !== '=' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return [];
    if (expr.left.kind === 'Vector' || expr.right.kind === 'Vector') return [];
    const left = withUsed(scope, () => compileExpr(expr.left, scope, ctx));
    const right = withUsed(scope, () => compileExpr(expr.right, scope, ctx));
    const out: ColumnConstraint[] = [];
    const fromLeft = constraintOf(left.value, right.value, right.used, op, entries, left.value, right.value);
    if (fromLeft !== null) out.push(fromLeft);
    const fromRight = constraintOf(right.value, left.value, left.used, flip(op), entries, left.value, right.value);
    if (fromRight !== null) out.push(fromRight);
    return out;
  }
  if (expr.kind === 'Between' && !expr.not) return [];
  if (expr.kind === 'InList' && !expr.not && expr.expr.kind !== 'Vector') {
    const column = withUsed(scope, () => compileExpr(expr.expr, scope, ctx));
    const items = withUsed(scope, () => expr.list.map((e) => compileExpr(e, scope, ctx)));
    const target = column.value.column;
    if (target === null || target.depth !== 0 || target.item.table === null) return [];
    if (items.value.length === 0) return [];
    // `x IN (list)` compares under x's own affinity and collation (SQLite's exprINAffinity), whatever the items are.
    const affinity = column.value.affinity;
    const evaluators = items.value.map((i) => i.evaluate);
    const collation = column.value.collation ?? 'BINARY';
    return [{
      entry: target.item.position,
      column: target.columnIndex === -1 ? -1 : target.column.tableColumn,
      op: 'IN',
      values: () => evaluators.map((e) => convert(e(), affinity)),
      valueUsed: items.used,
      collation,
      affinity,
      constant: items.value.every((i) => i.constant),
    }];
  }
  return [];
}

function flip(op: '=' | '<' | '<=' | '>' | '>='): '=' | '<' | '<=' | '>' | '>=' {
  switch (op) {
    case '<':
      return '>';
    case '<=':
      return '>=';
    case '>':
      return '<';
    case '>=':
      return '<=';
    default:
      return op;
  }
}

function convert(v: SqlValue, affinity: Affinity): SqlValue {
  return affinity >= Affinity.NUMERIC ? applyComparisonAffinity(v, affinity, false) : affinity === Affinity.TEXT ? applyComparisonAffinity(v, affinity, true) : v;
}

/** sqlite3IndexAffinityOk: may `column op other` use an index on column? */
function indexUsable(column: CompiledExpr, other: CompiledExpr): boolean {
  const affinity = comparisonAffinity(column.affinity, other.affinity);
  if (affinity === Affinity.BLOB || affinity === Affinity.NONE) return true;
  if (affinity === Affinity.TEXT) return column.affinity === Affinity.TEXT;
  return column.affinity >= Affinity.NUMERIC;
}

function constraintOf(
  columnSide: CompiledExpr,
  valueSide: CompiledExpr,
  valueUsed: Set<number>,
  op: '=' | '<' | '<=' | '>' | '>=',
  entries: readonly FromEntry[],
  left: CompiledExpr,
  right: CompiledExpr,
): ColumnConstraint | null {
  const target = columnSide.column;
  if (target === null || target.depth !== 0 || target.item.table === null) return null;
  const entry = target.item.position;
  if (entries[entry] === undefined || valueUsed.has(entry)) return null;
  if (!indexUsable(columnSide, valueSide)) return null;
  const affinity = comparisonAffinity(columnSide.affinity, valueSide.affinity);
  const collation = comparisonCollation(left, right) ?? 'BINARY';
  const evaluate = valueSide.evaluate;
  const box: SqlValue[] = [null];
  return {
    entry,
    column: target.columnIndex === -1 ? -1 : target.column.tableColumn,
    op,
    values: () => {
      box[0] = convert(evaluate(), affinity);
      return box;
    },
    valueUsed,
    collation,
    affinity,
    constant: valueSide.constant,
  };
}

/**
 * The ways worth considering to read entry `i` given the entries already
 * placed: the cheapest, then (when an order is requested) the other paths
 * that deliver rows in some order.
 */
function accessPlans(
  entries: readonly FromEntry[],
  i: number,
  placed: ReadonlySet<number>,
  terms: Term[],
  usage: ColumnUsage,
  ordered: boolean,
  automatic: ExpressionContext | null,
): AccessPlan[] {
  const entry = entries[i];
  const source = entry.source;
  if (source.kind === 'rows') {
    const operator = source.operator;
    return [{ cost: 1000, setup: 0, rows: 1000, build: () => operator, details: [`SCAN ${entry.planName}`], consumed: [], order: UNORDERED }];
  }
  const table = source.table;
  const used = usage.columnsOf(entry.item.name, table);
  const usable: Usable[] = [];
  for (const term of terms) {
    if (term.onOf === -1 ? entry.joinType === 'LEFT' : term.onOf !== i) continue;
    for (const constraint of term.constraints) {
      if (constraint.entry === i && subset(constraint.valueUsed, placed)) usable.push({ term, constraint });
    }
  }
  const cursor = source.cursor;
  const name = entry.planName;
  const scan: AccessPlan = {
    cost: TABLE_ROWS * 3,
    setup: 0,
    rows: TABLE_ROWS,
    build: (backward) => new FullScan(cursor, backward),
    details: [`SCAN ${name}`],
    consumed: [],
    order: tableOrder(table),
  };
  if (source.notIndexed && source.indexedBy === null) {
    const rowid = rowidPlan(usable, entry, table);
    return rowid === null ? [scan] : ordered ? [rowid, scan] : [rowid];
  }
  const candidates: AccessPlan[] = [];
  if (source.indexedBy === null) {
    const rowid = rowidPlan(usable, entry, table);
    if (rowid !== null) candidates.push(rowid);
  }
  const indexes = table.indexes.filter((index) => source.indexedBy === null || index.name.toLowerCase() === source.indexedBy.toLowerCase());
  if (source.indexedBy !== null && indexes.length === 0) throw new SqliteError(`no such index: ${source.indexedBy}`, 'SQLITE_ERROR');
  for (const index of indexes) {
    const plan = indexPlan(usable, entry, table, index, used);
    if (plan !== null) candidates.push(plan);
  }
  if (table.withoutRowid && table.primaryIndex !== null && source.indexedBy === null) {
    const plan = indexPlan(usable, entry, table, table.primaryIndex, used);
    if (plan !== null) candidates.push(plan);
  }
  const covering = coveringScanPlan(entry, table, indexes, used);
  if (covering !== null) candidates.push(covering);
  if (ordered) candidates.push(...orderedIndexScanPlans(entry, table, indexes, used));
  if (source.indexedBy !== null && candidates.length === 0) throw new SqliteError(`no query solution`, 'SQLITE_ERROR');
  if (automatic !== null && source.indexedBy === null && placed.size > 0) {
    const plan = automaticIndexPlan(usable, terms, i, entry, table, used, automatic);
    if (plan !== null) candidates.push(plan);
  }
  if (source.indexedBy === null) candidates.unshift(scan);
  let best = candidates[0];
  for (const c of candidates) if (c.cost + c.setup < best.cost + best.setup) best = c;
  // A one-time setup pays off only over many outer rows: the search weighs it.
  return [best, ...candidates.filter((c) => c !== best && (c.setup > 0 || (ordered && (c.order.keys.length > 0 || c.order.singleRow))))];
}

/** The order of a full table scan: rowid order, or a WITHOUT ROWID table's primary-key order. */
function tableOrder(table: TableSchema): LoopOrder {
  if (table.withoutRowid) {
    const keys = indexKeys(table.primaryIndex!.keyTerms, 0, table);
    return { singleRow: false, fixed: [], keys: keys.keys, unique: keys.complete, reversible: true };
  }
  return { singleRow: false, fixed: [], keys: [{ column: -1, collation: 'BINARY', descending: false }], unique: true, reversible: true };
}

/** An index's key terms from `from` on as order keys, up to the first expression term (`complete` when none). */
function indexKeys(keyTerms: readonly IndexTerm[], from: number, table: TableSchema): { keys: OrderKey[]; complete: boolean } {
  const keys: OrderKey[] = [];
  for (let k = from; k < keyTerms.length; k++) {
    const term = keyTerms[k];
    if (term.column === -2) return { keys, complete: false };
    keys.push({ column: term.column === table.rowidAlias ? -1 : term.column, collation: term.collation, descending: term.descending });
  }
  return { keys, complete: true };
}

function rowidPlan(usable: readonly Usable[], entry: FromEntry, table: TableSchema): AccessPlan | null {
  if (table.withoutRowid) return null;
  const source = entry.source as Extract<FromEntry['source'], { kind: 'table' }>;
  const cursor = source.cursor;
  const onRowid = usable.filter((t) => t.constraint!.column === -1 || t.constraint!.column === table.rowidAlias && table.rowidAlias >= 0);
  const eq = onRowid.find((t) => t.constraint!.op === '=' || t.constraint!.op === 'IN');
  const rowidKey: OrderKey = { column: -1, collation: 'BINARY', descending: false };
  if (eq !== undefined) {
    const values = eq.constraint!.values;
    const isIn = eq.constraint!.op === 'IN';
    return {
      cost: isIn ? SEEK_COST * 3 : SEEK_COST / 2,
      setup: 0,
      rows: isIn ? 3 : 1,
      build: () => new RowidLookup(cursor, values),
      details: [`SEARCH ${entry.planName} USING INTEGER PRIMARY KEY (rowid=?)`],
      consumed: [eq.term],
      order: isIn ? { singleRow: false, fixed: [], keys: [rowidKey], unique: true, reversible: false } : { singleRow: true, fixed: [], keys: [], unique: true, reversible: false },
    };
  }
  const lower = onRowid.find((t) => t.constraint!.op === '>' || t.constraint!.op === '>=');
  const upper = onRowid.find((t) => t.constraint!.op === '<' || t.constraint!.op === '<=');
  if (lower === undefined && upper === undefined) return null;
  const lowerBound = rangeBound(lower);
  const upperBound = rangeBound(upper);
  const parts: string[] = [];
  if (lower) parts.push('rowid>?');
  if (upper) parts.push('rowid<?');
  const rows = lower && upper ? TABLE_ROWS / 16 : TABLE_ROWS / 4;
  return {
    cost: rows,
    setup: 0,
    rows,
    build: (backward) => new RowidRange(cursor, lowerBound, upperBound, backward),
    details: [`SEARCH ${entry.planName} USING INTEGER PRIMARY KEY (${parts.join(' AND ')})`],
    consumed: [],
    order: { singleRow: false, fixed: [], keys: [rowidKey], unique: true, reversible: true },
  };
}

function rangeBound(t: Usable | undefined): RangeBound | null {
  if (t === undefined) return null;
  const values = t.constraint!.values;
  return { value: () => values()[0], inclusive: t.constraint!.op === '>=' || t.constraint!.op === '<=' };
}

function indexPlan(
  usable: readonly Usable[],
  entry: FromEntry,
  table: TableSchema,
  index: IndexSchema,
  used: Set<number> | null,
): AccessPlan | null {
  if (index.where !== null) return null;
  const source = entry.source as Extract<FromEntry['source'], { kind: 'table' }>;
  const equalities: Usable[] = [];
  const parts: string[] = [];
  let inCount = 0;
  for (const term of index.terms) {
    if (term.column === -2) break;
    const match = usable.find(
      (t) =>
        (t.constraint!.op === '=' || t.constraint!.op === 'IN') &&
        columnMatches(t.constraint!.column, term.column, table) &&
        t.constraint!.collation === term.collation,
    );
    if (match === undefined) break;
    if (match.constraint!.op === 'IN') inCount++;
    equalities.push(match);
    parts.push(`${termName(term.column, table)}=?`);
  }
  let lower: Usable | undefined;
  let upper: Usable | undefined;
  const next = index.terms[equalities.length];
  if (next !== undefined && next.column !== -2 && !next.descending) {
    const ranged = usable.filter((t) => columnMatches(t.constraint!.column, next.column, table) && t.constraint!.collation === next.collation);
    lower = ranged.find((t) => t.constraint!.op === '>' || t.constraint!.op === '>=');
    upper = ranged.find((t) => t.constraint!.op === '<' || t.constraint!.op === '<=');
    if (lower) parts.push(`${termName(next.column, table)}>?`);
    if (upper) parts.push(`${termName(next.column, table)}<?`);
  }
  if (equalities.length === 0 && lower === undefined && upper === undefined) return null;
  const fullUnique = index.unique && equalities.length === index.terms.length && inCount === 0;
  let rows = fullUnique ? 1 : equalities.length > 0 ? 10 * Math.max(1, inCount * 3) : TABLE_ROWS;
  if (lower !== undefined || upper !== undefined) rows = Math.max(1, rows / (lower && upper ? 16 : 4));
  const isPrimary = table.withoutRowid && index === table.primaryIndex;
  const covering = !isPrimary && holdsColumns(index, table, used);
  const cost = rows * (covering || isPrimary ? 1 : 2) + SEEK_COST * Math.max(1, inCount * 3);
  const equalityValues = equalities.map((t) => t.constraint!.values);
  const lowerBound = rangeBound(lower);
  const upperBound = rangeBound(upper);
  const cursor = source.cursor;
  const build = (backward: boolean): Operator => {
    if (isPrimary) {
      return new IndexScan(primaryAsIndex(cursor), cursor, equalityValues, lowerBound, upperBound, { kind: 'covering' }, identityMap(table), backward);
    }
    return indexScan(cursor, table, index, covering, equalityValues, lowerBound, upperBound, backward);
  };
  const kind = isPrimary ? 'PRIMARY KEY' : covering ? `COVERING INDEX ${index.name}` : `INDEX ${index.name}`;
  let order: LoopOrder = UNORDERED;
  if (fullUnique) order = { singleRow: true, fixed: [], keys: [], unique: true, reversible: false };
  else if (inCount === 0) {
    const keys = indexKeys(index.keyTerms, equalities.length, table);
    const fixed = equalities.map((_, k) => ({ column: index.terms[k].column === table.rowidAlias ? -1 : index.terms[k].column, collation: index.terms[k].collation }));
    order = { singleRow: false, fixed, keys: keys.keys, unique: keys.complete, reversible: true };
  }
  return {
    cost,
    setup: 0,
    rows,
    build,
    details: [`SEARCH ${entry.planName} USING ${kind} (${parts.join(' AND ')})`],
    consumed: equalities.map((u) => u.term),
    order,
  };
}

function identityMap(table: TableSchema): Int32Array {
  const map = new Int32Array(table.columns.length);
  table.columns.forEach((c, i) => {
    map[i] = c.storage;
  });
  return map;
}

/** For WITHOUT ROWID tables: an IndexEntryCursor view over the table's own tree. */
function primaryAsIndex(cursor: TableCursor): IndexEntryCursor {
  const table = cursor.table;
  const pk = table.primaryIndex!;
  return new IndexEntryCursor(cursor.storage, () => table.rootPage, pk.keyTerms, -1);
}

function columnMatches(constraintColumn: number, indexColumn: number, table: TableSchema): boolean {
  if (constraintColumn === indexColumn) return true;
  return indexColumn === -1 && constraintColumn === table.rowidAlias;
}

function termName(column: number, table: TableSchema): string {
  return column < 0 ? 'rowid' : table.columns[column].name;
}

/** True when the index holds every column in `used` (null: every column of the table), so no table lookup is needed. */
function holdsColumns(index: IndexSchema, table: TableSchema, used: Set<number> | null): boolean {
  if (index.where !== null) return false;
  for (let c = 0; c < table.columns.length; c++) {
    if (c === table.rowidAlias) continue;
    if (used !== null && !used.has(c)) continue;
    if (!index.keyTerms.some((t) => t.column === c)) return false;
  }
  return true;
}

/** A scan of an index (all entries, or those the probes select), reading the row from the table or from the entry. */
function indexScan(
  cursor: TableCursor,
  table: TableSchema,
  index: IndexSchema,
  covering: boolean,
  equalityValues: (() => SqlValue[])[],
  lowerBound: RangeBound | null,
  upperBound: RangeBound | null,
  backward: boolean,
): Operator {
  const keyTerms = index.keyTerms;
  const indexCursor = new IndexEntryCursor(cursor.storage, () => index.rootPage, keyTerms, keyTerms.length - 1);
  let locator: RowLocator;
  let coverMap: Int32Array | null = null;
  if (covering) {
    locator = { kind: 'covering' };
    coverMap = new Int32Array(table.columns.length).fill(-1);
    keyTerms.forEach((t, k) => {
      if (t.column >= 0 && coverMap![t.column] < 0) coverMap![t.column] = k;
    });
    if (table.rowidAlias >= 0) coverMap[table.rowidAlias] = keyTerms.length - 1;
  } else if (table.withoutRowid) {
    const positions = table.primaryIndex!.keyTerms.map((pk) => keyTerms.findIndex((t) => t.column === pk.column));
    locator = { kind: 'primary-key', positions };
  } else {
    locator = { kind: 'rowid' };
  }
  return new IndexScan(indexCursor, cursor, equalityValues, lowerBound, upperBound, locator, coverMap, backward);
}

/**
 * A full scan of the narrowest covering index, which SQLite prefers to the
 * table when the index has fewer columns than the table (rows are then
 * visited in index order).
 */
function coveringScanPlan(entry: FromEntry, table: TableSchema, indexes: readonly IndexSchema[], used: Set<number> | null): AccessPlan | null {
  if (table.withoutRowid) return null;
  let best: IndexSchema | null = null;
  for (const index of indexes) {
    if (index.terms.length >= table.columns.length || !holdsColumns(index, table, used)) continue;
    if (index.terms.some((t) => t.column === -2)) continue;
    if (best === null || index.terms.length < best.terms.length) best = index;
  }
  return best === null ? null : indexFullScanPlan(entry, table, best, true);
}

/**
 * Full scans of each index, for the order they deliver (an ORDER BY they may
 * satisfy): dearer than a table scan on their own, cheaper than a scan and
 * a sort.
 */
function orderedIndexScanPlans(entry: FromEntry, table: TableSchema, indexes: readonly IndexSchema[], used: Set<number> | null): AccessPlan[] {
  if (table.withoutRowid) return [];
  return indexes.filter((index) => index.where === null && index.terms[0].column !== -2).map((index) => indexFullScanPlan(entry, table, index, holdsColumns(index, table, used)));
}

function indexFullScanPlan(entry: FromEntry, table: TableSchema, index: IndexSchema, covering: boolean): AccessPlan {
  const cursor = (entry.source as Extract<FromEntry['source'], { kind: 'table' }>).cursor;
  const keys = indexKeys(index.keyTerms, 0, table);
  return {
    cost: covering ? (TABLE_ROWS * 3 * Math.min(index.terms.length, table.columns.length)) / table.columns.length : TABLE_ROWS * 5,
    setup: 0,
    rows: TABLE_ROWS,
    build: (backward) => indexScan(cursor, table, index, covering, [], null, null, backward),
    details: [`SCAN ${entry.planName} USING ${covering ? 'COVERING ' : ''}INDEX ${index.name}`],
    consumed: [],
    order: { singleRow: false, fixed: [], keys: keys.keys, unique: keys.complete, reversible: true },
  };
}

/**
 * An automatic index for an inner loop: a transient hash of one column of a
 * rowid table, probed by an equality join term that an index could use
 * (same affinity rules) under a collation value keys know. Built once per
 * execution; SQLite reports it as a covering index behind a Bloom filter,
 * PARTIAL when terms on this table alone restrict the rows it would hold.
 */
function automaticIndexPlan(
  usable: readonly Usable[],
  terms: readonly Term[],
  i: number,
  entry: FromEntry,
  table: TableSchema,
  used: Set<number> | null,
  ctx: ExpressionContext,
): AccessPlan | null {
  if (table.withoutRowid) return null;
  const join = usable.find(
    (t) => t.constraint!.op === '=' && t.constraint!.column >= 0 && t.constraint!.column !== table.rowidAlias && t.constraint!.valueUsed.size > 0 && HASHABLE_COLLATIONS.has(t.constraint!.collation.toUpperCase()),
  );
  if (join === undefined) return null;
  const constraint = join.constraint!;
  const cursor = (entry.source as Extract<FromEntry['source'], { kind: 'table' }>).cursor;
  const collation = keyCollation(constraint.collation.toUpperCase());
  const runtime = ctx.runtime;
  const partial = terms.some(
    (t) => t.used.size === 1 && t.used.has(i) && (entry.joinType === 'LEFT' ? t.onOf === i : t.onOf === -1),
  );
  const column = table.columns[constraint.column].name;
  const entryColumns: number[] = [];
  table.columns.forEach((_, c) => {
    if (c !== constraint.column && c !== table.rowidAlias && (used === null || used.has(c))) entryColumns.push(c);
  });
  const entryOrder: SortKey[] = [...entryColumns, -1].map((c, k) => ({
    index: k,
    collation: c < 0 ? undefined : collationFunction(table.columns[c].collation.toUpperCase()),
    descending: false,
    nullsFirst: true,
  }));
  // SQLite puts a Bloom filter in front of automatic indexes on non-TEXT keys.
  const bloom = table.columns[constraint.column].affinity !== Affinity.TEXT && collation === 0;
  return {
    cost: SEEK_COST + 10,
    setup: TABLE_ROWS * 3 + TABLE_ROWS * SEEK_COST,
    rows: 10,
    build: () => new AutomaticIndexLookup(cursor, constraint.column, collation, constraint.values, runtime, entryColumns, entryOrder),
    details: [...(bloom ? [`BLOOM FILTER ON ${entry.planName} (${column}=?)`] : []), `SEARCH ${entry.planName} USING AUTOMATIC ${partial ? 'PARTIAL ' : ''}COVERING INDEX (${column}=?)`],
    consumed: [join.term],
    order: UNORDERED,
  };
}

/** One row, no columns: the FROM of `SELECT 1`. */
export class SingleRow implements Operator {
  private done = false;
  open(): void {
    this.done = false;
  }
  next(): boolean {
    if (this.done) return false;
    this.done = true;
    return true;
  }
  close(): void {
    this.done = true;
  }
}
