// Side-by-side comparison with better-sqlite3 (the oracle): run the same
// steps on a Shoal database and on better-sqlite3, then compare what each
// returned or threw (error class, message and code).
import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import Database from '../../src/index.js';

export type Outcome = { value: unknown } | { error: { type: string; message: string; code: unknown } };

export function outcomeOf(action: () => unknown): Outcome {
  try {
    return { value: action() };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { error: { type: error.constructor.name, message: error.message, code: (error as { code?: unknown }).code } };
  }
}

/** Runs `steps` on a fresh in-memory Shoal database and on better-sqlite3, and asserts identical outcomes. */
export function assertSameAsSqlite(steps: (db: Database) => unknown, message?: string): Outcome {
  const shoal = new Database(':memory:');
  const sqlite = new Sqlite(':memory:');
  try {
    const ours = outcomeOf(() => steps(shoal));
    const theirs = outcomeOf(() => steps(sqlite as unknown as Database));
    assert.deepEqual(ours, theirs, message);
    return ours;
  } finally {
    if (shoal.open) shoal.close();
    if (sqlite.open) sqlite.close();
  }
}

/** Asserts that `action` throws an error of class `type` with exactly `message`. */
export function assertThrowsExactly(action: () => unknown, type: string, message: string, code?: string): void {
  const outcome = outcomeOf(action);
  assert.ok('error' in outcome, `expected ${type}: ${message}, but it returned ${String((outcome as { value: unknown }).value)}`);
  assert.equal(outcome.error.type, type);
  assert.equal(outcome.error.message, message);
  if (code !== undefined) assert.equal(outcome.error.code, code);
}
