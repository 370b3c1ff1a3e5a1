/**
 * The date/time value behind SQLite's date and time functions: parsing a
 * time-value, applying modifiers, and converting between the julian-day
 * form and calendar fields, with SQLite 3.53's exact arithmetic (date.c).
 *
 * A `DateTime` holds the instant as `iJD`, the julian day number times
 * 86400000 (an integer of milliseconds, 0 at -4713-11-24 12:00:00), and/or
 * calendar fields Y-M-D h:m:s, with flags saying which forms are current,
 * exactly like SQLite's struct DateTime. All integer steps reproduce C's
 * truncating division so results match SQLite digit for digit, including
 * its quirks (day-of-month overflow rolls into the next month unless
 * 'floor' is applied, 'localtime' maps years outside 1970..2037 to an
 * equivalent year, and so on).
 *
 * Promise: `evaluateTimeValue(args, first, count, now)` returns a valid
 * DateTime for the time-value `args[first]` and the modifiers after it, or
 * null whenever SQLite's function would return NULL. Local time comes from
 * the process time zone (the TZ environment variable), through JS Date,
 * which reads the same zone database as the C library.
 */
import { toText } from '../values/conversions.js';
import { ATOF_TRAILING, parseReal, parsedReal, isSpaceCode } from '../values/text-to-number.js';
import { SqlReal, type SqlValue } from '../values/value.js';

/** iJD of 1970-01-01 00:00:00 (the Unix epoch). */
export const UNIX_EPOCH_JD_MS = 210866760000000;
/** The largest valid iJD: 9999-12-31 23:59:59.999. */
const MAX_JD_MS = 464269060799999;
const DAY_MS = 86400000;

/** C's `int` division: truncates toward zero. */
function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

export class DateTime {
  /** Julian day number times 86400000. */
  iJD = 0;
  Y = 0;
  M = 0;
  D = 0;
  h = 0;
  m = 0;
  /** Time zone offset in minutes. */
  tz = 0;
  /** Seconds, possibly fractional; also holds a raw number (rawS). */
  s = 0;
  validJD = false;
  validYMD = false;
  validHMS = false;
  /** Days to subtract to implement 'floor'. */
  nFloor = 0;
  /** `s` holds a raw number not yet known to be a julian day or unix time. */
  rawS = false;
  isError = false;
  useSubsec = false;
  isUtc = false;
  isLocal = false;

  copyFrom(o: DateTime): void {
    this.iJD = o.iJD;
    this.Y = o.Y;
    this.M = o.M;
    this.D = o.D;
    this.h = o.h;
    this.m = o.m;
    this.tz = o.tz;
    this.s = o.s;
    this.validJD = o.validJD;
    this.validYMD = o.validYMD;
    this.validHMS = o.validHMS;
    this.nFloor = o.nFloor;
    this.rawS = o.rawS;
    this.isError = o.isError;
    this.useSubsec = o.useSubsec;
    this.isUtc = o.isUtc;
    this.isLocal = o.isLocal;
  }

  reset(): void {
    this.copyFrom(EMPTY);
  }

  /** SQLite's datetimeError: everything cleared, error flag set. */
  setError(): void {
    this.reset();
    this.isError = true;
  }
}

const EMPTY = new DateTime();

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** ASCII case-insensitive equality (sqlite3_stricmp). */
function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** sqlite3AtoF(...) > 0: the whole text (spaces allowed around it) is a number. */
function wholeNumber(s: string): number | null {
  const rc = parseReal(s);
  return rc !== 0 && (rc & ATOF_TRAILING) === 0 ? parsedReal() : null;
}

const digitsOut: number[] = [0, 0, 0];

/**
 * SQLite's getDigits: reads fields of `widths[i]` digits in `[mins[i],
 * maxs[i]]`, each followed by `seps[i]` (0 = last field, no separator
 * check). Returns how many fields were read; values land in `digitsOut`.
 */
function getDigits(z: string, at: number, widths: readonly number[], mins: readonly number[], maxs: readonly number[], seps: readonly number[]): number {
  let count = 0;
  for (let f = 0; f < widths.length; f++) {
    let val = 0;
    for (let k = 0; k < widths[f]!; k++) {
      const c = z.charCodeAt(at);
      if (!isDigit(c)) return count;
      val = val * 10 + c - 0x30;
      at++;
    }
    const sep = seps[f]!;
    if (val < mins[f]! || val > maxs[f]! || (sep !== 0 && sep !== z.charCodeAt(at))) return count;
    digitsOut[count] = val;
    at++;
    count++;
  }
  return count;
}

const COLON = 0x3a;
const DASH = 0x2d;
/** "20b:20e": hours 0..14, minutes 0..59 (time zone offsets). */
const TZ_FORMAT = [[2, 2], [0, 0], [14, 59], [COLON, 0]] as const;
/** "20c:20e": hours 0..24, minutes 0..59. */
const HM_FORMAT = [[2, 2], [0, 0], [24, 59], [COLON, 0]] as const;
/** "40f-21a-21d": year, month 1..12, day 1..31. */
const YMD_FORMAT = [[4, 2, 2], [0, 1, 1], [14712, 12, 31], [DASH, DASH, 0]] as const;

function readFields(z: string, at: number, format: readonly (readonly number[])[]): number {
  return getDigits(z, at, format[0]!, format[1]!, format[2]!, format[3]!);
}

function skipSpaces(z: string, at: number): number {
  while (isSpaceCode(z.charCodeAt(at))) at++;
  return at;
}

/** parseTimezone: returns true on a syntax error. */
function parseTimezone(z: string, at: number, p: DateTime): boolean {
  at = skipSpaces(z, at);
  p.tz = 0;
  const c = z.charCodeAt(at);
  let sign: number;
  if (c === DASH) {
    sign = -1;
  } else if (c === 0x2b) {
    sign = 1;
  } else if (c === 0x5a || c === 0x7a) {
    p.isLocal = false;
    p.isUtc = true;
    return skipSpaces(z, at + 1) < z.length;
  } else {
    return at < z.length;
  }
  at++;
  if (readFields(z, at, TZ_FORMAT) !== 2) return true;
  at += 5;
  p.tz = sign * (digitsOut[1]! + digitsOut[0]! * 60);
  if (p.tz === 0) {
    p.isLocal = false;
    p.isUtc = true;
  }
  return skipSpaces(z, at) < z.length;
}

/** parseHhMmSs: HH:MM[:SS[.FFF]] plus an optional time zone. True on error. */
function parseHhMmSs(z: string, at: number, p: DateTime): boolean {
  if (readFields(z, at, HM_FORMAT) !== 2) return true;
  const h = digitsOut[0]!;
  const m = digitsOut[1]!;
  let s = 0;
  let ms = 0;
  at += 5;
  if (z.charCodeAt(at) === COLON) {
    at++;
    const c0 = z.charCodeAt(at);
    const c1 = z.charCodeAt(at + 1);
    if (!isDigit(c0) || !isDigit(c1)) return true;
    s = (c0 - 0x30) * 10 + (c1 - 0x30);
    if (s > 59) return true;
    at += 2;
    if (z.charCodeAt(at) === 0x2e && isDigit(z.charCodeAt(at + 1))) {
      let scale = 1.0;
      at++;
      while (isDigit(z.charCodeAt(at))) {
        ms = ms * 10.0 + z.charCodeAt(at) - 0x30;
        scale *= 10.0;
        at++;
      }
      ms /= scale;
      if (ms > 0.999) ms = 0.999;
    }
  }
  p.validJD = false;
  p.rawS = false;
  p.validHMS = true;
  p.h = h;
  p.m = m;
  p.s = s + ms;
  return parseTimezone(z, at, p);
}

/** computeJD: calendar fields to iJD (assumes 2000-01-01 when there is no date). */
export function computeJD(p: DateTime): void {
  if (p.validJD) return;
  let Y: number;
  let M: number;
  let D: number;
  if (p.validYMD) {
    Y = p.Y;
    M = p.M;
    D = p.D;
  } else {
    Y = 2000;
    M = 1;
    D = 1;
  }
  if (Y < -4713 || Y > 9999 || p.rawS) {
    p.setError();
    return;
  }
  if (M <= 2) {
    Y--;
    M += 12;
  }
  const A = idiv(Y + 4800, 100);
  const B = 38 - A + idiv(A, 4);
  const X1 = idiv(36525 * (Y + 4716), 100);
  const X2 = idiv(306001 * (M + 1), 10000);
  p.iJD = Math.trunc((X1 + X2 + D + B - 1524.5) * DAY_MS);
  p.validJD = true;
  if (p.validHMS) {
    p.iJD += p.h * 3600000 + p.m * 60000 + Math.trunc(p.s * 1000 + 0.5);
    if (p.tz !== 0) {
      p.iJD -= p.tz * 60000;
      p.validYMD = false;
      p.validHMS = false;
      p.tz = 0;
      p.isUtc = true;
      p.isLocal = false;
    }
  }
}

/** computeFloor: days past the end of the month for 'floor'. */
function computeFloor(p: DateTime): void {
  if (p.D <= 28) {
    p.nFloor = 0;
  } else if (((1 << p.M) & 0x15aa) !== 0) {
    p.nFloor = 0;
  } else if (p.M !== 2) {
    p.nFloor = p.D === 31 ? 1 : 0;
  } else if (p.Y % 4 !== 0 || (p.Y % 100 === 0 && p.Y % 400 !== 0)) {
    p.nFloor = p.D - 28;
  } else {
    p.nFloor = p.D - 29;
  }
}

function parseYyyyMmDd(z: string, p: DateTime): boolean {
  let at = 0;
  let negative = false;
  if (z.charCodeAt(0) === DASH) {
    at = 1;
    negative = true;
  }
  if (readFields(z, at, YMD_FORMAT) !== 3) return true;
  const Y = digitsOut[0]!;
  const M = digitsOut[1]!;
  const D = digitsOut[2]!;
  at += 10;
  while (isSpaceCode(z.charCodeAt(at)) || z.charCodeAt(at) === 0x54) at++;
  if (!parseHhMmSs(z, at, p)) {
    // The time was parsed.
  } else if (at >= z.length) {
    p.validHMS = false;
  } else {
    return true;
  }
  p.validJD = false;
  p.validYMD = true;
  p.Y = negative ? -Y : Y;
  p.M = M;
  p.D = D;
  computeFloor(p);
  if (p.tz !== 0) computeJD(p);
  return false;
}

function clearYMD_HMS_TZ(p: DateTime): void {
  p.validYMD = false;
  p.validHMS = false;
  p.tz = 0;
}

function setToNow(p: DateTime, nowMs: number): void {
  p.iJD = nowMs + UNIX_EPOCH_JD_MS;
  p.validJD = true;
  p.isUtc = true;
  p.isLocal = false;
  clearYMD_HMS_TZ(p);
}

function setRawDateNumber(p: DateTime, r: number): void {
  p.s = r;
  p.rawS = true;
  if (r >= 0.0 && r < 5373484.5) {
    p.iJD = Math.trunc(r * 86400000.0 + 0.5);
    p.validJD = true;
  }
}

/** parseDateOrTime: true on error. */
function parseDateOrTime(z: string, p: DateTime, nowMs: () => number): boolean {
  if (!parseYyyyMmDd(z, p)) return false;
  if (!parseHhMmSs(z, 0, p)) return false;
  if (equalsIgnoreCase(z, 'now')) {
    setToNow(p, nowMs());
    return false;
  }
  const r = wholeNumber(z);
  if (r !== null) {
    setRawDateNumber(p, r);
    return false;
  }
  if (equalsIgnoreCase(z, 'subsec') || equalsIgnoreCase(z, 'subsecond')) {
    p.useSubsec = true;
    setToNow(p, nowMs());
    return false;
  }
  return true;
}

function validJulianDay(iJD: number): boolean {
  return iJD >= 0 && iJD <= MAX_JD_MS;
}

/** computeYMD: iJD to year, month, day. */
export function computeYMD(p: DateTime): void {
  if (p.validYMD) return;
  if (!p.validJD) {
    p.Y = 2000;
    p.M = 1;
    p.D = 1;
  } else if (!validJulianDay(p.iJD)) {
    p.setError();
    return;
  } else {
    const Z = Math.trunc((p.iJD + 43200000) / DAY_MS);
    const alpha = Math.trunc((Z + 32044.75) / 36524.25) - 52;
    const A = Z + 1 + alpha - idiv(alpha + 100, 4) + 25;
    const B = A + 1524;
    const C = Math.trunc((B - 122.1) / 365.25);
    const D = idiv(36525 * (C & 32767), 100);
    const E = Math.trunc((B - D) / 30.6001);
    const X1 = Math.trunc(30.6001 * E);
    p.D = B - D - X1;
    p.M = E < 14 ? E - 1 : E - 13;
    p.Y = p.M > 2 ? C - 4716 : C - 4715;
  }
  p.validYMD = true;
}

/** computeHMS: iJD to hour, minute, seconds. */
export function computeHMS(p: DateTime): void {
  if (p.validHMS) return;
  computeJD(p);
  const dayMs = (p.iJD + 43200000) % DAY_MS;
  p.s = (dayMs % 60000) / 1000.0;
  const dayMin = idiv(dayMs, 60000);
  p.m = dayMin % 60;
  p.h = idiv(dayMin, 60);
  p.rawS = false;
  p.validHMS = true;
}

export function computeYMD_HMS(p: DateTime): void {
  computeYMD(p);
  computeHMS(p);
}

/** toLocaltime: reinterprets the UTC instant in `p` as local calendar fields. */
function toLocaltime(p: DateTime): void {
  computeJD(p);
  let seconds: number;
  let yearDiff: number;
  if (p.iJD < 2108667600 * 100000 || p.iJD > 2130141456 * 100000) {
    const x = new DateTime();
    x.copyFrom(p);
    computeYMD_HMS(x);
    yearDiff = 2000 + (x.Y % 4) - x.Y;
    x.Y += yearDiff;
    x.validJD = false;
    computeJD(x);
    seconds = Math.trunc(x.iJD / 1000) - 21086676 * 10000;
  } else {
    yearDiff = 0;
    seconds = Math.trunc(p.iJD / 1000) - 21086676 * 10000;
  }
  const local = new Date(seconds * 1000);
  p.Y = local.getFullYear() - yearDiff;
  p.M = local.getMonth() + 1;
  p.D = local.getDate();
  p.h = local.getHours();
  p.m = local.getMinutes();
  p.s = local.getSeconds() + (p.iJD % 1000) * 0.001;
  p.validYMD = true;
  p.validHMS = true;
  p.validJD = false;
  p.rawS = false;
  p.tz = 0;
  p.isError = false;
}

/** The 'NNN units' modifiers: name, largest |NNN| (a C float), seconds per unit. */
const UNITS: readonly { name: string; limit: number; seconds: number }[] = [
  { name: 'second', limit: Math.fround(4.6427e14), seconds: 1 },
  { name: 'minute', limit: Math.fround(7.7379e12), seconds: 60 },
  { name: 'hour', limit: Math.fround(1.2897e11), seconds: 3600 },
  { name: 'day', limit: Math.fround(5373485.0), seconds: 86400 },
  { name: 'month', limit: Math.fround(176546.0), seconds: 2592000 },
  { name: 'year', limit: Math.fround(14713.0), seconds: 31536000 },
];

function autoAdjustDate(p: DateTime): void {
  if (!p.rawS || p.validJD) {
    p.rawS = false;
  } else if (p.s >= -21086676 * 10000 && p.s <= 25340230 * 10000 + 799) {
    const r = p.s * 1000.0 + 210866760000000.0;
    clearYMD_HMS_TZ(p);
    p.iJD = Math.trunc(r + 0.5);
    p.validJD = true;
    p.rawS = false;
  }
}

/** Normalises a month number into 1..12, carrying into the year. */
function normalizeMonth(p: DateTime): void {
  const x = p.M > 0 ? idiv(p.M - 1, 12) : idiv(p.M - 12, 12);
  p.Y += x;
  p.M -= x * 12;
}

/** The 'utc' modifier: finds the UTC instant whose local time is `p`. */
function localToUtc(p: DateTime): void {
  computeJD(p);
  const original = p.iJD;
  let guess = original;
  let error = 0;
  let count = 0;
  const probe = new DateTime();
  do {
    probe.reset();
    guess -= error;
    probe.iJD = guess;
    probe.validJD = true;
    toLocaltime(probe);
    computeJD(probe);
    error = probe.iJD - original;
  } while (error !== 0 && count++ < 3);
  p.reset();
  p.iJD = guess;
  p.validJD = true;
  p.isUtc = true;
  p.isLocal = false;
}

/** Applies one modifier (`index` is its argument position). True on error. */
function applyModifier(z: string, p: DateTime, index: number): boolean {
  switch (z.charCodeAt(0) | 0x20) {
    case 0x61: // a
      if (equalsIgnoreCase(z, 'auto')) {
        if (index > 1) return true;
        autoAdjustDate(p);
        return false;
      }
      return true;
    case 0x63: // c
      if (equalsIgnoreCase(z, 'ceiling')) {
        computeJD(p);
        clearYMD_HMS_TZ(p);
        p.nFloor = 0;
        return false;
      }
      return true;
    case 0x66: // f
      if (equalsIgnoreCase(z, 'floor')) {
        computeJD(p);
        p.iJD -= p.nFloor * DAY_MS;
        clearYMD_HMS_TZ(p);
        return false;
      }
      return true;
    case 0x6a: // j
      if (equalsIgnoreCase(z, 'julianday')) {
        if (index > 1) return true;
        if (p.validJD && p.rawS) {
          p.rawS = false;
          return false;
        }
      }
      return true;
    case 0x6c: // l
      if (equalsIgnoreCase(z, 'localtime')) {
        if (!p.isLocal) toLocaltime(p);
        p.isUtc = false;
        p.isLocal = true;
        return false;
      }
      return true;
    case 0x75: // u
      if (equalsIgnoreCase(z, 'unixepoch') && p.rawS) {
        if (index > 1) return true;
        const r = p.s * 1000.0 + 210866760000000.0;
        if (r >= 0.0 && r < 464269060800000.0) {
          clearYMD_HMS_TZ(p);
          p.iJD = Math.trunc(r + 0.5);
          p.validJD = true;
          p.rawS = false;
          return false;
        }
        return true;
      }
      if (equalsIgnoreCase(z, 'utc')) {
        if (!p.isUtc) localToUtc(p);
        return false;
      }
      return true;
    case 0x77: // w
      return applyWeekday(z, p);
    case 0x73: // s
      return applyStartOf(z, p);
    default: {
      const c = z.charCodeAt(0);
      if (c === 0x2b || c === DASH || isDigit(c)) return applyOffset(z, p);
      return true;
    }
  }
}

function applyWeekday(z: string, p: DateTime): boolean {
  if (z.length < 8 || z.slice(0, 8).toLowerCase() !== 'weekday ') return true;
  const r = wholeNumber(z.slice(8));
  if (r === null || !(r >= 0.0 && r < 7.0) || Math.trunc(r) !== r) return true;
  const n = r;
  computeYMD_HMS(p);
  p.tz = 0;
  p.validJD = false;
  computeJD(p);
  let Z = Math.trunc((p.iJD + 129600000) / DAY_MS) % 7;
  if (Z > n) Z -= 7;
  p.iJD += (n - Z) * DAY_MS;
  clearYMD_HMS_TZ(p);
  return false;
}

function applyStartOf(z: string, p: DateTime): boolean {
  if (z.length < 9 || z.slice(0, 9).toLowerCase() !== 'start of ') {
    if (equalsIgnoreCase(z, 'subsec') || equalsIgnoreCase(z, 'subsecond')) {
      p.useSubsec = true;
      return false;
    }
    return true;
  }
  if (!p.validJD && !p.validYMD && !p.validHMS) return true;
  const unit = z.slice(9);
  computeYMD(p);
  p.validHMS = true;
  p.h = 0;
  p.m = 0;
  p.s = 0.0;
  p.rawS = false;
  p.tz = 0;
  p.validJD = false;
  if (equalsIgnoreCase(unit, 'month')) {
    p.D = 1;
    return false;
  }
  if (equalsIgnoreCase(unit, 'year')) {
    p.M = 1;
    p.D = 1;
    return false;
  }
  return !equalsIgnoreCase(unit, 'day');
}

/** "50f-20a-20d" / "40f-20a-20d": a signed YYYY-MM-DD offset (month 0..12, day 0..31). */
const OFFSET_YMD_4 = [[4, 2, 2], [0, 0, 0], [14712, 12, 31], [DASH, DASH, 0]] as const;
const OFFSET_YMD_5 = [[5, 2, 2], [0, 0, 0], [14712, 12, 31], [DASH, DASH, 0]] as const;

function fourOrFiveDigitYear(z: string, n: number): boolean {
  if (n !== 5 && n !== 6) return false;
  for (let k = 1; k < n; k++) if (!isDigit(z.charCodeAt(k))) return false;
  return Number(z.slice(1, n)) <= 14712;
}

/** The modifiers that start with a sign or digit: ±HH:MM[:SS.SSS], ±YYYY-MM-DD[ HH:MM...], NNN units. */
function applyOffset(z: string, p: DateTime): boolean {
  const z0 = z.charCodeAt(0);
  let n = 1;
  for (; n < z.length; n++) {
    const c = z.charCodeAt(n);
    if (c === COLON || isSpaceCode(c)) break;
    if (c === DASH && fourOrFiveDigitYear(z, n)) break;
  }
  const r = wholeNumber(z.slice(0, n));
  if (r === null) return true;
  let timeText = z;
  let timeAt = 0;
  if (z.charCodeAt(n) === DASH) {
    if (z0 !== 0x2b && z0 !== DASH) return true;
    let base = 0;
    if (n === 5) {
      if (readFields(z, 1, OFFSET_YMD_4) !== 3) return true;
    } else {
      if (readFields(z, 1, OFFSET_YMD_5) !== 3) return true;
      base = 1;
    }
    const Y = digitsOut[0]!;
    const M = digitsOut[1]!;
    let D = digitsOut[2]!;
    if (M >= 12 || D >= 31) return true;
    computeYMD_HMS(p);
    p.validJD = false;
    if (z0 === DASH) {
      p.Y -= Y;
      p.M -= M;
      D = -D;
    } else {
      p.Y += Y;
      p.M += M;
    }
    normalizeMonth(p);
    computeFloor(p);
    computeJD(p);
    p.validHMS = false;
    p.validYMD = false;
    p.iJD += D * DAY_MS;
    const after = base + 11;
    if (after >= z.length) return false;
    if (!isSpaceCode(z.charCodeAt(after)) || readFields(z, after + 1, HM_FORMAT) !== 2) return true;
    timeText = z;
    timeAt = after + 1;
    n = 2;
  }
  if (timeText.charCodeAt(timeAt + n) === COLON) {
    let at = timeAt;
    if (!isDigit(timeText.charCodeAt(at))) at++;
    const tx = new DateTime();
    if (parseHhMmSs(timeText, at, tx)) return true;
    computeJD(tx);
    tx.iJD -= 43200000;
    const day = Math.trunc(tx.iJD / DAY_MS);
    tx.iJD -= day * DAY_MS;
    if (z0 === DASH) tx.iJD = -tx.iJD;
    computeJD(p);
    clearYMD_HMS_TZ(p);
    p.iJD += tx.iJD;
    return false;
  }
  let at = n;
  while (isSpaceCode(z.charCodeAt(at))) at++;
  let unit = z.slice(at);
  if (unit.length < 3 || unit.length > 10) return true;
  if ((unit.charCodeAt(unit.length - 1) | 0x20) === 0x73) unit = unit.slice(0, -1);
  unit = unit.toLowerCase();
  computeJD(p);
  const rounder = r < 0 ? -0.5 : 0.5;
  p.nFloor = 0;
  let failed = true;
  for (let i = 0; i < UNITS.length; i++) {
    const u = UNITS[i]!;
    if (u.name !== unit || !(r > -u.limit && r < u.limit)) continue;
    let rest = r;
    if (i === 4) {
      computeYMD_HMS(p);
      p.M += Math.trunc(r);
      normalizeMonth(p);
      computeFloor(p);
      p.validJD = false;
      rest = r - Math.trunc(r);
    } else if (i === 5) {
      computeYMD_HMS(p);
      p.Y += Math.trunc(r);
      computeFloor(p);
      p.validJD = false;
      rest = r - Math.trunc(r);
    }
    computeJD(p);
    p.iJD += Math.trunc(rest * 1000.0 * u.seconds + rounder);
    failed = false;
    break;
  }
  clearYMD_HMS_TZ(p);
  return failed;
}

/** C string view of a SQL text: everything before the first NUL. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * SQLite's isDate(): builds the DateTime for `args[first]` (the time-value)
 * and the `count - 1` modifiers after it, into `p`. With `count` 0 the
 * value is 'now'. Returns false when the result is NULL.
 */
export function evaluateTimeValue(args: readonly SqlValue[], first: number, count: number, nowMs: () => number, p: DateTime): boolean {
  p.reset();
  if (count === 0) {
    setToNow(p, nowMs());
    return true;
  }
  const value = args[first]!;
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof SqlReal) {
    setRawDateNumber(p, typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : value.value);
  } else {
    const text = toText(value);
    if (text === null || parseDateOrTime(cString(text), p, nowMs)) return false;
  }
  for (let i = 1; i < count; i++) {
    const text = toText(args[first + i]!);
    if (text === null || applyModifier(cString(text), p, i)) return false;
  }
  computeJD(p);
  if (p.isError || !validJulianDay(p.iJD)) return false;
  if (count === 1 && p.validYMD && p.D > 28) p.validYMD = false;
  return true;
}
