/**
 * Cross-engine result verification: within one run of one workload, every
 * engine that produced a checksum must have produced the same one. The
 * reference is better-sqlite3 (SQLite itself) when it has a checksum, else
 * the first engine that does; each disagreeing engine is named.
 */
import { BASELINE_ENGINE, type EngineName } from '../engine/engines.js';

export interface ChecksumMismatch {
  readonly engine: EngineName;
  readonly checksum: string;
  readonly reference: EngineName;
  readonly expected: string;
}

export function findChecksumMismatches(checksums: ReadonlyMap<EngineName, string>): ChecksumMismatch[] {
  const reference = checksums.has(BASELINE_ENGINE) ? BASELINE_ENGINE : checksums.keys().next().value;
  if (reference === undefined) return [];
  const expected = checksums.get(reference)!;
  const mismatches: ChecksumMismatch[] = [];
  for (const [engine, checksum] of checksums) {
    if (checksum !== expected) mismatches.push({ engine, checksum, reference, expected });
  }
  return mismatches;
}
