// Compares a query on Shoal and on SQLite (better-sqlite3): the rows, and
// the EXPLAIN QUERY PLAN detail lines (ids differ between the engines, so
// only the details, in order, are compared).
import assert from 'node:assert/strict';
import { OraclePair } from '../engine/oracle.js';

export { OraclePair };

function planDetails(db: { prepare(sql: string): { all(): unknown[] } }, sql: string): string[] {
  return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => (row as { detail: string }).detail);
}

/** Asserts the same plan lines and the same rows (in order) on both engines; returns the plan. */
export function samePlanAndRows(pair: OraclePair, sql: string, ...params: unknown[]): string[] {
  const expected = planDetails(pair.sqlite, sql);
  const actual = planDetails(pair.engine as unknown as { prepare(sql: string): { all(): unknown[] } }, sql);
  assert.deepEqual(actual, expected, `plan of ${sql}`);
  pair.same(sql, ...params);
  return actual;
}

/** The engine's plan lines. */
export function enginePlan(pair: OraclePair, sql: string): string[] {
  return planDetails(pair.engine as unknown as { prepare(sql: string): { all(): unknown[] } }, sql);
}

/** Deterministic rows for `t(a, b, c, d)`: duplicates, NULLs, mixed case text. */
export function fillScript(rows: number): string {
  const values: string[] = [];
  let state = 12345;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const text = (n: number): string => (n === 0 ? 'NULL' : `'${['a', 'B', 'c', 'A', 'b', 'C ', 'x'][n % 7]}${n % 3}'`);
  for (let i = 1; i <= rows; i++) {
    const a = next(10) === 0 ? 'NULL' : String(next(8));
    values.push(`(${a}, ${text(next(20))}, ${next(5) === 0 ? 'NULL' : next(50)}, ${text(next(9))})`);
  }
  return `INSERT INTO t(a, b, c, d) VALUES ${values.join(', ')};`;
}
