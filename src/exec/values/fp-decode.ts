/**
 * Double to decimal digits, exactly as SQLite 3.5x's `sqlite3FpDecode` does.
 *
 * SQLite does not use the C library to print floating point. It multiplies
 * the 64-bit mantissa by a 64-bit approximation of a power of ten (from a
 * 96-bit table rounded to nearest; 10^-1 is truncated), keeps the top bits,
 * and rounds the resulting 18 (or precision+1) digits half-up. Because the
 * power of ten is approximate, ties such as `printf('%.2e', 11250000)` round
 * the "wrong" way (1.12e+07) and a plain correctly-rounded algorithm would
 * not match. This module reproduces the arithmetic with BigInt so every
 * digit SQLite prints, Shoal prints.
 *
 * Promise: `fpDecode(r, iRound, mxRound)` fills the exported `FpDigits`
 * record with the same sign, special flag, digit string and decimal-point
 * position that SQLite computes for the same arguments.
 */

/** The decoded form of a double: value = 0.digits × 10^decimalPoint. */
export interface FpDigits {
  /** '-' or '+'. */
  sign: '-' | '+';
  /** 0 normal, 1 infinity, 2 NaN. */
  special: 0 | 1 | 2;
  /** Significant digits, no trailing zeros ("0" for zero; "" when special). */
  digits: string;
  /** Position of the decimal point relative to the first digit (iDP). */
  decimalPoint: number;
}

const MASK64 = (1n << 64n) - 1n;

/** floor(log2(10^p)) per SQLite's fixed-point approximation. */
function pow10to2(p: number): number {
  return (p * 108853) >> 15;
}

/** floor(log10(2^p)) per SQLite's fixed-point approximation. */
function pow2to10(p: number): number {
  return (p * 78913) >> 18;
}

function bitLength(x: bigint): number {
  return x.toString(2).length;
}

/** 10^p normalised into 64 bits (exact for 0 <= p <= 26). */
const base: bigint[] = [];
for (let p = 0; p <= 26; p++) {
  const v = 10n ** BigInt(p);
  const shift = 64 - bitLength(v);
  base.push(shift >= 0 ? v << BigInt(shift) : v >> BigInt(-shift));
}

/** The 96-bit scale table: 10^(27(g-13)) rounded to nearest, index 13 = 10^-1 truncated. */
const scaleHi: bigint[] = [];
const scaleLo: bigint[] = [];
for (let g = 0; g < 26; g++) {
  let v96: bigint;
  if (g === 13) {
    v96 = (0xccccccccccccccccn << 32n) | 0xccccccccn;
  } else {
    const p = (g - 13) * 27;
    const num = p >= 0 ? 10n ** BigInt(p) : 1n;
    const den = p >= 0 ? 1n : 10n ** BigInt(-p);
    let shift = 96 - (bitLength(num) - bitLength(den));
    const scaled = (s: number): [bigint, bigint, bigint] => {
      const n = s >= 0 ? num << BigInt(s) : num;
      const d = s >= 0 ? den : den << BigInt(-s);
      return [n / d, n % d, d];
    };
    let [q, r, d] = scaled(shift);
    if (q >= 1n << 96n) [q, r, d] = scaled(--shift);
    if (q < 1n << 95n) [q, r, d] = scaled(++shift);
    v96 = 2n * r >= d ? q + 1n : q;
  }
  scaleHi.push(v96 >> 32n);
  scaleLo.push(v96 & 0xffffffffn);
}

const powerCache = new Map<number, bigint>();

/** The most significant 64 bits of 10^p as SQLite's powerOfTen() computes them. */
function powerOfTen(p: number): bigint {
  if (p >= 0 && p < 27) return base[p]!;
  const cached = powerCache.get(p);
  if (cached !== undefined) return cached;
  let g: number;
  let n: number;
  if (p === -1) return scaleHi[13]!;
  g = Math.trunc(p / 27);
  n = p % 27;
  if (p < 0 && n !== 0) {
    g--;
    n += 27;
  }
  let result: bigint;
  const s = scaleHi[g + 13]!;
  if (n === 0) {
    result = s;
  } else {
    const b = base[n]!;
    const r = s * b + ((scaleLo[g + 13]! * b) >> 32n);
    let x = (r >> 64n) & MASK64;
    const lo = (r >> 32n) & 0xffffffffn;
    if ((x & (1n << 63n)) === 0n) x = ((x << 1n) | ((lo >> 31n) & 1n)) & MASK64;
    result = x;
  }
  powerCache.set(p, result);
  return result;
}

const bitsView = new DataView(new ArrayBuffer(8));

/** Scratch result shared by every call; callers copy what they keep. */
export const fpDigits: FpDigits = { sign: '+', special: 0, digits: '0', decimalPoint: 1 };

/**
 * Decodes positive-or-negative `r` into `fpDigits`.
 *
 * iRound > 0: round to min(iRound, mxRound) significant digits.
 * iRound <= 0: round to -iRound digits after the decimal point (at most
 * mxRound significant digits).
 */
export function fpDecode(r: number, iRound: number, mxRound: number): FpDigits {
  const out = fpDigits;
  out.special = 0;
  if (r < 0) {
    out.sign = '-';
    r = -r;
  } else if (r === 0) {
    out.sign = '+';
    out.digits = '0';
    out.decimalPoint = 1;
    return out;
  } else {
    out.sign = '+';
  }
  if (!Number.isFinite(r)) {
    out.special = Number.isNaN(r) ? 2 : 1;
    out.digits = '';
    out.decimalPoint = 0;
    return out;
  }
  bitsView.setFloat64(0, r);
  const hi = bitsView.getUint32(0);
  const lo = bitsView.getUint32(4);
  let biasedExp = hi >>> 20;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biasedExp === 0) {
    const leadingZeros = 64 - bitLength(mantissa);
    mantissa <<= BigInt(leadingZeros);
    e = -1074 - leadingZeros;
  } else {
    mantissa = (mantissa << 11n) | (1n << 63n);
    e = biasedExp - 1086;
  }
  const wanted = iRound <= 0 || iRound >= 18 ? 18 : iRound + 1;
  const p = wanted - 1 - pow2to10(e + 63);
  let h = (mantissa * powerOfTen(p)) >> 64n;
  let decimal: bigint;
  if (wanted === 18) {
    h >>= BigInt(-(e + pow10to2(p) + 2));
    decimal = (h + 2n * (h & 1n)) >> 1n;
  } else {
    decimal = h >> BigInt(-(e + pow10to2(p) + 1));
  }
  const exp10 = -p;

  let z = decimal.toString();
  let n = z.length;
  let decimalPoint = n + exp10;
  if (iRound <= 0) {
    iRound = decimalPoint - iRound;
    if (iRound === 0 && z.charCodeAt(0) >= 0x35) {
      iRound = 1;
      z = '0' + z;
      n++;
      decimalPoint++;
    }
  }
  if (iRound > 0 && (iRound < n || n > mxRound)) {
    if (iRound > mxRound) iRound = mxRound;
    if (iRound === 17) iRound = shortenSeventeen(z, r, exp10, n, decimalPoint, iRound);
    n = iRound;
    if (z.charCodeAt(iRound) >= 0x35) {
      const rounded = incrementDigits(z.slice(0, iRound));
      if (rounded.length > iRound) {
        n++;
        decimalPoint++;
      }
      z = rounded;
    } else {
      z = z.slice(0, iRound);
    }
  }
  z = z.slice(0, n);
  let end = n;
  while (end > 1 && z.charCodeAt(end - 1) === 0x30) end--;
  out.digits = end === n ? z : z.slice(0, end);
  out.decimalPoint = decimalPoint;
  return out;
}

/** Adds one unit in the last place to a digit string ("199" -> "200", "99" -> "100"). */
function incrementDigits(z: string): string {
  let j = z.length - 1;
  while (j >= 0 && z.charCodeAt(j) === 0x39) j--;
  if (j < 0) return '1' + '0'.repeat(z.length);
  return z.slice(0, j) + String.fromCharCode(z.charCodeAt(j) + 1) + '0'.repeat(z.length - 1 - j);
}

/**
 * With exactly 17 requested digits ("%!.17g"), SQLite prints fewer when a
 * shorter digit string round-trips to the same double and the 18-digit
 * expansion ends in "99" or "000".
 */
function shortenSeventeen(z: string, r: number, exp10: number, n: number, decimalPoint: number, iRound: number): number {
  if (z[15] === '9' && z[14] === '9') {
    let jj = 14;
    while (jj > 0 && z[jj - 1] === '9') jj--;
    const shorter = jj === 0 ? 1n : BigInt(z.slice(0, jj)) + 1n;
    if (r === Number(`${shorter}e${exp10 + n - jj}`)) return jj + 1;
  } else if (decimalPoint >= n || (z[15] === '0' && z[14] === '0' && z[13] === '0')) {
    let jj = 13;
    while (z[jj - 1] === '0') jj--;
    if (r === Number(`${z.slice(0, jj)}e${exp10 + n - jj}`)) return jj + 1;
  }
  return iRound;
}
