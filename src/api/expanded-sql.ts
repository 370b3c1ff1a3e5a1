/**
 * Expanded SQL for the `verbose` logger: the statement text with every
 * parameter replaced by its bound value written as an SQL literal, as
 * `sqlite3_expanded_sql()` writes it (integers in decimal, reals as
 * `printf("%!.15g")`, text single-quoted, blobs as `x'..'`, NULL).
 *
 * The scan skips string literals, quoted identifiers and comments, so only
 * real parameter tokens are replaced. `?` takes the index after the largest
 * seen so far, `?NNN` index NNN, a name the index the engine gave it.
 */
import type { BindValue } from '../exec/engine-contract.js';

export function expandSql(sql: string, values: readonly BindValue[], indexOfName: (name: string) => number): string {
  let out = '';
  let copiedUpTo = 0;
  let largestIndex = 0;
  let k = 0;
  const n = sql.length;
  while (k < n) {
    const c = sql[k];
    if (c === "'" || c === '"' || c === '`') {
      k = skipQuoted(sql, k, c);
    } else if (c === '[') {
      const end = sql.indexOf(']', k + 1);
      k = end < 0 ? n : end + 1;
    } else if (c === '-' && sql[k + 1] === '-') {
      const end = sql.indexOf('\n', k + 2);
      k = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[k + 1] === '*') {
      const end = sql.indexOf('*/', k + 2);
      k = end < 0 ? n : end + 2;
    } else if (c === '?' || c === ':' || c === '@' || c === '$') {
      let end = k + 1;
      if (c === '?') while (end < n && isDigit(sql.charCodeAt(end))) end++;
      else while (end < n && isIdentifierPart(sql.charCodeAt(end))) end++;
      let index = 0;
      if (c === '?') index = end > k + 1 ? Number(sql.slice(k + 1, end)) : largestIndex + 1;
      else if (end > k + 1) index = indexOfName(sql.slice(k, end));
      if (index > 0) {
        if (index > largestIndex) largestIndex = index;
        out += sql.slice(copiedUpTo, k) + sqlLiteral(index <= values.length ? values[index - 1] : null);
        copiedUpTo = end;
      }
      k = end;
    } else if (isIdentifierPart(sql.charCodeAt(k))) {
      while (k < n && isIdentifierPart(sql.charCodeAt(k))) k++;
    } else {
      k++;
    }
  }
  return copiedUpTo === 0 ? sql : out + sql.slice(copiedUpTo);
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let k = start + 1;
  while (k < sql.length) {
    if (sql[k] === quote) {
      if (sql[k + 1] !== quote) return k + 1;
      k += 2;
    } else {
      k++;
    }
  }
  return k;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentifierPart(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code > 127;
}

function sqlLiteral(value: BindValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return realLiteral(value);
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return `x'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'`;
}

/** SQLite's `%!.15g`: 15 significant digits, and always a decimal point in the mantissa. */
export function realLiteral(value: number): string {
  if (Number.isNaN(value)) return 'NULL';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential(14).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 15) {
    const digits = withPoint(trimZeros(mantissa));
    const sign = exponent < 0 ? '-' : '+';
    const magnitude = Math.abs(exponent);
    return `${digits}e${sign}${magnitude < 10 ? '0' : ''}${magnitude}`;
  }
  return withPoint(trimZeros(value.toFixed(Math.max(0, 14 - exponent))));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function withPoint(text: string): string {
  return text.includes('.') ? text : `${text}.0`;
}
