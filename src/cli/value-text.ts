/**
 * How the shell writes one SQL value, in each notation sqlite3's shell uses.
 *
 * Values arrive as the API returns them with safe integers on: `bigint` for
 * INTEGER, `number` for REAL, `string`, `Buffer`, `null`. As text (list,
 * csv, box, ... modes) a REAL prints as SQLite's `%!.15g` and a BLOB as its
 * bytes up to the first NUL, as sqlite3 prints `sqlite3_column_text`. As an
 * SQL literal (`.dump`, `insert` and `quote` modes) every value round-trips
 * exactly: REALs as sqlite3 writes them (integral values as `N.0`, others
 * with 20 significant digits, enough to read back the same double), text
 * with newlines uses sqlite3's `replace(..., char(10))` form, blobs are
 * `X'..'`.
 */
import { realLiteral } from '../api/expanded-sql.js';

export type CellValue = null | bigint | number | string | Buffer;

/** The value as sqlite3's shell shows it in text modes; `null` stays null so modes can pick their null text. */
export function displayText(value: CellValue): string | null {
  if (value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return realLiteral(value);
  if (typeof value === 'string') return value;
  const nul = value.indexOf(0);
  return (nul < 0 ? value : value.subarray(0, nul)).toString('utf8');
}

/** The value as an SQL literal that reads back as exactly the same value. */
export function sqlLiteral(value: CellValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return exactRealLiteral(value);
  if (typeof value === 'string') return quotedText(value);
  return `X'${value.toString('hex')}'`;
}

/**
 * sqlite3's shell REAL literal: `%lld.0` for integral values that fit in 64
 * bits, otherwise `%!.20g` with exact digits (as SQLite 3.43+ prints them);
 * 20 significant digits always read back as the same double.
 */
function exactRealLiteral(value: number): string {
  if (Number.isNaN(value)) return 'NULL';
  if (!Number.isFinite(value)) return value > 0 ? '1e999' : '-1e999';
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return `${BigInt(value)}.0`;
  const [digits, exponentText] = value.toExponential(19).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 20) {
    const magnitude = Math.abs(exponent);
    return `${withDecimalPoint(trimTrailingZeros(digits))}e${exponent < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${magnitude}`;
  }
  return withDecimalPoint(trimTrailingZeros(value.toFixed(19 - exponent)));
}

function trimTrailingZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function withDecimalPoint(text: string): string {
  return text.includes('.') ? text : `${text}.0`;
}

/** Text as a quoted literal; newlines and carriage returns go through replace(), as sqlite3's .dump writes them. */
function quotedText(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  const hasNewline = text.includes('\n');
  const hasReturn = text.includes('\r');
  if (!hasNewline && !hasReturn) return quoted;
  const newlineMarker = hasNewline ? unusedMarker(text, '\\n', '\\012') : '';
  const returnMarker = hasReturn ? unusedMarker(text, '\\r', '\\015') : '';
  let body = quoted;
  if (hasNewline) body = body.split('\n').join(newlineMarker);
  if (hasReturn) body = body.split('\r').join(returnMarker);
  let out = `${hasNewline ? 'replace(' : ''}${hasReturn ? 'replace(' : ''}${body}`;
  if (hasNewline) out += `,'${newlineMarker}',char(10))`;
  if (hasReturn) out += `,'${returnMarker}',char(13))`;
  return out;
}

function unusedMarker(text: string, first: string, second: string): string {
  if (!text.includes(first)) return first;
  if (!text.includes(second)) return second;
  for (let k = 0; ; k++) {
    const candidate = `(${first}${k})`;
    if (!text.includes(candidate)) return candidate;
  }
}

/** sqlite3's CSV field: quoted when it is empty or holds a separator, quote, space, control or non-ASCII character. */
export function csvField(text: string | null, nullText: string, separator: string): string {
  if (text === null) return nullText;
  let quote = text === '' || text.includes(separator);
  for (let k = 0; !quote && k < text.length; k++) {
    const code = text.charCodeAt(k);
    quote = code <= 32 || code === 34 || code === 39 || code >= 127;
  }
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A JSON string the way sqlite3's json mode writes it. */
export function jsonString(text: string): string {
  let out = '"';
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    const code = text.charCodeAt(k);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (code < 32 || code === 127) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/** An identifier as sqlite3's shell writes it: bare when it is a plain word that is not a keyword, else double-quoted. */
export function quoteIdentifierIfNeeded(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !SQL_KEYWORDS.has(name.toUpperCase())) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

const SQL_KEYWORDS = new Set(
  (
    'ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST ' +
    'CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE ' +
    'DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN ' +
    'FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED ' +
    'INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT ' +
    'NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE ' +
    'RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT ' +
    'SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW ' +
    'VIRTUAL WHEN WHERE WINDOW WITH WITHOUT'
  ).split(' '),
);
