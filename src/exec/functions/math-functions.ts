/**
 * Numeric scalar functions: abs, round, sign, and the SQLITE_ENABLE_MATH_FUNCTIONS
 * set (ceil/ceiling, floor, trunc, ln, log, log10, log2, exp, pow/power,
 * sqrt, mod, pi, degrees, radians, and the trigonometric and hyperbolic
 * functions), all present in better-sqlite3's SQLite build.
 *
 * The math functions accept INTEGER, REAL and TEXT that is a well-formed
 * number (sqlite3_value_numeric_type); anything else gives NULL, and so
 * does a NaN result. log(X) is base 10, log(B, X) is base B. The
 * transcendental functions use V8's Math library, which can differ from
 * glibc's libm in the last bit.
 * abs(-9223372036854775808) raises "integer overflow". round() follows
 * SQLite: half away from zero for 0 digits, otherwise the "%!.Nf"
 * rendering read back as a number.
 */
import { SqliteError } from '../../sqlite-error.js';
import { numericAffinityOfText } from '../values/affinity.js';
import { doubleToInt64, toDouble, toInt64 } from '../values/conversions.js';
import { formatFloat, type FloatFormat } from '../values/float-format.js';
import { parseReal, parsedReal } from '../values/text-to-number.js';
import { SqlReal, integerFromBigInt, isInteger, realValue, type SqlValue } from '../values/value.js';
import { scalarFunction, type FunctionDef } from './function-types.js';

/** The value as sqlite3_value_numeric_type sees it: a number, or null when not numeric. */
function numericArgument(v: SqlValue): number | bigint | SqlReal | null {
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof SqlReal) return v;
  if (typeof v === 'string') {
    const n = numericAffinityOfText(v, false);
    return typeof n === 'string' ? null : (n as number | bigint | SqlReal);
  }
  return null;
}

function asDouble(v: number | bigint | SqlReal): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value;
}

/** A REAL result; NaN becomes NULL. */
function real(r: number): SqlValue {
  return r !== r ? null : realValue(r);
}

function abs(args: readonly SqlValue[]): SqlValue {
  const v = args[0]!;
  if (v === null) return null;
  if (isInteger(v)) {
    if (typeof v === 'number') return v < 0 ? -v : v;
    if (v === -0x8000000000000000n) throw new SqliteError('integer overflow', 'SQLITE_ERROR');
    return v < 0n ? integerFromBigInt(-v) : v;
  }
  const d = toDouble(v);
  return realValue(d < 0 ? -d : d);
}

const roundFormat: FloatFormat = {
  precision: 0,
  width: 0,
  alternate: false,
  alternate2: true,
  prefix: '',
  zeroPad: false,
  leftJustify: false,
  thousands: false,
};

function round(args: readonly SqlValue[]): SqlValue {
  let digits = 0;
  if (args.length === 2) {
    if (args[1] === null) return null;
    const n = toInt64(args[1]!);
    digits = n > 30 ? 30 : n < 0 ? 0 : Number(n);
  }
  if (args[0] === null) return null;
  let r = toDouble(args[0]!);
  if (r < -4503599627370496 || r > 4503599627370496) {
    // Already integral.
  } else if (digits === 0) {
    const t = doubleToInt64(r + (r < 0 ? -0.5 : 0.5));
    r = typeof t === 'number' ? t : Number(t);
  } else {
    roundFormat.precision = digits;
    parseReal(formatFloat(r, 'f', roundFormat));
    r = parsedReal();
  }
  return realValue(r);
}

function sign(args: readonly SqlValue[]): SqlValue {
  const v = numericArgument(args[0]!);
  if (v === null) return null;
  const d = asDouble(v);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

function unary(fn: (x: number) => number): (args: readonly SqlValue[]) => SqlValue {
  return (args) => {
    const v = numericArgument(args[0]!);
    return v === null ? null : real(fn(asDouble(v)));
  };
}

function binary(fn: (x: number, y: number) => number): (args: readonly SqlValue[]) => SqlValue {
  return (args) => {
    const a = numericArgument(args[0]!);
    const b = numericArgument(args[1]!);
    if (a === null || b === null) return null;
    return real(fn(asDouble(a), asDouble(b)));
  };
}

/** ceil/floor/trunc: INTEGER stays INTEGER, REAL is rounded. */
function integralRounding(fn: (x: number) => number): (args: readonly SqlValue[]) => SqlValue {
  return (args) => {
    const v = numericArgument(args[0]!);
    if (v === null) return null;
    if (isInteger(v)) return v;
    return real(fn(asDouble(v)));
  };
}

/** log(X) is base 10; log(B, X) needs a numeric B > 1 and reads X as a double. */
function log(args: readonly SqlValue[]): SqlValue {
  const first = numericArgument(args[0]!);
  if (first === null) return null;
  const a = asDouble(first);
  if (a <= 0) return null;
  if (args.length === 1) return real(Math.log10(a));
  const lb = Math.log(a);
  if (lb <= 0) return null;
  const x = toDouble(args[1]!);
  return x <= 0 ? null : real(Math.log(x) / lb);
}

function positiveLog(fn: (x: number) => number): (args: readonly SqlValue[]) => SqlValue {
  return (args) => {
    const v = numericArgument(args[0]!);
    if (v === null) return null;
    const d = asDouble(v);
    return d <= 0 ? null : real(fn(d));
  };
}

/** C's pow(): unlike Math.pow, 1^y is 1 for every y and (-1)^±Infinity is 1. */
function cPow(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

export const mathFunctions: FunctionDef[] = [
  scalarFunction('abs', 1, abs),
  scalarFunction('round', 1, round),
  scalarFunction('round', 2, round),
  scalarFunction('sign', 1, sign),
  scalarFunction('ceil', 1, integralRounding(Math.ceil)),
  scalarFunction('ceiling', 1, integralRounding(Math.ceil)),
  scalarFunction('floor', 1, integralRounding(Math.floor)),
  scalarFunction('trunc', 1, integralRounding(Math.trunc)),
  scalarFunction('ln', 1, positiveLog(Math.log)),
  scalarFunction('log', 1, log),
  scalarFunction('log', 2, log),
  scalarFunction('log10', 1, positiveLog(Math.log10)),
  scalarFunction('log2', 1, positiveLog(Math.log2)),
  scalarFunction('exp', 1, unary(Math.exp)),
  scalarFunction('pow', 2, binary(cPow)),
  scalarFunction('power', 2, binary(cPow)),
  scalarFunction('sqrt', 1, unary(Math.sqrt)),
  scalarFunction('mod', 2, binary((x, y) => x % y)),
  scalarFunction('pi', 0, () => Math.PI),
  scalarFunction('degrees', 1, unary((x) => x * (180 / Math.PI))),
  scalarFunction('radians', 1, unary((x) => x * (Math.PI / 180))),
  scalarFunction('sin', 1, unary(Math.sin)),
  scalarFunction('cos', 1, unary(Math.cos)),
  scalarFunction('tan', 1, unary(Math.tan)),
  scalarFunction('asin', 1, unary(Math.asin)),
  scalarFunction('acos', 1, unary(Math.acos)),
  scalarFunction('atan', 1, unary(Math.atan)),
  scalarFunction('atan2', 2, binary(Math.atan2)),
  scalarFunction('sinh', 1, unary(Math.sinh)),
  scalarFunction('cosh', 1, unary(Math.cosh)),
  scalarFunction('tanh', 1, unary(Math.tanh)),
  scalarFunction('asinh', 1, unary(Math.asinh)),
  scalarFunction('acosh', 1, unary(Math.acosh)),
  scalarFunction('atanh', 1, unary(Math.atanh)),
];
