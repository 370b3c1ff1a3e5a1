/**
 * The affinity of each column of a compound SELECT when it is used as a
 * table (a subquery in FROM, a CTE or a view), as SQLite's
 * sqlite3SubqueryColumnTypes decides it: the affinity of the left-most arm
 * whose expression has one, demoted to BLOB when a later arm can yield the
 * other kind of value (numbers under TEXT affinity, text under a numeric
 * affinity). Such a column of REAL affinity hands out its integers as REALs,
 * as SQLite's OP_RealAffinity does when it reads the column; a numeric
 * affinity over a left-most CAST is SQLite's FLEXNUM, NUMERIC here, which
 * converts nothing. A multi-row VALUES is one arm per row when it leads the
 * compound, and after a UNION one arm yielding values of any kind (SQLite
 * reads it through a co-routine).
 *
 * The data kinds an arm's expression may yield follow sqlite3ExprDataType:
 * a bit mask of 0x01 number, 0x02 text, 0x04 blob.
 */
import type { Expr, ResultColumn } from '../sql/ast.js';
import { Affinity } from '../exec/values/affinity.js';

/** One arm of a compound: its result expressions (null where `*` expands) and their affinities. */
export interface CompoundArm {
  readonly expressions: readonly (Expr | null)[];
  readonly affinities: readonly Affinity[];
  /** The affinity of a column the arm's FROM clause reads (for columns nested in CASE), NONE when unknown. */
  readonly columnAffinity: (ref: Extract<Expr, { kind: 'ColumnRef' }>) => Affinity;
}

const NUMBER = 0x01;
const TEXT = 0x02;
const ANY = 0x07;

/** The expressions of a result list, position by position, or null when `*` makes positions unknown. */
export function resultExpressions(columns: readonly ResultColumn[], width: number): (Expr | null)[] {
  if (columns.some((c) => c.kind !== 'ResultExpr')) return new Array<Expr | null>(width).fill(null);
  return columns.map((c) => (c.kind === 'ResultExpr' ? c.expr : null));
}

function byAffinity(affinity: Affinity): number {
  if (affinity >= Affinity.NUMERIC) return 0x05;
  if (affinity === Affinity.TEXT) return 0x06;
  return ANY;
}

function dataKinds(expr: Expr | null, affinity: Affinity, arm: CompoundArm): number {
  if (expr === null) return byAffinity(affinity);
  switch (expr.kind) {
    case 'Collate':
      return dataKinds(expr.expr, affinity, arm);
    case 'Unary':
      return expr.op === '+' ? dataKinds(expr.operand, affinity, arm) : NUMBER;
    case 'Literal':
      if (expr.type === 'null') return 0;
      if (expr.type === 'string') return TEXT;
      return expr.type === 'blob' ? 0x04 : NUMBER;
    case 'Binary':
      return expr.op === '||' ? 0x06 : NUMBER;
    case 'Parameter':
    case 'FunctionCall':
    case 'Like':
      return ANY;
    case 'ColumnRef':
      return byAffinity(affinity > Affinity.NONE ? affinity : arm.columnAffinity(expr));
    case 'Subquery':
    case 'Cast':
      return byAffinity(affinity);
    case 'Case': {
      let kinds = expr.else === null ? 0 : dataKinds(expr.else, Affinity.NONE, arm);
      for (const when of expr.whens) kinds |= dataKinds(when.then, Affinity.NONE, arm);
      return kinds;
    }
    default:
      return NUMBER;
  }
}

export function compoundColumnAffinities(arms: readonly CompoundArm[], width: number): Affinity[] {
  const out: Affinity[] = [];
  for (let i = 0; i < width; i++) {
    let kinds = 0;
    let arm = 0;
    let affinity = arms[0].affinities[i];
    while (affinity <= Affinity.NONE && arm + 1 < arms.length) {
      kinds |= dataKinds(arms[arm].expressions[i], arms[arm].affinities[i], arms[arm]);
      arm++;
      affinity = arms[arm].affinities[i];
    }
    if (affinity >= Affinity.TEXT) {
      for (let later = arm + 1; later < arms.length; later++) kinds |= dataKinds(arms[later].expressions[i], arms[later].affinities[i], arms[later]);
      if (affinity === Affinity.TEXT && (kinds & NUMBER) !== 0) affinity = Affinity.BLOB;
      else if (affinity >= Affinity.NUMERIC && (kinds & TEXT) !== 0) affinity = Affinity.BLOB;
      // SQLite's FLEXNUM: a numeric affinity over a left-most CAST compares as NUMERIC and converts nothing.
      if (affinity >= Affinity.NUMERIC && arms[0].expressions[i]?.kind === 'Cast') affinity = Affinity.NUMERIC;
    }
    out.push(affinity <= Affinity.NONE ? Affinity.NONE : affinity);
  }
  return out;
}
