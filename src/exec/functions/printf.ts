/**
 * SQLite's printf engine as the SQL functions printf() and format() see it
 * (sqlite3_str_vappendf in SQLITE_PRINTF_SQLFUNC mode).
 *
 * Conversions: %d %i %u %x %X %o %p %r %f %e %E %g %G %s %z %q %Q %w %c
 * %n %%; flags '-', '+', ' ', '0', '#', '!', ','; width and precision,
 * either literal or '*' (taken from the arguments); 'l'/'ll' accepted and
 * ignored. Arguments are read the way SQLite reads them (int64, double or
 * text views of the values); a missing argument reads as 0, 0.0 or NULL.
 * Width and precision count UTF-8 bytes, or characters with the '!' flag,
 * exactly as in SQLite (so '%.2s' can cut a character in half, which then
 * decodes as U+FFFD). An unknown conversion ends the output where it
 * stands; when nothing at all was produced the result is NULL.
 */
import { SqliteError } from '../../sqlite-error.js';
import { toDouble, toInt64, toText } from '../values/conversions.js';
import { formatFloat, type FloatFormat } from '../values/float-format.js';
import { blobToText, textToBlob } from '../values/text-codec.js';
import type { SqlValue } from '../values/value.js';

/** Largest width or precision Shoal renders (SQLite's float precision limit). */
const MAX_FIELD = 100000000;

function tooBig(): SqliteError {
  return new SqliteError('string or blob too big', 'SQLITE_TOOBIG');
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function byteLength(s: string): number {
  return isAscii(s) ? s.length : Buffer.byteLength(s, 'utf8');
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** The first `bytes` UTF-8 bytes of s (a cut character decodes as U+FFFD). */
function firstBytes(s: string, bytes: number): string {
  if (isAscii(s)) return s.slice(0, bytes);
  const b = textToBlob(s);
  return bytes >= b.length ? s : blobToText(b.subarray(0, bytes));
}

/** The first `count` code points of s. */
function firstChars(s: string, count: number): string {
  let i = 0;
  while (count > 0 && i < s.length) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    count--;
  }
  return s.slice(0, i);
}

function toInt32(v: number | bigint): number {
  return typeof v === 'number' ? v | 0 : Number(BigInt.asIntN(32, v));
}

/** Reads the printf arguments in order. */
class ArgumentReader {
  private used = 0;

  constructor(private readonly args: readonly SqlValue[], private readonly first: number) {}

  int(): number | bigint {
    const i = this.first + this.used;
    if (i >= this.args.length) return 0;
    this.used++;
    return toInt64(this.args[i]!);
  }

  double(): number {
    const i = this.first + this.used;
    if (i >= this.args.length) return 0;
    this.used++;
    return toDouble(this.args[i]!);
  }

  text(): string | null {
    const i = this.first + this.used;
    if (i >= this.args.length) return null;
    this.used++;
    const s = toText(this.args[i]!);
    if (s === null) return null;
    const nul = s.indexOf('\u0000');
    return nul < 0 ? s : s.slice(0, nul);
  }
}

const floatFormat: FloatFormat = {
  precision: -1,
  width: 0,
  alternate: false,
  alternate2: false,
  prefix: '',
  zeroPad: false,
  leftJustify: false,
  thousands: false,
};

/** Inserts ',' every three digits from the right of an all-digit string. */
function groupThousands(digits: string): string {
  let out = '';
  const first = ((digits.length - 1) % 3) + 1;
  out = digits.slice(0, first);
  for (let i = first; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return out;
}

/**
 * Renders `format` with `args[first..]` as SQLite's printf() SQL function
 * does. Returns null when SQLite returns NULL (nothing was appended).
 */
export function sqlPrintf(format: string, args: readonly SqlValue[], first: number): string | null {
  const reader = new ArgumentReader(args, first);
  let out = '';
  let appended = false;
  const len = format.length;
  let i = 0;
  while (i < len) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      appended = true;
      break;
    }
    if (pct > i) {
      out += format.slice(i, pct);
      appended = true;
    }
    i = pct + 1;
    if (i >= len) {
      out += '%';
      appended = true;
      break;
    }
    let leftJustify = false;
    let prefix: '' | '+' | ' ' = '';
    let alternate = false;
    let alternate2 = false;
    let zeroPad = false;
    let thousands = false;
    let width = 0;
    let precision = -1;
    let c = format[i]!;
    let done = false;
    do {
      switch (c) {
        case '-':
          leftJustify = true;
          break;
        case '+':
          prefix = '+';
          break;
        case ' ':
          prefix = ' ';
          break;
        case '#':
          alternate = true;
          break;
        case '!':
          alternate2 = true;
          break;
        case '0':
          zeroPad = true;
          break;
        case ',':
          thousands = true;
          break;
        case 'l':
          c = format[++i] ?? '';
          if (c === 'l') c = format[++i] ?? '';
          done = true;
          break;
        case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': {
          let w = 0;
          while (c >= '0' && c <= '9') {
            w = (w * 10 + (c.charCodeAt(0) - 48)) % 0x80000000;
            c = format[++i] ?? '';
          }
          width = w;
          if (c !== '.' && c !== 'l') done = true;
          else i--;
          break;
        }
        case '*': {
          width = toInt32(reader.int());
          if (width < 0) {
            leftJustify = true;
            width = width >= -2147483647 ? -width : 0;
          }
          const next = format[i + 1] ?? '';
          if (next !== '.' && next !== 'l') {
            c = format[++i] ?? '';
            done = true;
          }
          break;
        }
        case '.': {
          c = format[++i] ?? '';
          if (c === '*') {
            precision = toInt32(reader.int());
            if (precision < 0) precision = precision >= -2147483647 ? -precision : -1;
            c = format[++i] ?? '';
          } else {
            let p = 0;
            while (c >= '0' && c <= '9') {
              p = (p * 10 + (c.charCodeAt(0) - 48)) % 0x80000000;
              c = format[++i] ?? '';
            }
            precision = p;
          }
          if (c === 'l') i--;
          else done = true;
          break;
        }
        default:
          done = true;
          break;
      }
      if (!done) c = format[++i] ?? '';
    } while (!done && c !== '');
    i++;
    if (width > MAX_FIELD || precision > MAX_FIELD) throw tooBig();

    let text: string;
    let widthInChars = false;
    switch (c) {
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o':
      case 'p':
      case 'r': {
        const signed = c === 'd' || c === 'i' || c === 'r';
        const raw = reader.int();
        let magnitude: bigint | number;
        let sign = '';
        if (signed) {
          if (raw < 0) {
            magnitude = typeof raw === 'number' ? -raw : -raw;
            sign = '-';
          } else {
            magnitude = raw;
            sign = prefix;
          }
        } else {
          magnitude = raw < 0 ? BigInt.asUintN(64, BigInt(raw)) : raw;
        }
        const base = c === 'x' || c === 'X' || c === 'p' ? 16 : c === 'o' ? 8 : 10;
        const useThousands = thousands && base === 10 && c !== 'r';
        const isZero = magnitude === 0 || magnitude === 0n;
        let digits = (typeof magnitude === 'number' && magnitude > 9007199254740991 ? BigInt(magnitude) : magnitude).toString(base);
        if (c === 'X' || c === 'p') digits = digits.toUpperCase();
        let suffix = '';
        if (c === 'r') {
          const m = BigInt(magnitude);
          let x = Number(m % 10n);
          if (x >= 4 || (m / 10n) % 10n === 1n) x = 0;
          suffix = ['th', 'st', 'nd', 'rd'][x]!;
        }
        if (zeroPad && precision < width - (sign ? 1 : 0)) precision = width - (sign ? 1 : 0);
        if (precision > digits.length + suffix.length) digits = '0'.repeat(precision - digits.length - suffix.length) + digits;
        if (useThousands) digits = groupThousands(digits);
        let alt = '';
        if (alternate && !isZero) alt = c === 'x' || c === 'p' ? '0x' : c === 'X' ? '0X' : c === 'o' ? '0' : '';
        text = sign + alt + digits + suffix;
        break;
      }
      case 'f':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        const value = reader.double();
        floatFormat.precision = precision;
        floatFormat.width = width;
        floatFormat.alternate = alternate;
        floatFormat.alternate2 = alternate2;
        floatFormat.prefix = prefix;
        floatFormat.zeroPad = zeroPad;
        floatFormat.leftJustify = leftJustify;
        floatFormat.thousands = thousands;
        text = formatFloat(value, c, floatFormat);
        break;
      }
      case 'n':
        text = '';
        width = 0;
        break;
      case '%':
        text = '%';
        break;
      case 'c': {
        const arg = reader.text();
        const ch = arg === null || arg === '' ? '\u0000' : firstChars(arg, 1);
        if (precision > 1) {
          width -= precision - 1;
          if (width > 1 && !leftJustify) {
            out += ' '.repeat(width - 1);
            width = 0;
          }
          out += ch.repeat(precision - 1);
        }
        text = ch;
        widthInChars = true;
        break;
      }
      case 's':
      case 'z': {
        const arg = reader.text() ?? '';
        if (precision >= 0) text = alternate2 ? firstChars(arg, precision) : firstBytes(arg, precision);
        else text = arg;
        widthInChars = alternate2;
        break;
      }
      case 'q':
      case 'Q':
      case 'w': {
        const arg = reader.text();
        const quote = c === 'w' ? '"' : "'";
        let source = arg ?? (c === 'Q' ? 'NULL' : '(NULL)');
        if (precision >= 0) source = alternate2 ? firstChars(source, precision) : firstBytes(source, precision);
        const escaped = source.split(quote).join(quote + quote);
        text = arg !== null && c === 'Q' ? quote + escaped + quote : escaped;
        widthInChars = alternate2;
        break;
      }
      default:
        return appended ? out : null;
    }
    const length = widthInChars ? codePointLength(text) : byteLength(text);
    const pad = width - length;
    if (pad > 0) {
      out += leftJustify ? text + ' '.repeat(pad) : ' '.repeat(pad) + text;
    } else {
      out += text;
    }
    appended = true;
  }
  return appended ? out : null;
}
