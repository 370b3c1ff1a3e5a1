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
 * only tables of earlier loops. Costs are rough row estimates (no ANALYZE
 * statistics): join order is chosen greedily, cheapest next loop first,
 * and an entry on the right of a LEFT JOIN never moves before an entry that
 * precedes it.
 *
 * The planner also records one EXPLAIN QUERY PLAN line per loop in SQLite's
 * wording ("SCAN t", "SEARCH t USING INDEX i (a=? AND b>?)",
 * "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)", "... COVERING INDEX ...").
 */
import type { Expr } from '../sql/ast.js';
import { SqliteError } from '../sqlite-error.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Operator } from '../exec/operator.js';
import { FilterOperator } from '../exec/operators/filter.js';
import { NestedLoopJoin } from '../exec/operators/nested-loop-join.js';
import { FullScan, RowidLookup, RowidRange, type RangeBound } from '../exec/operators/table-scan.js';
import { IndexScan, type RowLocator } from '../exec/operators/index-scan.js';
import { IndexEntryCursor, type TableCursor } from '../exec/table-cursor.js';
import { Affinity, applyComparisonAffinity, comparisonAffinity } from '../exec/values/affinity.js';
import type { SqlValue } from '../exec/values/value.js';
import { truthValue } from '../exec/values/conversions.js';
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';
import { compileExpr, comparisonCollation, type CompiledExpr, type ExpressionContext } from './expression-compiler.js';
import type { FromEntry } from './from-clause.js';
import type { Scope } from './scope.js';
import { ALL_COLUMNS, type ColumnUsage } from './column-usage.js';

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
  readonly constraint: ColumnConstraint | null;
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
  readonly cost: number;
  readonly rows: number;
  readonly build: () => Operator;
  readonly detail: string;
  readonly consumed: Term[];
}

const TABLE_ROWS = 1_000_000;

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
}

/**
 * Plans the loops over `entries` with the WHERE terms `where` and builds the
 * pipeline. `ctx.clause` is set per term kind for error messages.
 */
export function planJoin(entries: readonly FromEntry[], where: Expr | null, scope: Scope, ctx: ExpressionContext, usage: ColumnUsage = ALL_COLUMNS): JoinPlan {
  const terms: Term[] = [];
  const addTerm = (expr: Expr, onOf: number): void => {
    const { value: compiled, used } = withUsed(scope, () => compileExpr(expr, scope, ctx));
    terms.push({ expr, evaluate: compiled.evaluate, used, onOf, consumed: false, constraint: analyse(expr, scope, ctx, entries) });
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
    return { operator: filters.length ? new FilterOperator(single, and(filters)) : single, lines: [] };
  }

  // Greedy join order.
  const order: number[] = [];
  const placed = new Set<number>();
  const plans: AccessPlan[] = [];
  while (order.length < entries.length) {
    let best = -1;
    let bestPlan: AccessPlan | null = null;
    for (let i = 0; i < entries.length; i++) {
      if (placed.has(i) || !mayPlace(entries, i, placed)) continue;
      const plan = accessPlan(entries, i, placed, terms, usage);
      if (bestPlan === null || plan.cost < bestPlan.cost) {
        best = i;
        bestPlan = plan;
      }
    }
    order.push(best);
    placed.add(best);
    plans.push(bestPlan!);
    for (const t of bestPlan!.consumed) t.consumed = true;
  }

  // Build loops, placing each unconsumed term at the first loop where it can run.
  const done = new Set<Term>();
  const available = new Set<number>();
  let pipeline: Operator | null = null;
  const lines: PlanLine[] = [];
  order.forEach((entryIndex, level) => {
    const entry = entries[entryIndex];
    available.add(entryIndex);
    let access = plans[level].build();
    lines.push({ depth: 0, detail: plans[level].detail });
    const isLeft = entry.joinType === 'LEFT';
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
  return { operator: pipeline!, lines };
}

/** True when the term reads an entry on the right of a LEFT JOIN (it must run after NULL-row extension). */
function readsLeftJoined(term: Term, entries: readonly FromEntry[]): boolean {
  for (const u of term.used) if (entries[u].joinType === 'LEFT') return true;
  return false;
}

function subset(a: Set<number>, b: Set<number>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Entry i may be placed next unless that would move it across a LEFT JOIN boundary. */
function mayPlace(entries: readonly FromEntry[], i: number, placed: Set<number>): boolean {
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
function analyse(expr: Expr, scope: Scope, ctx: ExpressionContext, entries: readonly FromEntry[]): ColumnConstraint | null {
  if (expr.kind === 'Binary') {
    const op = expr.op;
    if (op !== '=' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return null;
    if (expr.left.kind === 'Vector' || expr.right.kind === 'Vector') return null;
    const left = withUsed(scope, () => compileExpr(expr.left, scope, ctx));
    const right = withUsed(scope, () => compileExpr(expr.right, scope, ctx));
    const fromLeft = constraintOf(left.value, right.value, right.used, op, entries, left.value, right.value);
    if (fromLeft !== null) return fromLeft;
    return constraintOf(right.value, left.value, left.used, flip(op), entries, left.value, right.value);
  }
  if (expr.kind === 'Between' && !expr.not) return null;
  if (expr.kind === 'InList' && !expr.not && expr.expr.kind !== 'Vector') {
    const column = withUsed(scope, () => compileExpr(expr.expr, scope, ctx));
    const items = withUsed(scope, () => expr.list.map((e) => compileExpr(e, scope, ctx)));
    const target = column.value.column;
    if (target === null || target.depth !== 0 || target.item.table === null) return null;
    if (items.value.length === 0) return null;
    // `x IN (list)` compares under x's own affinity and collation (SQLite's exprINAffinity), whatever the items are.
    const affinity = column.value.affinity;
    const evaluators = items.value.map((i) => i.evaluate);
    const collation = column.value.collation ?? 'BINARY';
    return {
      entry: target.item.position,
      column: target.columnIndex === -1 ? -1 : target.column.tableColumn,
      op: 'IN',
      values: () => evaluators.map((e) => convert(e(), affinity)),
      valueUsed: items.used,
      collation,
      affinity,
      constant: items.value.every((i) => i.constant),
    };
  }
  return null;
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

/** The best way to read entry `i` given the entries already placed. */
function accessPlan(entries: readonly FromEntry[], i: number, placed: Set<number>, terms: Term[], usage: ColumnUsage): AccessPlan {
  const entry = entries[i];
  const source = entry.source;
  if (source.kind === 'rows') {
    const operator = source.operator;
    return { cost: 1000, rows: 1000, build: () => operator, detail: `SCAN ${entry.planName}`, consumed: [] };
  }
  const table = source.table;
  const used = usage.columnsOf(entry.item.name, table);
  const usable = terms.filter(
    (t) =>
      t.constraint !== null &&
      t.constraint.entry === i &&
      subset(t.constraint.valueUsed, placed) &&
      (t.onOf === -1 ? entry.joinType !== 'LEFT' : t.onOf === i),
  );
  const cursor = source.cursor;
  const name = entry.planName;
  const scan: AccessPlan = {
    cost: TABLE_ROWS * 3,
    rows: TABLE_ROWS,
    build: () => new FullScan(cursor, false),
    detail: `SCAN ${name}`,
    consumed: [],
  };
  if (source.notIndexed && source.indexedBy === null) return rowidPlan(usable, entry, table) ?? scan;
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
  if (source.indexedBy !== null && candidates.length === 0) throw new SqliteError(`no query solution`, 'SQLITE_ERROR');
  let best = source.indexedBy !== null ? candidates[0] : scan;
  for (const c of candidates) if (c.cost < best.cost) best = c;
  return best;
}

function rowidPlan(usable: Term[], entry: FromEntry, table: TableSchema): AccessPlan | null {
  if (table.withoutRowid) return null;
  const source = entry.source as Extract<FromEntry['source'], { kind: 'table' }>;
  const cursor = source.cursor;
  const onRowid = usable.filter((t) => t.constraint!.column === -1 || t.constraint!.column === table.rowidAlias && table.rowidAlias >= 0);
  const eq = onRowid.find((t) => t.constraint!.op === '=' || t.constraint!.op === 'IN');
  if (eq !== undefined) {
    const values = eq.constraint!.values;
    const isIn = eq.constraint!.op === 'IN';
    return {
      cost: isIn ? 10 : 1,
      rows: 1,
      build: () => new RowidLookup(cursor, values),
      detail: `SEARCH ${entry.planName} USING INTEGER PRIMARY KEY (rowid=?)`,
      consumed: [eq],
    };
  }
  const lower = onRowid.find((t) => t.constraint!.op === '>' || t.constraint!.op === '>=');
  const upper = onRowid.find((t) => t.constraint!.op === '<' || t.constraint!.op === '<=');
  if (lower === undefined && upper === undefined) return null;
  const bound = (t: Term | undefined): RangeBound | null => {
    if (t === undefined) return null;
    const values = t.constraint!.values;
    return { value: () => values()[0], inclusive: t.constraint!.op === '>=' || t.constraint!.op === '<=' };
  };
  const lowerBound = bound(lower);
  const upperBound = bound(upper);
  const parts: string[] = [];
  if (lower) parts.push(`rowid${lower.constraint!.op}?`);
  if (upper) parts.push(`rowid${upper.constraint!.op}?`);
  return {
    cost: lower && upper ? TABLE_ROWS / 16 : TABLE_ROWS / 4,
    rows: lower && upper ? TABLE_ROWS / 16 : TABLE_ROWS / 4,
    build: () => new RowidRange(cursor, lowerBound, upperBound),
    detail: `SEARCH ${entry.planName} USING INTEGER PRIMARY KEY (${parts.join(' AND ')})`,
    consumed: [],
  };
}

function indexPlan(
  usable: Term[],
  entry: FromEntry,
  table: TableSchema,
  index: IndexSchema,
  used: Set<number> | null,
): AccessPlan | null {
  if (index.where !== null) return null;
  const source = entry.source as Extract<FromEntry['source'], { kind: 'table' }>;
  const equalities: Term[] = [];
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
  let lower: Term | undefined;
  let upper: Term | undefined;
  const next = index.terms[equalities.length];
  if (next !== undefined && next.column !== -2 && !next.descending) {
    const ranged = usable.filter((t) => columnMatches(t.constraint!.column, next.column, table) && t.constraint!.collation === next.collation);
    lower = ranged.find((t) => t.constraint!.op === '>' || t.constraint!.op === '>=');
    upper = ranged.find((t) => t.constraint!.op === '<' || t.constraint!.op === '<=');
    if (lower) parts.push(`${termName(next.column, table)}${lower.constraint!.op}?`);
    if (upper) parts.push(`${termName(next.column, table)}${upper.constraint!.op}?`);
  }
  if (equalities.length === 0 && lower === undefined && upper === undefined) return null;
  const fullUnique = index.unique && equalities.length === index.terms.length && inCount === 0;
  let rows = fullUnique ? 1 : equalities.length > 0 ? 10 * Math.max(1, inCount * 3) : TABLE_ROWS;
  if (lower !== undefined || upper !== undefined) rows = Math.max(1, rows / (lower && upper ? 16 : 4));
  const isPrimary = table.withoutRowid && index === table.primaryIndex;
  const covering = !isPrimary && holdsColumns(index, table, used);
  const cost = rows * (covering || isPrimary ? 1 : 2) + 20;
  const equalityValues = equalities.map((t) => t.constraint!.values);
  const bound = (t: Term | undefined): RangeBound | null => {
    if (t === undefined) return null;
    const values = t.constraint!.values;
    return { value: () => values()[0], inclusive: t.constraint!.op === '>=' || t.constraint!.op === '<=' };
  };
  const lowerBound = bound(lower);
  const upperBound = bound(upper);
  const cursor = source.cursor;
  const build = (): Operator => {
    if (isPrimary) {
      return new IndexScan(primaryAsIndex(cursor), cursor, equalityValues, lowerBound, upperBound, { kind: 'covering' }, identityMap(table));
    }
    return indexScan(cursor, table, index, covering, equalityValues, lowerBound, upperBound);
  };
  const kind = isPrimary ? 'PRIMARY KEY' : covering ? `COVERING INDEX ${index.name}` : `INDEX ${index.name}`;
  return {
    cost,
    rows,
    build,
    detail: `SEARCH ${entry.planName} USING ${kind} (${parts.join(' AND ')})`,
    consumed: equalities,
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
  return new IndexScan(indexCursor, cursor, equalityValues, lowerBound, upperBound, locator, coverMap);
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
  if (best === null) return null;
  const index = best;
  const cursor = (entry.source as Extract<FromEntry['source'], { kind: 'table' }>).cursor;
  return {
    cost: (TABLE_ROWS * 3 * index.terms.length) / table.columns.length,
    rows: TABLE_ROWS,
    build: () => indexScan(cursor, table, index, true, [], null, null),
    detail: `SCAN ${entry.planName} USING COVERING INDEX ${index.name}`,
    consumed: [],
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
