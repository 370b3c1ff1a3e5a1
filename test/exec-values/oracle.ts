/**
 * Test support: SQLite (through better-sqlite3) as the oracle for value
 * semantics, a seeded random generator, and a pool of tricky values.
 *
 * `oracle(sql, values)` runs `SELECT <expr>, typeof(<expr>)`-shaped SQL
 * with the values bound with their exact storage class (INTEGER as bigint,
 * REAL as number, TEXT, BLOB, NULL) and returns the outcome in the same
 * shape `outcomeOf` gives Shoal's results, so tests compare two strings.
 */
import Database from 'better-sqlite3';
import { SqlReal, typeName, type SqlValue } from '../../src/exec/values/value.js';
import { SqliteError } from '../../src/sqlite-error.js';
import { newFunctionCall, type FunctionCall, type FunctionContext } from '../../src/exec/functions/function-types.js';

export const db: Database.Database = new Database(':memory:');

type Bindable = null | number | bigint | string | Buffer;

/** The better-sqlite3 binding that reproduces a value's storage class. */
export function bindable(v: SqlValue): Bindable {
  if (v === null) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'bigint' || typeof v === 'string') return v;
  if (v instanceof SqlReal) return v.value;
  return Buffer.from(v);
}

function render(value: unknown, type: string): string {
  if (value === null) return `${type}:null`;
  if (typeof value === 'bigint') return `${type}:${value}`;
  if (typeof value === 'number') return `${type}:${Object.is(value, -0) ? '-0' : String(value)}`;
  if (typeof value === 'string') return `${type}:${JSON.stringify(value)}`;
  if (value instanceof Uint8Array) return `${type}:x'${Buffer.from(value).toString('hex')}'`;
  return `${type}:?${String(value)}`;
}

/** Shoal's result (or thrown error) in the comparable outcome form. */
export function outcomeOf(run: () => SqlValue): string {
  try {
    const v = run();
    const type = typeName(v);
    const plain = v instanceof SqlReal ? v.value : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
    return render(plain, type);
  } catch (e) {
    if (e instanceof SqliteError) return `error:${e.message}`;
    throw e;
  }
}

const statements = new Map<string, Database.Statement>();

/** Evaluates `SELECT expr` in SQLite; `expr` uses `?` placeholders for `values`. */
export function oracle(expr: string, values: readonly SqlValue[] = []): string {
  let stmt = statements.get(expr);
  try {
    if (!stmt) {
      stmt = db.prepare(`SELECT v, typeof(v) FROM (SELECT ${expr} AS v)`).raw(true).safeIntegers(true);
      statements.set(expr, stmt);
    }
    const row = stmt.get(...values.map(bindable)) as [unknown, string];
    return render(row[0], row[1]);
  } catch (e) {
    return `error:${(e as Error).message}`;
  }
}

/** Mulberry32: a small seeded generator so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

/** Values chosen to hit SQLite's edge cases in every storage class. */
export const valuePool: SqlValue[] = [
  null,
  0, 1, -1, 2, 3, 7, -7, 10, 255, 1000, -1000, 2147483647, -2147483648, 4294967296,
  9007199254740991, -9007199254740991, 9007199254740992n, 9223372036854775807n, -9223372036854775808n,
  4611686018427387904n, -4611686018427387905n, 1234567890123456789n,
  new SqlReal(0), new SqlReal(-0), new SqlReal(1), new SqlReal(-1), new SqlReal(2), new SqlReal(100),
  new SqlReal(1e20), new SqlReal(-1e20), new SqlReal(9223372036854775808), new SqlReal(4503599627370496),
  0.5, -0.5, 1.5, -2.5, 0.1, 3.14159, 1e-7, 123456.789, new SqlReal(-1e300), 2.5e-300, Infinity, -Infinity,
  '', ' ', '0', '1', '-1', '12', ' 12 ', '12abc', 'abc', '1e3', '1E-2', '0x10', '.5', '5.', '-', '+7',
  '1.5', ' -3.25 ', '9223372036854775807', '9223372036854775808', '-9223372036854775809', '1e400',
  '00012', '1.0', 'Hello', 'hello', 'HELLO', 'héllo', '😀x', '\u{ffff}', 'a b', 'abc ', '%', '_',
  bytes(), bytes(0x31, 0x32), bytes(0x41), bytes(0x00, 0xff), bytes(0x20, 0x35, 0x20),
];

/** A FunctionContext with fixed connection state for tests. */
export const testContext: FunctionContext = {
  lastInsertRowid: () => 0,
  changes: () => 0,
  totalChanges: () => 0,
  currentTimeMs: () => Date.UTC(2024, 0, 15, 12, 30, 45, 123),
};

export function testCall(argCount: number): FunctionCall {
  return newFunctionCall(testContext, argCount);
}

/** SQL text for a value as a literal (for expressions that need literals, not parameters). */
export function literal(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'bigint') return v === -9223372036854775808n ? '(-9223372036854775807-1)' : String(v);
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    if (v === Infinity) return '1e999';
    if (v === -Infinity) return '-1e999';
    return v.toPrecision(17);
  }
  if (typeof v === 'string') return `'${v.split("'").join("''")}'`;
  if (v instanceof SqlReal) {
    if (Object.is(v.value, -0)) return '-0.0';
    return v.value.toExponential(16);
  }
  return `x'${Buffer.from(v).toString('hex')}'`;
}
