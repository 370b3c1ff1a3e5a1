/**
 * SQLite's printf conversions for doubles: %f, %e, %E, %g, %G with the
 * flags SQLite supports ('-', '+', ' ', '0', '#', '!', ',', width,
 * precision). It is the single place where a double becomes text, shared
 * by printf(), REAL-to-TEXT conversion ("%!.17g") and quote() ("%!0.17g";
 * SQLite's JSON functions use "%!0.15g"). Digits come from `fpDecode`, so the output is the same text
 * SQLite 3.5x produces, including "Inf", "NaN" and the "9.0e+999" spelling
 * of infinity under the '0' flag.
 */
import { fpDecode } from './fp-decode.js';

/** Flags and sizes of one float conversion. */
export interface FloatFormat {
  /** Digits after the point (%f/%e) or significant digits (%g); -1 = default 6. */
  precision: number;
  /** Minimum field width (only the zero padding is applied here). */
  width: number;
  /** '#': keep the decimal point and trailing zeros. */
  alternate: boolean;
  /** '!': up to 26 significant digits, always show ".0". */
  alternate2: boolean;
  /** '+' or ' ' to prefix non-negative numbers, or '' for none. */
  prefix: '' | '+' | ' ';
  /** '0': pad with zeros after the sign (and print infinity as 9.0e+999). */
  zeroPad: boolean;
  /** '-': left-justify (suppresses zero padding). */
  leftJustify: boolean;
  /** ',': thousands separators in the integer part. */
  thousands: boolean;
}

/** SQLite's SQLITE_FP_PRECISION_LIMIT. */
const PRECISION_LIMIT = 100000000;

const KIND_FLOAT = 0;
const KIND_EXP = 1;
const KIND_GENERIC = 2;

/**
 * Formats `value` for conversion letter `conversion` ('f', 'e', 'E', 'g'
 * or 'G') under `format`. Width padding with spaces is the caller's job.
 */
export function formatFloat(value: number, conversion: string, format: FloatFormat): string {
  let precision = format.precision < 0 ? 6 : Math.min(format.precision, PRECISION_LIMIT);
  let kind = conversion === 'f' ? KIND_FLOAT : conversion === 'g' || conversion === 'G' ? KIND_GENERIC : KIND_EXP;
  if (kind === KIND_GENERIC && precision === 0) precision = 1;
  const expChar = conversion === 'E' || conversion === 'G' ? 'E' : 'e';
  const iRound = kind === KIND_FLOAT ? -precision : kind === KIND_GENERIC ? precision : precision + 1;
  const decoded = fpDecode(value, iRound, format.alternate2 ? 26 : 16);
  let digits = decoded.digits;
  let decimalPoint = decoded.decimalPoint;
  if (decoded.special !== 0) {
    if (decoded.special === 2) return format.zeroPad ? 'null' : 'NaN';
    if (format.zeroPad) {
      digits = '9';
      decimalPoint = 1000;
    } else if (decoded.sign === '-') {
      return '-Inf';
    } else {
      return format.prefix + 'Inf';
    }
  }
  let prefix = decoded.sign === '-' ? '-' : format.prefix;
  const n = digits.length;
  const exp = decimalPoint - 1;
  if (kind === KIND_GENERIC && precision > 0) precision--;
  let removeTrailingZeros: boolean;
  if (kind === KIND_GENERIC) {
    removeTrailingZeros = !format.alternate;
    if (exp < -4 || exp > precision) {
      kind = KIND_EXP;
    } else {
      precision -= exp;
      kind = KIND_FLOAT;
    }
  } else {
    removeTrailingZeros = format.alternate2;
  }
  let e2 = kind === KIND_EXP ? 0 : decimalPoint - 1;
  const showPoint = precision > 0 || format.alternate || format.alternate2;
  let out = prefix;
  let j = 0;
  if (e2 < 0) {
    out += '0';
  } else if (!format.thousands) {
    const intLen = e2 + 1;
    if (intLen <= n) {
      out += digits.slice(0, intLen);
    } else {
      out += digits + '0'.repeat(intLen - n);
    }
    j = Math.min(intLen, n);
    e2 = -1;
  } else {
    for (; e2 >= 0; e2--) {
      out += j < n ? digits[j++] : '0';
      if (e2 % 3 === 0 && e2 > 1) out += ',';
    }
  }
  if (showPoint) out += '.';
  e2++;
  if (e2 < 0 && precision > 0) {
    const zeros = Math.min(-e2, precision);
    out += '0'.repeat(zeros);
    precision -= zeros;
  }
  if (precision > 0) {
    const take = Math.min(precision, n - j);
    if (take > 0) {
      out += digits.slice(j, j + take);
      precision -= take;
    }
    if (precision > 0) out += '0'.repeat(precision);
  }
  if (removeTrailingZeros && showPoint) {
    let end = out.length;
    while (out.charCodeAt(end - 1) === 0x30) end--;
    out = out.slice(0, end);
    if (out.charCodeAt(end - 1) === 0x2e) out = format.alternate2 ? out + '0' : out.slice(0, end - 1);
  }
  if (prefix === '-' && format.alternate && format.prefix === '' && !/[1-9]/.test(out)) {
    // SQLite 3.53 prints a negative value that rounds to zero without its sign under '#'.
    out = out.slice(1);
    prefix = '';
  }
  if (kind === KIND_EXP) {
    let e = decimalPoint - 1;
    out += expChar;
    if (e < 0) {
      out += '-';
      e = -e;
    } else {
      out += '+';
    }
    out += e >= 100 ? String(e) : e < 10 ? '0' + e : String(e);
  }
  if (format.zeroPad && !format.leftJustify && out.length < format.width) {
    const at = prefix.length;
    out = out.slice(0, at) + '0'.repeat(format.width - out.length) + out.slice(at);
  }
  return out;
}

const TEXT_FORMAT: FloatFormat = {
  precision: 17,
  width: 0,
  alternate: false,
  alternate2: true,
  prefix: '',
  zeroPad: false,
  leftJustify: false,
  thousands: false,
};

const QUOTE_FORMAT: FloatFormat = { ...TEXT_FORMAT, zeroPad: true };

/** A REAL as TEXT, the way SQLite converts it ("%!.17g": 1.0, 1.0e+20, 0.1, Inf). */
export function realToText(value: number): string {
  return formatFloat(value, 'g', TEXT_FORMAT);
}

/** A REAL as quote() writes it (infinity as 9.0e+999). */
export function realToSqlLiteral(value: number): string {
  return formatFloat(value, 'g', QUOTE_FORMAT);
}
