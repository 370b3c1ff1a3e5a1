/**
 * SQLite's date and time SQL functions: date, time, datetime, julianday,
 * unixepoch, strftime (every specifier SQLite 3.53 knows: %d %e %f %F %G
 * %g %H %I %j %J %k %l %m %M %p %P %R %s %S %T %u %U %V %w %W %Y %%) and
 * timediff. Time-values and modifiers are interpreted by
 * `datetime-value.ts`; this module renders the results with SQLite's
 * exact formatting. Invalid input gives NULL, never an error.
 *
 * 'now' is read from `FunctionContext.currentTimeMs()`, which the engine
 * keeps constant for the whole statement (SQLite's rule), so every
 * date('now') of one statement agrees. Because of 'now', 'localtime' and
 * 'utc' these functions are registered as non-deterministic (SQLite calls
 * them "slow-changing": constant within one statement only), so nothing
 * may fold or cache their results across statements.
 */
import { toText } from '../values/conversions.js';
import { formatFloat, type FloatFormat } from '../values/float-format.js';
import { realValue, type SqlValue } from '../values/value.js';
import { scalarFunction, type FunctionCall, type FunctionDef } from './function-types.js';
import {
  DateTime,
  UNIX_EPOCH_JD_MS,
  computeHMS,
  computeJD,
  computeYMD,
  computeYMD_HMS,
  evaluateTimeValue,
} from './datetime-value.js';

const DAY_MS = 86400000;

const scratch = new DateTime();

function evaluate(args: readonly SqlValue[], first: number, call: FunctionCall, p: DateTime): boolean {
  return evaluateTimeValue(args, first, args.length - first, () => call.context.currentTimeMs(), p);
}

/** C's "%0Nd": sign first, then zeros up to a total width of N. */
function zeroPadded(v: number, width: number): string {
  const digits = String(Math.abs(v));
  if (v < 0) return '-' + digits.padStart(width - 1, '0');
  return digits.padStart(width, '0');
}

/** C's "%2d": space-padded to two columns. */
function spacePadded(v: number): string {
  return String(v).padStart(2, ' ');
}

function fixedFormat(precision: number, width: number): FloatFormat {
  return { precision, width, alternate: false, alternate2: false, prefix: '', zeroPad: width > 0, leftJustify: false, thousands: false };
}

/** "%06.3f" */
const SECONDS_FORMAT = fixedFormat(3, 6);
/** "%.3f" */
const MILLIS_FORMAT = fixedFormat(3, 0);
/** "%.16g" */
const JULIAN_FORMAT: FloatFormat = { ...fixedFormat(16, 0), zeroPad: false };

function secondsText(p: DateTime): string {
  if (p.useSubsec) {
    const s = Math.trunc(1000.0 * p.s + 0.5);
    return `${zeroPadded(Math.trunc(s / 1000), 2)}.${zeroPadded(s % 1000, 3)}`;
  }
  return zeroPadded(Math.trunc(p.s), 2);
}

function yearText(Y: number): string {
  return Y < 0 ? '-' + zeroPadded(-Y, 4) : zeroPadded(Y, 4);
}

function dateText(p: DateTime): string {
  return `${yearText(p.Y)}-${zeroPadded(p.M, 2)}-${zeroPadded(p.D, 2)}`;
}

function timeText(p: DateTime): string {
  return `${zeroPadded(p.h, 2)}:${zeroPadded(p.m, 2)}:${secondsText(p)}`;
}

function dateFunction(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if (!evaluate(args, 0, call, scratch)) return null;
  computeYMD(scratch);
  return dateText(scratch);
}

function timeFunction(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if (!evaluate(args, 0, call, scratch)) return null;
  computeHMS(scratch);
  return timeText(scratch);
}

function datetimeFunction(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if (!evaluate(args, 0, call, scratch)) return null;
  computeYMD_HMS(scratch);
  return `${dateText(scratch)} ${timeText(scratch)}`;
}

function juliandayFunction(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if (!evaluate(args, 0, call, scratch)) return null;
  computeJD(scratch);
  return realValue(scratch.iJD / 86400000.0);
}

function unixepochFunction(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if (!evaluate(args, 0, call, scratch)) return null;
  computeJD(scratch);
  if (scratch.useSubsec) return realValue((scratch.iJD - UNIX_EPOCH_JD_MS) / 1000.0);
  return Math.trunc(scratch.iJD / 1000) - 21086676 * 10000;
}

/** Zero-based day of the year. */
function daysAfterJan01(p: DateTime): number {
  const jan01 = new DateTime();
  jan01.copyFrom(p);
  jan01.validJD = false;
  jan01.M = 1;
  jan01.D = 1;
  computeJD(jan01);
  return Math.trunc((p.iJD - jan01.iJD + 43200000) / DAY_MS);
}

/** 0 = Monday ... 6 = Sunday. */
function daysAfterMonday(p: DateTime): number {
  return Math.trunc((p.iJD + 43200000) / DAY_MS) % 7;
}

/** 0 = Sunday ... 6 = Saturday. */
function daysAfterSunday(p: DateTime): number {
  return Math.trunc((p.iJD + 129600000) / DAY_MS) % 7;
}

/** The Thursday of the ISO week containing `p` (its year is the ISO year). */
function isoThursday(p: DateTime): DateTime {
  const y = new DateTime();
  y.copyFrom(p);
  y.iJD += (3 - daysAfterMonday(p)) * DAY_MS;
  y.validYMD = false;
  computeYMD(y);
  return y;
}

function twelveHour(h: number): number {
  if (h > 12) h -= 12;
  return h === 0 ? 12 : h;
}

/** One strftime conversion, or null for an unknown specifier. */
function conversion(cf: string, x: DateTime): string | null {
  switch (cf) {
    case 'd':
      return zeroPadded(x.D, 2);
    case 'e':
      return spacePadded(x.D);
    case 'f':
      return formatFloat(x.s > 59.999 ? 59.999 : x.s, 'f', SECONDS_FORMAT);
    case 'F':
      return `${zeroPadded(x.Y, 4)}-${zeroPadded(x.M, 2)}-${zeroPadded(x.D, 2)}`;
    case 'G':
      return zeroPadded(isoThursday(x).Y, 4);
    case 'g':
      return zeroPadded(isoThursday(x).Y % 100, 2);
    case 'H':
      return zeroPadded(x.h, 2);
    case 'k':
      return spacePadded(x.h);
    case 'I':
      return zeroPadded(twelveHour(x.h), 2);
    case 'l':
      return spacePadded(twelveHour(x.h));
    case 'j':
      return zeroPadded(daysAfterJan01(x) + 1, 3);
    case 'J':
      return formatFloat(x.iJD / 86400000.0, 'g', JULIAN_FORMAT);
    case 'm':
      return zeroPadded(x.M, 2);
    case 'M':
      return zeroPadded(x.m, 2);
    case 'p':
      return x.h >= 12 ? 'PM' : 'AM';
    case 'P':
      return x.h >= 12 ? 'pm' : 'am';
    case 'R':
      return `${zeroPadded(x.h, 2)}:${zeroPadded(x.m, 2)}`;
    case 's':
      if (x.useSubsec) return formatFloat((x.iJD - UNIX_EPOCH_JD_MS) / 1000.0, 'f', MILLIS_FORMAT);
      return String(Math.trunc(x.iJD / 1000) - 21086676 * 10000);
    case 'S':
      return zeroPadded(Math.trunc(x.s), 2);
    case 'T':
      return `${zeroPadded(x.h, 2)}:${zeroPadded(x.m, 2)}:${zeroPadded(Math.trunc(x.s), 2)}`;
    case 'u': {
      const d = daysAfterSunday(x);
      return String(d === 0 ? 7 : d);
    }
    case 'w':
      return String(daysAfterSunday(x));
    case 'U':
      return zeroPadded(Math.trunc((daysAfterJan01(x) - daysAfterSunday(x) + 7) / 7), 2);
    case 'V':
      return zeroPadded(Math.trunc(daysAfterJan01(isoThursday(x)) / 7) + 1, 2);
    case 'W':
      return zeroPadded(Math.trunc((daysAfterJan01(x) - daysAfterMonday(x) + 7) / 7), 2);
    case 'Y':
      return zeroPadded(x.Y, 4);
    case '%':
      return '%';
    default:
      return null;
  }
}

function strftimeFunction(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if (args.length === 0) return null;
  const formatValue = args[0]!;
  if (formatValue === null) return null;
  if (!evaluate(args, 1, call, scratch)) return null;
  let format = toText(formatValue)!;
  const nul = format.indexOf('\0');
  if (nul >= 0) format = format.slice(0, nul);
  computeJD(scratch);
  computeYMD_HMS(scratch);
  let out = '';
  let from = 0;
  for (;;) {
    const pct = format.indexOf('%', from);
    if (pct < 0) break;
    out += format.slice(from, pct);
    const piece = conversion(format.charAt(pct + 1), scratch);
    if (piece === null) return null;
    out += piece;
    from = pct + 2;
  }
  return out + format.slice(from);
}

function timediffFunction(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const d1 = new DateTime();
  const d2 = new DateTime();
  if (!evaluate([args[0]!], 0, call, d1)) return null;
  if (!evaluate([args[1]!], 0, call, d2)) return null;
  computeYMD_HMS(d1);
  computeYMD_HMS(d2);
  let sign: string;
  let Y: number;
  let M: number;
  if (d1.iJD >= d2.iJD) {
    sign = '+';
    Y = d1.Y - d2.Y;
    if (Y !== 0) {
      d2.Y = d1.Y;
      d2.validJD = false;
      computeJD(d2);
    }
    M = d1.M - d2.M;
    if (M < 0) {
      Y--;
      M += 12;
    }
    if (M !== 0) {
      d2.M = d1.M;
      d2.validJD = false;
      computeJD(d2);
    }
    while (d1.iJD < d2.iJD) {
      M--;
      if (M < 0) {
        M = 11;
        Y--;
      }
      d2.M--;
      if (d2.M < 1) {
        d2.M = 12;
        d2.Y--;
      }
      d2.validJD = false;
      computeJD(d2);
    }
    d1.iJD -= d2.iJD;
  } else {
    sign = '-';
    Y = d2.Y - d1.Y;
    if (Y !== 0) {
      d2.Y = d1.Y;
      d2.validJD = false;
      computeJD(d2);
    }
    M = d2.M - d1.M;
    if (M < 0) {
      Y--;
      M += 12;
    }
    if (M !== 0) {
      d2.M = d1.M;
      d2.validJD = false;
      computeJD(d2);
    }
    while (d1.iJD > d2.iJD) {
      M--;
      if (M < 0) {
        M = 11;
        Y--;
      }
      d2.M++;
      if (d2.M > 12) {
        d2.M = 1;
        d2.Y++;
      }
      d2.validJD = false;
      computeJD(d2);
    }
    d1.iJD = d2.iJD - d1.iJD;
  }
  d1.iJD += 148699540800000;
  d1.validYMD = false;
  d1.validHMS = false;
  d1.tz = 0;
  computeYMD_HMS(d1);
  return `${sign}${zeroPadded(Y, 4)}-${zeroPadded(M, 2)}-${zeroPadded(d1.D - 1, 2)} ${zeroPadded(d1.h, 2)}:${zeroPadded(d1.m, 2)}:${formatFloat(d1.s, 'f', SECONDS_FORMAT)}`;
}

export const datetimeFunctions: FunctionDef[] = [
  scalarFunction('date', -1, dateFunction, false),
  scalarFunction('time', -1, timeFunction, false),
  scalarFunction('datetime', -1, datetimeFunction, false),
  scalarFunction('julianday', -1, juliandayFunction, false),
  scalarFunction('unixepoch', -1, unixepochFunction, false),
  scalarFunction('strftime', -1, strftimeFunction, false),
  scalarFunction('timediff', 2, timediffFunction, false),
];
