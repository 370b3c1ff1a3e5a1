/**
 * Built-in text and blob scalar functions: length, octet_length, lower,
 * upper, substr/substring, trim/ltrim/rtrim, replace, instr, hex, unhex,
 * quote, unicode, char, concat, concat_ws, soundex, printf/format.
 *
 * Arguments are read through SQLite's value views (toText, toInt64, ...),
 * so numbers are rendered as SQLite renders them and BLOBs are read as
 * UTF-8. Character positions and counts are code points, as SQLite counts
 * UTF-8 characters; length() stops at the first U+0000 like SQLite's.
 * lower()/upper() fold ASCII only (SQLite without ICU).
 */
import { SqliteError } from '../../sqlite-error.js';
import { integerToText, toInt64, toText } from '../values/conversions.js';
import { realToSqlLiteral } from '../values/float-format.js';
import { textToBlob, utf8Length } from '../values/text-codec.js';
import { SqlReal, type SqlValue } from '../values/value.js';
import { scalarFunction, type FunctionDef } from './function-types.js';
import { sqlPrintf } from './printf.js';

/** SQLite's default SQLITE_LIMIT_LENGTH. */
export const MAX_LENGTH = 1000000000;

export function tooBigError(): SqliteError {
  return new SqliteError('string or blob too big', 'SQLITE_TOOBIG');
}

/** Number of code points of s before its first U+0000. */
function characterLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) break;
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Index in s just after `count` code points starting at `from`. */
function advanceChars(s: string, from: number, count: number): number {
  let i = from;
  while (count > 0 && i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0) break;
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    count--;
  }
  return i;
}

function lengthOf(args: readonly SqlValue[]): SqlValue {
  const v = args[0]!;
  if (v === null) return null;
  if (v instanceof Uint8Array) return v.length;
  if (typeof v === 'string') return characterLength(v);
  return toText(v)!.length;
}

function octetLength(args: readonly SqlValue[]): SqlValue {
  const v = args[0]!;
  if (v === null) return null;
  if (v instanceof Uint8Array) return v.length;
  return utf8Length(toText(v)!);
}

function mapAscii(s: string, upper: boolean): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (upper ? c >= 0x61 && c <= 0x7a : c >= 0x41 && c <= 0x5a) {
      out += s.slice(start, i) + String.fromCharCode(upper ? c - 0x20 : c + 0x20);
      start = i + 1;
    }
  }
  return start === 0 ? s : out + s.slice(start);
}

function lower(args: readonly SqlValue[]): SqlValue {
  const s = toText(args[0]!);
  return s === null ? null : mapAscii(s, false);
}

function upper(args: readonly SqlValue[]): SqlValue {
  const s = toText(args[0]!);
  return s === null ? null : mapAscii(s, true);
}

/** substr's index arithmetic (SQLite's, on int64): returns [skip, take]. */
function substrRange(p1: bigint, p2: bigint, len: bigint): [bigint, bigint] {
  if (p1 < 0n) {
    p1 += len;
    if (p1 < 0n) {
      p2 = p2 < 0n ? 0n : p2 + p1;
      p1 = 0n;
    }
  } else if (p1 > 0n) {
    p1--;
  } else if (p2 > 0n) {
    p2--;
  }
  if (p2 < 0n) {
    p2 = p2 < -p1 ? p1 : -p2;
    p1 -= p2;
  }
  return [p1, p2];
}

function substr(args: readonly SqlValue[]): SqlValue {
  const x = args[0]!;
  if (args[1] === null || (args.length === 3 && args[2] === null)) return null;
  if (x === null || (x instanceof Uint8Array && x.length === 0)) return null;
  const start = BigInt(toInt64(args[1]!));
  const count = args.length === 3 ? BigInt(toInt64(args[2]!)) : BigInt(MAX_LENGTH);
  if (x instanceof Uint8Array) {
    const len = BigInt(x.length);
    let [p1, p2] = substrRange(start, count, len);
    if (p1 >= len) return new Uint8Array(0);
    if (p2 > len - p1) p2 = len - p1;
    return x.slice(Number(p1), Number(p1 + p2));
  }
  const text = toText(x)!;
  const len = start < 0n ? BigInt(characterLength(text)) : 0n;
  const [p1, p2] = substrRange(start, count, len);
  const from = advanceChars(text, 0, p1 > BigInt(text.length) ? text.length : Number(p1));
  return text.slice(from, advanceChars(text, from, p2 > BigInt(text.length) ? text.length : Number(p2)));
}

/** The part of s before its first U+0000 (where SQLite's C strings end). */
export function beforeNul(s: string): string {
  const nul = s.indexOf('\u0000');
  return nul < 0 ? s : s.slice(0, nul);
}

function codePointList(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

function trimWith(args: readonly SqlValue[], left: boolean, right: boolean): SqlValue {
  const s = toText(args[0]!);
  if (s === null) return null;
  let set: number[];
  if (args.length === 2) {
    const chars = toText(args[1]!);
    if (chars === null) return null;
    set = codePointList(beforeNul(chars));
  } else {
    set = [0x20];
  }
  if (set.length === 0) return s;
  let start = 0;
  let end = s.length;
  if (left) {
    while (start < end) {
      const cp = s.codePointAt(start)!;
      if (!set.includes(cp)) break;
      start += cp > 0xffff ? 2 : 1;
    }
  }
  if (right) {
    while (end > start) {
      let cp = s.charCodeAt(end - 1);
      let width = 1;
      if (cp >= 0xdc00 && cp <= 0xdfff && end - 2 >= start) {
        cp = s.codePointAt(end - 2)!;
        width = cp > 0xffff ? 2 : 1;
        if (width === 1) cp = s.charCodeAt(end - 1);
      }
      if (!set.includes(cp)) break;
      end -= width;
    }
  }
  return s.slice(start, end);
}

function replace(args: readonly SqlValue[]): SqlValue {
  const s = toText(args[0]!);
  if (s === null) return null;
  const pattern = toText(args[1]!);
  if (pattern === null) return null;
  // SQLite tests the pattern as a C string: one starting with NUL counts as empty.
  if (pattern === '' || pattern.charCodeAt(0) === 0) return s;
  const replacement = toText(args[2]!);
  if (replacement === null) return null;
  const out = s.split(pattern).join(replacement);
  if (out.length > MAX_LENGTH) throw tooBigError();
  return out;
}

function bytesIndexOf(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function instr(args: readonly SqlValue[]): SqlValue {
  const h = args[0]!;
  const n = args[1]!;
  if (h === null || n === null) return null;
  if (h instanceof Uint8Array && n instanceof Uint8Array) return bytesIndexOf(h, n) + 1;
  const hs = toText(h)!;
  const ns = toText(n)!;
  const at = hs.indexOf(ns);
  if (at < 0) return 0;
  return characterLength(hs.slice(0, at)) + 1;
}

const HEX = '0123456789ABCDEF';

function hex(args: readonly SqlValue[]): SqlValue {
  const v = args[0]!;
  const bytes = v === null ? new Uint8Array(0) : v instanceof Uint8Array ? v : textToBlob(toText(v)!);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]! >> 4]! + HEX[bytes[i]! & 15]!;
  return out;
}

function hexDigitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function unhex(args: readonly SqlValue[]): SqlValue {
  const s = toText(args[0]!);
  const pass = args.length === 2 ? toText(args[1]!) : '';
  if (s === null || pass === null) return null;
  const out = new Uint8Array(s.length >> 1);
  let n = 0;
  let i = 0;
  while (i < s.length) {
    const hi = hexDigitValue(s.charCodeAt(i));
    if (hi < 0) {
      const cp = s.codePointAt(i)!;
      if (cp === 0) break;
      if (!pass.includes(String.fromCodePoint(cp))) return null;
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const lo = i + 1 < s.length ? hexDigitValue(s.charCodeAt(i + 1)) : -1;
    if (lo < 0) return null;
    out[n++] = (hi << 4) | lo;
    i += 2;
  }
  return out.slice(0, n);
}

/** The SQL literal for a value, as quote() writes it. */
export function sqlLiteral(v: SqlValue): string {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? integerToText(v) : realToSqlLiteral(v);
    case 'bigint':
      return String(v);
    case 'string': {
      return "'" + beforeNul(v).split("'").join("''") + "'";
    }
    default:
      if (v instanceof SqlReal) return realToSqlLiteral(v.value);
      return "X'" + (hex([v]) as string) + "'";
  }
}

function quote(args: readonly SqlValue[]): SqlValue {
  return sqlLiteral(args[0]!);
}

/** unicode(): the first code point; SQLite reads surrogates, U+FFFE and U+FFFF as U+FFFD. */
function unicode(args: readonly SqlValue[]): SqlValue {
  const s = toText(args[0]!);
  if (s === null || s.length === 0 || s.charCodeAt(0) === 0) return null;
  const cp = s.codePointAt(0)!;
  return (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff ? 0xfffd : cp;
}

function charFunction(args: readonly SqlValue[]): SqlValue {
  let out = '';
  for (const a of args) {
    const x = toInt64(a);
    const valid = typeof x === 'number' && x >= 0 && x <= 0x10ffff && !(x >= 0xd800 && x <= 0xdfff);
    out += String.fromCodePoint(valid ? x : 0xfffd);
  }
  return out;
}

function concatFunction(args: readonly SqlValue[]): SqlValue {
  let out = '';
  for (const a of args) if (a !== null) out += toText(a)!;
  return out;
}

function concatWs(args: readonly SqlValue[]): SqlValue {
  const sep = toText(args[0]!);
  if (sep === null) return null;
  let out = '';
  let first = true;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === null) continue;
    if (!first) out += sep;
    out += toText(a)!;
    first = false;
  }
  return out;
}

/** Soundex codes for A..Z. */
const SOUNDEX_CODES = [0, 1, 2, 3, 0, 1, 2, 0, 0, 2, 2, 4, 5, 5, 0, 1, 2, 6, 2, 3, 0, 1, 0, 2, 0, 2];

function soundexCode(byte: number): number {
  const c = byte & 0x7f;
  if (c >= 0x41 && c <= 0x5a) return SOUNDEX_CODES[c - 0x41]!;
  if (c >= 0x61 && c <= 0x7a) return SOUNDEX_CODES[c - 0x61]!;
  return 0;
}

function isAsciiAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function soundex(args: readonly SqlValue[]): SqlValue {
  const bytes = textToBlob(toText(args[0]!) ?? '');
  let i = 0;
  while (i < bytes.length && bytes[i] !== 0 && !isAsciiAlpha(bytes[i]!)) i++;
  if (i >= bytes.length || bytes[i] === 0) return '?000';
  let prev = soundexCode(bytes[i]!);
  let out = String.fromCharCode(bytes[i]! & ~0x20);
  for (; out.length < 4 && i < bytes.length && bytes[i] !== 0; i++) {
    const code = soundexCode(bytes[i]!);
    if (code > 0) {
      if (code !== prev) {
        prev = code;
        out += String(code);
      }
    } else {
      prev = 0;
    }
  }
  return out.padEnd(4, '0');
}

function printf(args: readonly SqlValue[]): SqlValue {
  if (args.length === 0) return null;
  const format = toText(args[0]!);
  if (format === null) return null;
  return sqlPrintf(beforeNul(format), args, 1);
}

export const textFunctions: FunctionDef[] = [
  scalarFunction('length', 1, lengthOf),
  scalarFunction('octet_length', 1, octetLength),
  scalarFunction('lower', 1, lower),
  scalarFunction('upper', 1, upper),
  scalarFunction('substr', 2, substr),
  scalarFunction('substr', 3, substr),
  scalarFunction('substring', 2, substr),
  scalarFunction('substring', 3, substr),
  scalarFunction('trim', 1, (a) => trimWith(a, true, true)),
  scalarFunction('trim', 2, (a) => trimWith(a, true, true)),
  scalarFunction('ltrim', 1, (a) => trimWith(a, true, false)),
  scalarFunction('ltrim', 2, (a) => trimWith(a, true, false)),
  scalarFunction('rtrim', 1, (a) => trimWith(a, false, true)),
  scalarFunction('rtrim', 2, (a) => trimWith(a, false, true)),
  scalarFunction('replace', 3, replace),
  scalarFunction('instr', 2, instr),
  scalarFunction('hex', 1, hex),
  scalarFunction('unhex', 1, unhex),
  scalarFunction('unhex', 2, unhex),
  scalarFunction('quote', 1, quote),
  scalarFunction('unicode', 1, unicode),
  scalarFunction('char', -1, charFunction),
  scalarFunction('concat', -1, concatFunction, true, 1),
  scalarFunction('concat_ws', -1, concatWs, true, 2),
  scalarFunction('soundex', 1, soundex),
  scalarFunction('printf', -1, printf),
  scalarFunction('format', -1, printf),
];
