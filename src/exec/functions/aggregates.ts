/**
 * Built-in aggregate functions: count(*), count(x), sum, total, avg, min,
 * max, group_concat(x[, sep]) and string_agg(x, sep). (json_group_array
 * and json_group_object live with the JSON functions.)
 *
 * sum/total/avg follow SQLite exactly: INTEGER inputs add as int64 until a
 * non-INTEGER input arrives or the sum overflows; from then on the sum is a
 * Kahan-Babuska-Neumaier compensated double. sum() raises "integer
 * overflow" if the integer sum overflowed and no REAL followed; total()
 * never raises; TEXT that is not a number counts as 0.0.
 *
 * count, sum, total and avg can also take back a row (`inverse`, as
 * SQLite's xInverse does, with the same arithmetic) for sliding window
 * frames.
 *
 * DISTINCT: `distinctAccumulator` wraps any accumulator so that it only
 * sees the first occurrence of each distinct first argument (values equal
 * under SQLite's comparison and the given collation count once). The
 * executor applies it for `agg(DISTINCT x)`.
 */
import { SqliteError } from '../../sqlite-error.js';
import { numericAffinityOfText } from '../values/affinity.js';
import { compareNoCase, compareRtrim, type Collation } from '../values/collation.js';
import { compareValues } from '../values/compare.js';
import { toDouble, toInt64, toText } from '../values/conversions.js';
import { SqlReal, integerFromBigInt, realValue, type SqlValue } from '../values/value.js';
import { aggregateFunction, type Accumulator, type FunctionCall, type FunctionDef } from './function-types.js';

class CountAll implements Accumulator {
  private n = 0;
  step(): void {
    this.n++;
  }
  inverse(): void {
    this.n--;
  }
  result(): SqlValue {
    return this.n;
  }
}

class CountValues implements Accumulator {
  private n = 0;
  step(args: readonly SqlValue[]): void {
    if (args[0] !== null) this.n++;
  }
  inverse(args: readonly SqlValue[]): void {
    if (args[0] !== null) this.n--;
  }
  result(): SqlValue {
    return this.n;
  }
}

const KBN_LIMIT = 4503599627370496;

/** SQLite's SumCtx: exact int64 sum, then a compensated double sum. */
class SumState {
  count = 0;
  approximate = false;
  overflow = false;
  integerSum: number | bigint = 0;
  realSum = 0;
  realError = 0;

  private kbnStep(r: number): void {
    const s = this.realSum;
    const t = s + r;
    if (Math.abs(s) > Math.abs(r)) this.realError += s - t + r;
    else this.realError += r - t + s;
    this.realSum = t;
  }

  private kbnStepInteger(i: number | bigint): void {
    if (i <= -KBN_LIMIT || i >= KBN_LIMIT) {
      const big = BigInt(i);
      const small = big % 16384n;
      this.kbnStep(Number(big - small));
      this.kbnStep(Number(small));
    } else {
      this.kbnStep(Number(i));
    }
  }

  private startApproximation(): void {
    const i = this.integerSum;
    if (i <= -KBN_LIMIT || i >= KBN_LIMIT) {
      const big = BigInt(i);
      const small = big % 16384n;
      this.realSum = Number(big - small);
      this.realError = Number(small);
    } else {
      this.realSum = Number(i);
      this.realError = 0;
    }
    this.approximate = true;
  }

  add(v: SqlValue): void {
    let numeric: SqlValue = v;
    if (typeof v === 'string') numeric = numericAffinityOfText(v, false);
    if (numeric === null) return;
    this.count++;
    const isInteger = typeof numeric === 'bigint' || (typeof numeric === 'number' && Number.isInteger(numeric));
    if (!this.approximate) {
      if (!isInteger) {
        this.startApproximation();
        this.kbnStep(toDouble(v));
        return;
      }
      const i = numeric as number | bigint;
      const prev = this.integerSum;
      if (typeof prev === 'number' && typeof i === 'number') {
        const r = prev + i;
        if (r >= -9007199254740991 && r <= 9007199254740991) {
          this.integerSum = r;
          return;
        }
      }
      const exact = BigInt(prev) + BigInt(i);
      if (exact >= -0x8000000000000000n && exact <= 0x7fffffffffffffffn) {
        this.integerSum = integerFromBigInt(exact);
      } else {
        this.overflow = true;
        this.startApproximation();
        this.kbnStepInteger(i);
      }
    } else if (isInteger) {
      this.kbnStepInteger(toInt64(numeric));
    } else {
      this.overflow = false;
      this.kbnStep(toDouble(v));
    }
  }

  /** SQLite's sumInverse: takes back a value added earlier. */
  remove(v: SqlValue): void {
    const numeric = typeof v === 'string' ? numericAffinityOfText(v, false) : v;
    if (numeric === null) return;
    this.count--;
    const isInteger = typeof numeric === 'bigint' || (typeof numeric === 'number' && Number.isInteger(numeric));
    if (!this.approximate) {
      const prev = this.integerSum;
      const i = toInt64(numeric);
      if (typeof prev === 'number' && typeof i === 'number') {
        const r = prev - i;
        if (r >= -9007199254740991 && r <= 9007199254740991) {
          this.integerSum = r;
          return;
        }
      }
      const exact = BigInt(prev) - BigInt(i);
      if (exact >= -0x8000000000000000n && exact <= 0x7fffffffffffffffn) this.integerSum = integerFromBigInt(exact);
      else {
        this.overflow = true;
        this.approximate = true;
      }
    } else if (isInteger) {
      const i = BigInt(toInt64(numeric));
      if (i !== -0x8000000000000000n) this.kbnStepInteger(integerFromBigInt(-i));
      else {
        this.kbnStepInteger(integerFromBigInt(0x7fffffffffffffffn));
        this.kbnStepInteger(1);
      }
    } else {
      this.kbnStep(-toDouble(v));
    }
  }

  /** The compensated double total. */
  realTotal(): number {
    if (!this.approximate) return Number(this.integerSum);
    return Number.isFinite(this.realError) ? this.realSum + this.realError : this.realSum;
  }
}

class Sum implements Accumulator {
  private readonly state = new SumState();
  step(args: readonly SqlValue[]): void {
    this.state.add(args[0]!);
  }
  inverse(args: readonly SqlValue[]): void {
    this.state.remove(args[0]!);
  }
  result(): SqlValue {
    const s = this.state;
    if (s.count === 0) return null;
    if (!s.approximate) return s.integerSum;
    if (s.overflow) throw new SqliteError('integer overflow', 'SQLITE_ERROR');
    return realOrNull(s.realTotal());
  }
}

class Total implements Accumulator {
  private readonly state = new SumState();
  step(args: readonly SqlValue[]): void {
    this.state.add(args[0]!);
  }
  inverse(args: readonly SqlValue[]): void {
    this.state.remove(args[0]!);
  }
  result(): SqlValue {
    return realOrNull(this.state.realTotal());
  }
}

class Average implements Accumulator {
  private readonly state = new SumState();
  step(args: readonly SqlValue[]): void {
    this.state.add(args[0]!);
  }
  inverse(args: readonly SqlValue[]): void {
    this.state.remove(args[0]!);
  }
  result(): SqlValue {
    const s = this.state;
    if (s.count === 0) return null;
    return realOrNull(s.realTotal() / s.count);
  }
}

function realOrNull(r: number): SqlValue {
  return r !== r ? null : realValue(r);
}

/** min(x)/max(x): compares under the call site's collation and keeps the subtype of the value it keeps. */
class MinMax implements Accumulator {
  private best: SqlValue = null;
  private bestSubtype = 0;
  constructor(private readonly isMax: boolean) {}
  step(args: readonly SqlValue[], call: FunctionCall): void {
    const v = args[0]!;
    if (v === null) return;
    if (this.best !== null) {
      const c = compareValues(this.best, v, call.collation);
      if (this.isMax ? c >= 0 : c <= 0) return;
    }
    this.best = v;
    this.bestSubtype = call.argSubtypes[0];
  }
  result(): SqlValue {
    return this.best;
  }
  resultSubtype(): number {
    return this.bestSubtype;
  }
}

class GroupConcat implements Accumulator {
  private parts: string[] = [];
  private any = false;
  step(args: readonly SqlValue[]): void {
    const v = args[0]!;
    if (v === null) return;
    if (this.any) {
      const sep = args.length === 2 ? toText(args[1]!) : ',';
      if (sep !== null) this.parts.push(sep);
    }
    this.parts.push(toText(v)!);
    this.any = true;
  }
  result(): SqlValue {
    if (!this.any) return null;
    const joined = this.parts.join('');
    this.parts = [joined];
    return joined;
  }
}

/** A key that is equal for two values exactly when they compare equal under `collation`. */
function distinctKey(v: SqlValue, collation: Collation | undefined): string {
  switch (typeof v) {
    case 'number':
      return 'n' + String(v);
    case 'bigint':
      return 'n' + String(v);
    case 'string':
      if (collation === compareNoCase) return 't' + v.replace(/[A-Z]+/g, (m) => m.toLowerCase());
      if (collation === compareRtrim) return 't' + v.replace(/ +$/, '');
      return 't' + v;
    default:
      if (v === null) return 'z';
      if (v instanceof SqlReal) return 'n' + String(v.value);
      return 'b' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  }
}

/**
 * Wraps `inner` so that rows whose first argument was already seen (or is
 * NULL-equal to a seen one) are skipped. `collation` must be one of the
 * built-in collations or undefined for BINARY.
 */
export function distinctAccumulator(inner: Accumulator, collation?: Collation): Accumulator {
  const seen = new Set<string>();
  return {
    step(args: readonly SqlValue[], call: FunctionCall): void {
      const key = distinctKey(args[0]!, collation);
      if (seen.has(key)) return;
      seen.add(key);
      inner.step(args, call);
    },
    result(): SqlValue {
      return inner.result();
    },
  };
}

export const aggregateFunctions: FunctionDef[] = [
  aggregateFunction('count', 0, () => new CountAll()),
  aggregateFunction('count', 1, () => new CountValues()),
  aggregateFunction('sum', 1, () => new Sum()),
  aggregateFunction('total', 1, () => new Total()),
  aggregateFunction('avg', 1, () => new Average()),
  aggregateFunction('min', 1, () => new MinMax(false)),
  aggregateFunction('max', 1, () => new MinMax(true)),
  aggregateFunction('group_concat', 1, () => new GroupConcat()),
  aggregateFunction('group_concat', 2, () => new GroupConcat()),
  aggregateFunction('string_agg', 2, () => new GroupConcat()),
];
