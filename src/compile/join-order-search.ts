/**
 * Join order search: picks the order of the loops of a join by estimated
 * cost. A loop's access path (and so its cost) depends on which loops run
 * before it; the total cost of an order is the sum over loops of
 * (rows the outer loops produce) × (cost of one run of the loop) plus each
 * loop's one-time setup cost, plus whatever `finish` adds for the whole
 * order (a sort the order leaves to do).
 *
 * Up to EXHAUSTIVE_LIMIT loops every permitted order is costed (with
 * branch-and-bound pruning and the per-(loop, outer set) access paths
 * memoized); beyond it, the cheapest next loop is chosen greedily. Ties keep
 * the FROM clause order. `step` returns the candidate access paths of a
 * loop given the loops before it (the cheapest, and others that deliver a
 * useful row order), or null when the loop may not run next (LEFT JOIN
 * constraints).
 */
import { SqliteError } from '../sqlite-error.js';

export interface LoopEstimate {
  /** Cost of one run of the loop. */
  readonly cost: number;
  /** One-time cost per statement execution (building a transient index). */
  readonly setup: number;
  /** Rows one run yields after the terms that become checkable at it. */
  readonly rows: number;
}

export const EXHAUSTIVE_LIMIT = 6;

export interface JoinOrder<P extends LoopEstimate> {
  readonly order: number[];
  readonly plans: P[];
}

export function searchJoinOrder<P extends LoopEstimate>(
  count: number,
  step: (entry: number, placed: ReadonlySet<number>) => readonly P[] | null,
  finish: (order: readonly number[], plans: readonly P[], rows: number) => number,
): JoinOrder<P> {
  const memo = new Map<number, readonly P[] | null>();
  const placed = new Set<number>();
  let mask = 0;
  const stepAt = (entry: number): readonly P[] | null => {
    const key = mask * 32 + entry;
    let plan = memo.get(key);
    if (plan === undefined) {
      plan = step(entry, placed);
      memo.set(key, plan);
    }
    return plan;
  };
  if (count > EXHAUSTIVE_LIMIT) return greedy(count, step);

  let best: JoinOrder<P> | null = null;
  let bestCost = Infinity;
  const order: number[] = [];
  const plans: P[] = [];
  const visit = (cost: number, rows: number): void => {
    if (cost >= bestCost) return;
    if (order.length === count) {
      const total = cost + finish(order, plans, rows);
      if (total < bestCost) {
        bestCost = total;
        best = { order: [...order], plans: [...plans] };
      }
      return;
    }
    for (let entry = 0; entry < count; entry++) {
      if (placed.has(entry)) continue;
      const alternatives = stepAt(entry);
      if (alternatives === null) continue;
      for (const plan of alternatives) {
        order.push(entry);
        plans.push(plan);
        placed.add(entry);
        mask |= 1 << entry;
        visit(cost + rows * plan.cost + plan.setup, Math.max(1, rows * plan.rows));
        mask &= ~(1 << entry);
        placed.delete(entry);
        plans.pop();
        order.pop();
      }
    }
  };
  visit(0, 1);
  if (best === null) throw new SqliteError('no query solution', 'SQLITE_ERROR');
  return best;
}

function greedy<P extends LoopEstimate>(count: number, step: (entry: number, placed: ReadonlySet<number>) => readonly P[] | null): JoinOrder<P> {
  const placed = new Set<number>();
  const order: number[] = [];
  const plans: P[] = [];
  let rows = 1;
  while (order.length < count) {
    let bestEntry = -1;
    let bestPlan: P | null = null;
    let bestCost = Infinity;
    for (let entry = 0; entry < count; entry++) {
      if (placed.has(entry)) continue;
      const alternatives = step(entry, placed);
      if (alternatives === null) continue;
      for (const plan of alternatives) {
        const cost = rows * plan.cost + plan.setup;
        if (cost < bestCost) {
          bestEntry = entry;
          bestPlan = plan;
          bestCost = cost;
        }
      }
    }
    if (bestPlan === null) throw new SqliteError('no query solution', 'SQLITE_ERROR');
    order.push(bestEntry);
    plans.push(bestPlan);
    placed.add(bestEntry);
    rows = Math.max(1, rows * bestPlan.rows);
  }
  return { order, plans };
}
