/**
 * The settings every engine runs with, applied the same way to each: WAL,
 * `synchronous` (NORMAL unless a workload asks for FULL), a 16 MB page cache
 * and a 5000 ms busy timeout, all through `pragma()`. Each value is read back
 * afterwards so the report shows what the engine actually runs with; a value
 * an engine did not take is reported, never silently accepted.
 */
import type { BenchDatabase } from './bench-database.js';
import { describeError } from '../harness/describe-error.js';
import { BUSY_TIMEOUT_MS } from './engines.js';

export type SynchronousMode = 'NORMAL' | 'FULL';

/** Setting name → value read back (or the error the engine gave). */
export type EffectiveSettings = Record<string, string>;

export const CACHE_SIZE_KIB = 16000;

const EXPECTED: Record<string, (synchronous: SynchronousMode) => string> = {
  journal_mode: () => 'wal',
  synchronous: (synchronous) => (synchronous === 'FULL' ? '2' : '1'),
  cache_size: () => String(-CACHE_SIZE_KIB),
  busy_timeout: () => String(BUSY_TIMEOUT_MS),
};

export function applySettings(db: BenchDatabase, synchronous: SynchronousMode): EffectiveSettings {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const effective: EffectiveSettings = {};
  for (const [name, expected] of Object.entries(EXPECTED)) {
    effective[name] = readBack(db, name, expected(synchronous));
  }
  return effective;
}

function readBack(db: BenchDatabase, name: string, expected: string): string {
  let value: string;
  try {
    value = firstValue(db.pragma(name));
  } catch (error) {
    return `unreadable (${describeError(error)})`;
  }
  return value.toLowerCase() === expected ? value : `${value} (expected ${expected})`;
}

/** `pragma('x')` gives `[{ x: value }]` in the better-sqlite3 shape; this is `value` as text. */
function firstValue(rows: unknown): string {
  if (!Array.isArray(rows) || rows.length === 0) return 'no value';
  const row: unknown = rows[0];
  if (row !== null && typeof row === 'object') return String(Object.values(row)[0]);
  return String(row);
}
