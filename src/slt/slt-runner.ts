/**
 * Runs parsed sqllogictest records against a better-sqlite3-shaped database
 * (Shoal's own `Database`, or better-sqlite3 itself to validate the harness)
 * and counts what passed and failed.
 *
 * Every record that runs counts once: a statement passes when it succeeds
 * (`statement ok`) or fails (`statement error`) as expected; a query passes
 * when its rendered values, or their hash, equal the expected ones, and when
 * it agrees with earlier queries of the same label. Records whose conditions
 * exclude the engine are skipped; `halt` stops the script.
 *
 * Like the reference harness, a query that fails while it is being prepared
 * fails the record, but an error raised while stepping through rows (such as
 * `integer overflow` from `sum()`) ends the result at the rows read so far.
 */
import { appliesTo, type QueryRecord, type SltRecord } from './slt-script.js';
import { hashValues, renderResult, type ResultCell } from './slt-values.js';

/** The part of better-sqlite3's API the harness needs. */
export interface SltDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): { raw(toggle?: boolean): { iterate(): IterableIterator<unknown> } };
}

export interface SltFailure {
  readonly line: number;
  readonly sql: string;
  readonly reason: string;
}

export interface SltOutcome {
  passed: number;
  failed: number;
  skipped: number;
  failures: SltFailure[];
}

/** The engine name scripts test with `skipif`/`onlyif`: Shoal speaks SQLite's dialect. */
export const SLT_ENGINE = 'sqlite';

export function runSltRecords(db: SltDatabase, records: readonly SltRecord[]): SltOutcome {
  const outcome: SltOutcome = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const labelHashes = new Map<string, string>();
  let hashThreshold = 0;

  const fail = (line: number, sql: string, reason: string): void => {
    outcome.failed++;
    outcome.failures.push({ line, sql, reason });
  };

  for (const record of records) {
    if (!appliesTo(record.conditions, SLT_ENGINE)) {
      if (record.kind === 'statement' || record.kind === 'query') outcome.skipped++;
      continue;
    }
    if (record.kind === 'halt') break;
    if (record.kind === 'hash-threshold') {
      hashThreshold = record.threshold;
      continue;
    }
    if (record.kind === 'statement') {
      let error: unknown = null;
      try {
        db.exec(record.sql);
      } catch (caught) {
        error = caught;
      }
      if (record.expectError && error === null) fail(record.line, record.sql, 'statement succeeded but an error was expected');
      else if (!record.expectError && error !== null) fail(record.line, record.sql, `statement failed: ${describe(error)}`);
      else outcome.passed++;
      continue;
    }
    const reason = checkQuery(db, record, hashThreshold, labelHashes);
    if (reason === null) outcome.passed++;
    else fail(record.line, record.sql, reason);
  }
  return outcome;
}

function checkQuery(db: SltDatabase, record: QueryRecord, hashThreshold: number, labelHashes: Map<string, string>): string | null {
  let iterator: IterableIterator<unknown>;
  try {
    iterator = db.prepare(record.sql).raw(true).iterate();
  } catch (error) {
    return `query failed: ${describe(error)}`;
  }
  const rows: ResultCell[][] = [];
  try {
    for (const row of iterator) rows.push(row as ResultCell[]);
  } catch {
    // A runtime error ends the result here, as in the reference harness.
  }
  const width = rows.length > 0 ? rows[0].length : record.types.length;
  if (width !== record.types.length) return `expected ${record.types.length} columns, got ${width}`;

  const values = renderResult(rows, record.types, record.sortMode);
  const hash = hashValues(values);
  if (record.label !== null) {
    const earlier = labelHashes.get(record.label);
    if (earlier === undefined) labelHashes.set(record.label, hash);
    else if (earlier !== hash) return `result differs from earlier queries labelled ${record.label}`;
  }

  const expected = record.expected;
  if (expected.kind === 'hash') {
    if (values.length !== expected.count || hash !== expected.md5) {
      return `expected ${expected.count} values hashing to ${expected.md5}, got ${values.length} values hashing to ${hash}`;
    }
    return null;
  }
  const useHash = hashThreshold > 0 && values.length > hashThreshold;
  if (useHash ? hashValues(expected.values) !== hash : !sameValues(expected.values, values)) {
    return `expected [${preview(expected.values)}], got [${preview(values)}]`;
  }
  return null;
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function preview(values: readonly string[]): string {
  const shown = values.slice(0, 12).join(', ');
  return values.length > 12 ? `${shown}, ... (${values.length} values)` : shown;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
