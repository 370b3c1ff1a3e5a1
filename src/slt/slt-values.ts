/**
 * How sqllogictest renders, sorts and hashes query results.
 *
 * It mirrors the reference harness on SQLite: NULL prints as `NULL`; a `T`
 * column prints the value's text (`(empty)` for an empty string, characters
 * outside printable ASCII as `@`); an `I` column prints the value as SQLite's
 * `sqlite3_column_int64` converts it; an `R` column prints
 * `sqlite3_column_double` as SQLite's `printf("%.3f")` does, which keeps at
 * most 16 significant digits and pads the rest with zeros. Hashes are the MD5 of every
 * value followed by a newline.
 */
import { createHash } from 'node:crypto';
import type { SortMode } from './slt-script.js';

/** A result cell as a better-sqlite3-shaped driver returns it. */
export type ResultCell = null | number | bigint | string | Uint8Array;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

export function renderCell(cell: ResultCell, type: string): string {
  if (cell === null) return 'NULL';
  switch (type) {
    case 'I':
      return integerText(cell);
    case 'R':
      return fixedThreeDecimals(realText(cell));
    default:
      return printableText(cell);
  }
}

function cellText(cell: Exclude<ResultCell, null>): string {
  if (cell instanceof Uint8Array) return Buffer.from(cell.buffer, cell.byteOffset, cell.byteLength).toString('latin1');
  return String(cell);
}

function printableText(cell: Exclude<ResultCell, null>): string {
  const text = cellText(cell);
  if (text === '') return '(empty)';
  let out = '';
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    out += code < 0x20 || code > 0x7e ? '@' : text[k];
  }
  return out;
}

/** SQLite's integer conversion: truncate reals (saturating), parse a leading integer from text. */
function integerText(cell: Exclude<ResultCell, null>): string {
  if (typeof cell === 'bigint') return cell.toString();
  if (typeof cell === 'number') return clampToInt64(cell).toString();
  const match = /^\s*([+-]?\d+)/.exec(cellText(cell));
  if (!match) return '0';
  const value = BigInt(match[1]);
  return (value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value).toString();
}

function clampToInt64(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 9223372036854775807) return INT64_MAX;
  if (value <= -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(value));
}

/** SQLite's real conversion: numbers as they are, the longest numeric prefix of text, else 0. */
function realText(cell: Exclude<ResultCell, null>): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'bigint') return Number(cell);
  const match = /^\s*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(cellText(cell));
  return match ? Number(match[1]) : 0;
}

/** SQLite's `%.3f`: three decimals, but never more than 16 significant digits. */
function fixedThreeDecimals(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Inf' : '-Inf';
  const integerDigits = value === 0 ? 1 : Math.floor(Math.log10(Math.abs(value))) + 1;
  if (integerDigits + 3 <= 16) return value.toFixed(3);
  const [mantissa, exponentText] = Math.abs(value).toExponential(15).split('e');
  const digits = mantissa.replace('.', '');
  const integerLength = Number(exponentText) + 1;
  const integerPart = digits.slice(0, integerLength).padEnd(integerLength, '0');
  const fraction = digits.slice(integerLength).padEnd(3, '0').slice(0, 3);
  return `${value < 0 ? '-' : ''}${integerPart}.${fraction}`;
}

/** Renders rows and flattens them in the order the sort mode asks for. */
export function renderResult(rows: readonly (readonly ResultCell[])[], types: string, sortMode: SortMode): string[] {
  const rendered = rows.map((row) => row.map((cell, column) => renderCell(cell, types[column] ?? 'T')));
  if (sortMode === 'rowsort') rendered.sort(compareRows);
  const values = rendered.flat();
  if (sortMode === 'valuesort') values.sort(compareText);
  return values;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRows(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const order = compareText(a[k], b[k]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

export function hashValues(values: readonly string[]): string {
  const md5 = createHash('md5');
  for (const value of values) md5.update(`${value}\n`);
  return md5.digest('hex');
}
