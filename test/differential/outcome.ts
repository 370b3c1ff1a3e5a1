/**
 * Runs one statement on a database (Shoal or better-sqlite3, same API) and
 * reduces what happened to a comparable outcome: the rows, each value written
 * with its exact storage class, or the error's code and message.
 *
 * Rows are read with `raw(true)` and `safeIntegers(true)`, so INTEGER comes
 * back as bigint and REAL as number: an INTEGER is written `12`, a REAL
 * always with a point or exponent (`12.0`, `1e+300`, `-0.0`) using the
 * shortest text that reads back to the same double, TEXT as a JSON string,
 * a BLOB as `x'..'`, NULL as `NULL`. Two outcomes are equal when the rows
 * match as a sequence (ordered queries) or as a multiset, or when both are
 * errors with the same code and message.
 */

export type Outcome = { readonly rows: readonly string[] } | { readonly error: string };

interface Queryable {
  prepare(sql: string): { raw(toggle?: boolean): unknown; safeIntegers(toggle?: boolean): unknown; all(): unknown[] };
}

export function encodeValue(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0.0';
    const text = String(value);
    return /[.eIN]/.test(text) ? text : `${text}.0`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString('hex')}'`;
  return `?${typeof value}:${String(value)}`;
}

export function outcomeOf(db: Queryable, sql: string): Outcome {
  try {
    const statement = db.prepare(sql);
    statement.raw(true);
    statement.safeIntegers(true);
    const rows = statement.all() as unknown[][];
    return { rows: rows.map((row) => row.map(encodeValue).join(' | ')) };
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown; name?: unknown };
    return { error: `${typeof e.code === 'string' ? e.code : String(e.name)}: ${String(e.message)}` };
  }
}

const syntaxMessage = /^[A-Z_]+: (near ".*": syntax error|incomplete input|unrecognized token: .*)$/s;

/**
 * Whether Shoal's outcome matches SQLite's for a query of the given kind.
 * A mutated statement (`errorsOnly`) may hold several faults, and which one
 * SQLite names depends on the order it resolves clauses in: there only a
 * syntax error's message must match, other errors must share the code.
 */
export function sameOutcome(expected: Outcome, actual: Outcome, ordered: boolean, errorsOnly: boolean): boolean {
  if ('error' in expected || 'error' in actual) {
    if (!('error' in expected && 'error' in actual)) return false;
    if (!errorsOnly || syntaxMessage.test(expected.error)) return expected.error === actual.error;
    return expected.error.slice(0, expected.error.indexOf(':')) === actual.error.slice(0, actual.error.indexOf(':'));
  }
  if (errorsOnly) return true;
  if (expected.rows.length !== actual.rows.length) return false;
  const left = ordered ? expected.rows : [...expected.rows].sort();
  const right = ordered ? actual.rows : [...actual.rows].sort();
  return left.every((row, i) => row === right[i]);
}
