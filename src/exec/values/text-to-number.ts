/**
 * Text to number, exactly as SQLite reads numbers out of strings.
 *
 * Two primitives mirror SQLite's:
 *  - `parseReal` (sqlite3AtoF): the longest prefix that looks like a real
 *    number, with flags saying whether the whole text was that number,
 *    whether it had a '.' or exponent, and whether it was exactly zero.
 *    Like SQLite it keeps only the first ~19 significant digits (the
 *    digits that fit a u64 mantissa) and then rounds correctly.
 *  - `parseInteger` (sqlite3Atoi64): the longest prefix that is a decimal
 *    integer, saturated to int64, with SQLite's result codes.
 * Leading and trailing ASCII whitespace (space, \t \n \v \f \r) is ignored;
 * hexadecimal text is never a number here. Like SQLite, `parseReal` stops at
 * an embedded NUL while `parseInteger` sees it as trailing text.
 *
 * Results land in module scratch variables read through `parsedReal()` and
 * `parsedInteger()`, so the hot paths allocate nothing.
 */

/** parseReal flag: at least one digit was seen. */
export const ATOF_DIGITS = 1;
/** parseReal flag: the number had a '.' or an exponent. */
export const ATOF_FRACTION = 2;
/** parseReal flag: the value is exactly zero. */
export const ATOF_ZERO = 4;
/** parseReal flag: more significant digits than a u64 mantissa holds. */
export const ATOF_LONG = 8;
/** parseReal flag: text follows the number (SQLite returns a negative code). */
export const ATOF_TRAILING = 16;

/** parseInteger codes (sqlite3Atoi64's return values). */
export const ATOI_NONE = -1;
export const ATOI_OK = 0;
export const ATOI_TRAILING = 1;
export const ATOI_OVERFLOW = 2;
export const ATOI_2POW63 = 3;

let realResult = 0;
let integerResult: number | bigint = 0;

/** The value computed by the last `parseReal` call. */
export function parsedReal(): number {
  return realResult;
}

/** The value computed by the last `parseInteger` call. */
export function parsedInteger(): number | bigint {
  return integerResult;
}

/** SQLite's sqlite3Isspace: space, \t, \n, \v, \f, \r. */
export function isSpaceCode(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Powers of ten that are exact doubles. */
const EXACT_POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** (2^64 - 1 - 9) / 10: SQLite stops adding mantissa digits at this value. */
const MANTISSA_LIMIT = '1844674407370955160';

/**
 * sqlite3AtoF. Returns 0 when no prefix of `s` is a number, otherwise a
 * combination of ATOF_* flags (ATOF_TRAILING when non-space text follows).
 * The value (0 when nothing parsed) is in `parsedReal()`.
 */
export function parseReal(s: string): number {
  // sqlite3AtoF reads a NUL-terminated string: an embedded NUL ends the text.
  const nul = s.indexOf('\0');
  const len = nul < 0 ? s.length : nul;
  let i = 0;
  let c = len > 0 ? s.charCodeAt(0) : 0;
  while (isSpaceCode(c)) c = ++i < len ? s.charCodeAt(i) : 0;
  let negative = false;
  if (c === 0x2d || c === 0x2b) {
    negative = c === 0x2d;
    c = ++i < len ? s.charCodeAt(i) : 0;
  }
  let state = 0;
  const intStart = i;
  while (isDigitCode(c)) c = ++i < len ? s.charCodeAt(i) : 0;
  const intEnd = i;
  if (intEnd > intStart) state = ATOF_DIGITS;
  let fracStart = i;
  let fracEnd = i;
  if (c === 0x2e) {
    c = ++i < len ? s.charCodeAt(i) : 0;
    fracStart = i;
    while (isDigitCode(c)) c = ++i < len ? s.charCodeAt(i) : 0;
    fracEnd = i;
    if (fracEnd > fracStart) state |= ATOF_DIGITS;
    else if (state === 0) {
      realResult = 0;
      return 0;
    }
    state |= ATOF_FRACTION;
  } else if (state === 0) {
    realResult = 0;
    return 0;
  }
  let exponent = 0;
  if (c === 0x65 || c === 0x45) {
    const ePos = i;
    c = ++i < len ? s.charCodeAt(i) : 0;
    let esign = 1;
    if (c === 0x2d || c === 0x2b) {
      esign = c === 0x2d ? -1 : 1;
      c = ++i < len ? s.charCodeAt(i) : 0;
    }
    if (isDigitCode(c)) {
      state |= ATOF_FRACTION;
      let e = 0;
      while (isDigitCode(c)) {
        e = e < 10000 ? e * 10 + (c - 0x30) : 10000;
        c = ++i < len ? s.charCodeAt(i) : 0;
      }
      exponent = esign * e;
    } else {
      i = ePos;
      c = 0x65;
    }
  }
  state |= mantissaValue(s, intStart, intEnd, fracStart, fracEnd, exponent, negative);
  if (i >= len) return state;
  while (i < len && isSpaceCode(s.charCodeAt(i))) i++;
  return i >= len ? state : state | ATOF_TRAILING;
}

/**
 * Computes the double for the digits s[intStart,intEnd) "." s[fracStart,fracEnd)
 * times 10^exponent, keeping the digits SQLite's u64 mantissa keeps. Stores
 * it in realResult and returns ATOF_ZERO / ATOF_LONG flags.
 */
function mantissaValue(s: string, intStart: number, intEnd: number, fracStart: number, fracEnd: number, exponent: number, negative: boolean): number {
  let first = intStart;
  while (first < intEnd && s.charCodeAt(first) === 0x30) first++;
  let intDigits = intEnd - first;
  let fracFirst = fracStart;
  if (intDigits === 0) {
    while (fracFirst < fracEnd && s.charCodeAt(fracFirst) === 0x30) fracFirst++;
  }
  const fracDigits = fracEnd - fracFirst;
  const significant = intDigits + fracDigits;
  if (significant === 0) {
    realResult = negative ? -0 : 0;
    return ATOF_ZERO;
  }
  let flags = 0;
  // The decimal exponent of the last kept digit.
  let scale = exponent - (fracFirst - fracStart);
  let kept = significant;
  if (significant > 18) {
    const head = (intDigits > 0 ? s.slice(first, intEnd) + s.slice(fracStart, fracEnd) : s.slice(fracFirst, fracEnd)).slice(0, 19);
    kept = head < MANTISSA_LIMIT ? Math.min(significant, 20) : 19;
    if (kept < significant) flags = ATOF_LONG;
  }
  const keptInt = Math.min(intDigits, kept);
  const keptFrac = kept - keptInt;
  scale += intDigits - keptInt - keptFrac;
  let value: number;
  if (kept <= 15) {
    let m = 0;
    for (let k = first; k < first + keptInt; k++) m = m * 10 + (s.charCodeAt(k) - 0x30);
    const fracFrom = intDigits > 0 ? fracStart : fracFirst;
    for (let k = fracFrom; k < fracFrom + keptFrac; k++) m = m * 10 + (s.charCodeAt(k) - 0x30);
    if (scale >= 0 && scale <= 22) value = m * EXACT_POW10[scale]!;
    else if (scale < 0 && scale >= -22) value = m / EXACT_POW10[-scale]!;
    else value = Number(`${m}e${scale}`);
  } else {
    const fracFrom = intDigits > 0 ? fracStart : fracFirst;
    const digits = s.slice(first, first + keptInt) + s.slice(fracFrom, fracFrom + keptFrac);
    value = Number(`${digits}e${scale}`);
  }
  realResult = negative ? -value : value;
  return flags;
}

/**
 * sqlite3Atoi64 on UTF-8 text. Returns an ATOI_* code; the value (saturated
 * to int64 on overflow, 0 when no digits) is in `parsedInteger()`.
 */
export function parseInteger(s: string): number {
  const len = s.length;
  let i = 0;
  while (i < len && isSpaceCode(s.charCodeAt(i))) i++;
  let negative = false;
  if (i < len) {
    const c = s.charCodeAt(i);
    if (c === 0x2d) {
      negative = true;
      i++;
    } else if (c === 0x2b) {
      i++;
    }
  }
  const start = i;
  while (i < len && s.charCodeAt(i) === 0x30) i++;
  const digitsStart = i;
  while (i < len && isDigitCode(s.charCodeAt(i))) i++;
  const digits = i - digitsStart;
  let rc: number = ATOI_OK;
  if (digits === 0 && digitsStart === start) {
    rc = ATOI_NONE;
  } else if (i < len) {
    for (let k = i; k < len; k++) {
      if (!isSpaceCode(s.charCodeAt(k))) {
        rc = ATOI_TRAILING;
        break;
      }
    }
  }
  if (digits <= 15) {
    let v = 0;
    for (let k = digitsStart; k < i; k++) v = v * 10 + (s.charCodeAt(k) - 0x30);
    integerResult = negative && v !== 0 ? -v : v;
    return rc;
  }
  const text = s.slice(digitsStart, i);
  if (digits > 19 || (digits === 19 && text >= '9223372036854775808')) {
    const exactlyTwo63 = digits === 19 && text === '9223372036854775808';
    integerResult = negative ? -0x8000000000000000n : 0x7fffffffffffffffn;
    if (exactlyTwo63) return negative ? rc : ATOI_2POW63;
    return ATOI_OVERFLOW;
  }
  const big = BigInt(text);
  const signed = negative ? -big : big;
  integerResult = signed >= -9007199254740991n && signed <= 9007199254740991n ? Number(signed) : signed;
  return rc;
}
