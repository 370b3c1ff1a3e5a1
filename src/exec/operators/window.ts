/**
 * Window functions over a partition buffer. The operator reads its whole
 * input once; per row it keeps the values later stages read (`captures`),
 * a slot per window call for its result, and per window pass the values
 * that pass needs (partition keys, ORDER BY keys, each call's arguments and
 * FILTER). A pass is one distinct window (PARTITION BY, ORDER BY, frame):
 * it sorts the row indexes stably by partition then order keys, splits
 * them into partitions and peer groups, and computes each of its calls for
 * every row. Passes run from the last window of the query to the first,
 * so the rows come out in the order of the first window, as in SQLite.
 *
 * Frames follow SQLite: ROWS counts rows, GROUPS counts peer groups, RANGE
 * compares the single ORDER BY value with SQLite's arithmetic (NULLs and
 * non-numeric values are bounded by their peers); EXCLUDE drops the current row, its group or its
 * ties. Offsets are evaluated once per execution and must be non-negative
 * (integers for ROWS and GROUPS). Aggregates whose frame starts at
 * UNBOUNDED PRECEDING without EXCLUDE step one accumulator along the
 * partition (O(n)); without EXCLUDE, aggregates that can take a row back
 * (count, sum, total, avg) slide one accumulator along the frames as
 * SQLite does; other frames step a fresh accumulator over each row's
 * frame, reusing the previous result when the frame did not move.
 */
import { SqliteError } from '../../sqlite-error.js';
import type { Evaluate } from '../evaluate.js';
import type { AggregateFunctionDef, FunctionCall } from '../functions/function-types.js';
import { builtinWindowResults, type WindowBuiltinName } from '../functions/window-functions.js';
import type { Operator } from '../operator.js';
import { rowComparator } from './row-comparator.js';
import { add, subtract } from '../values/arithmetic.js';
import { truthValue } from '../values/conversions.js';
import { Affinity, applyAffinity } from '../values/affinity.js';
import { compareValues } from '../values/compare.js';
import type { Collation } from '../values/collation.js';
import { SqlReal, type SqlValue } from '../values/value.js';

export type FrameBoundType = 'UNBOUNDED PRECEDING' | 'PRECEDING' | 'CURRENT ROW' | 'FOLLOWING' | 'UNBOUNDED FOLLOWING';

export interface FrameBoundSpec {
  readonly type: FrameBoundType;
  readonly offset: Evaluate | null;
}

export interface FrameSpec {
  readonly units: 'ROWS' | 'RANGE' | 'GROUPS';
  readonly start: FrameBoundSpec;
  readonly end: FrameBoundSpec;
  readonly exclude: 'NO OTHERS' | 'CURRENT ROW' | 'GROUP' | 'TIES';
}

export interface OrderKeySpec {
  readonly collation: Collation | undefined;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** One window function call: a built-in, or an aggregate used as a window function. */
export interface WindowCallSpec {
  readonly builtin: WindowBuiltinName | null;
  readonly aggregate: AggregateFunctionDef | null;
  readonly call: FunctionCall;
  readonly argCount: number;
  readonly hasFilter: boolean;
  /** Index of the call's result in the row's results. */
  readonly result: number;
}

export interface WindowPassSpec {
  readonly partition: readonly Evaluate[];
  readonly partitionCollations: readonly (Collation | undefined)[];
  readonly order: readonly Evaluate[];
  readonly orderKeys: readonly OrderKeySpec[];
  readonly frame: FrameSpec;
  /** Per call: its argument closures, then its FILTER closure when it has one. */
  readonly calls: readonly { readonly spec: WindowCallSpec; readonly values: readonly Evaluate[] }[];
}

/** What the closures of later stages read: the current row's captured values and window results. */
export class WindowOutput {
  captured: SqlValue[] = [];
  results: SqlValue[] = [];
}

/**
 * One partition of one pass as the window functions see it: rows are
 * numbered 0..size-1 in window order; `values(j)` is the pass's stored
 * values of row j (partition keys, order keys, then the calls' values).
 */
export class Partition {
  size = 0;
  rows: SqlValue[][] = [];
  groupStart: Int32Array = new Int32Array(0);
  groupEnd: Int32Array = new Int32Array(0);
  groupIndex: Int32Array = new Int32Array(0);
  frameStart: Int32Array = new Int32Array(0);
  frameEnd: Int32Array = new Int32Array(0);
  exclude: FrameSpec['exclude'] = 'NO OTHERS';
  frame: FrameSpec = { units: 'ROWS', start: { type: 'UNBOUNDED PRECEDING', offset: null }, end: { type: 'CURRENT ROW', offset: null }, exclude: 'NO OTHERS' };

  /** True when row k is excluded from row j's frame. */
  excluded(k: number, j: number): boolean {
    switch (this.exclude) {
      case 'NO OTHERS':
        return false;
      case 'CURRENT ROW':
        return k === j;
      case 'GROUP':
        return k >= this.groupStart[j] && k <= this.groupEnd[j];
      case 'TIES':
        return k !== j && k >= this.groupStart[j] && k <= this.groupEnd[j];
    }
  }
}

export class WindowOperator implements Operator {
  private captured: SqlValue[][] = [];
  private results: SqlValue[][] = [];
  private order: number[] = [];
  private position = 0;
  private readonly partition = new Partition();

  constructor(
    private readonly input: Operator,
    private readonly captures: readonly Evaluate[],
    private readonly passes: readonly WindowPassSpec[],
    private readonly resultCount: number,
    private readonly output: WindowOutput,
  ) {}

  open(): void {
    const captures = this.captures;
    const passes = this.passes;
    const captured: SqlValue[][] = [];
    const results: SqlValue[][] = [];
    const passValues: SqlValue[][][] = passes.map(() => []);
    const passReads = passes.map((p) => [...p.partition, ...p.order, ...p.calls.flatMap((c) => c.values)]);
    this.input.open();
    try {
      while (this.input.next()) {
        const row: SqlValue[] = new Array(captures.length);
        for (let i = 0; i < captures.length; i++) row[i] = captures[i]();
        captured.push(row);
        results.push(new Array<SqlValue>(this.resultCount).fill(null));
        for (let p = 0; p < passes.length; p++) {
          const reads = passReads[p];
          const values: SqlValue[] = new Array(reads.length);
          for (let i = 0; i < reads.length; i++) values[i] = reads[i]();
          passValues[p].push(values);
        }
      }
    } finally {
      this.input.close();
    }
    let order: number[] = captured.map((_, i) => i);
    for (let p = passes.length - 1; p >= 0; p--) order = this.runPass(passes[p], passValues[p], results, order);
    this.captured = captured;
    this.results = results;
    this.order = order;
    this.position = 0;
  }

  next(): boolean {
    if (this.position >= this.order.length) return false;
    const i = this.order[this.position++];
    this.output.captured = this.captured[i];
    this.output.results = this.results[i];
    return true;
  }

  close(): void {
    this.captured = [];
    this.results = [];
    this.order = [];
    this.position = 0;
  }

  /** Computes one pass's calls for every row; returns the row indexes in the pass's order (ties keep their order in `previous`). */
  private runPass(pass: WindowPassSpec, values: SqlValue[][], results: SqlValue[][], previous: readonly number[]): number[] {
    const partitionCount = pass.partition.length;
    const orderCount = pass.order.length;
    const compareOrder = rowComparator(pass.orderKeys.map((key, k) => ({ ...key, index: partitionCount + k })));
    const samePartition = (a: SqlValue[], b: SqlValue[]): boolean => {
      for (let k = 0; k < partitionCount; k++) if (compareKey(a[k], b[k], pass.partitionCollations[k]) !== 0) return false;
      return true;
    };
    const order = previous.slice();
    if (partitionCount + orderCount > 0) {
      order.sort((i, j) => {
        const a = values[i];
        const b = values[j];
        for (let k = 0; k < partitionCount; k++) {
          const c = compareKey(a[k], b[k], pass.partitionCollations[k]);
          if (c !== 0) return c;
        }
        return compareOrder(a, b);
      });
    }
    const offsets = frameOffsets(pass.frame);
    const partition = this.partition;
    let first = 0;
    while (first < order.length) {
      let last = first + 1;
      while (last < order.length && samePartition(values[order[first]], values[order[last]])) last++;
      const rows = order.slice(first, last).map((i) => values[i]);
      preparePartition(partition, rows, compareOrder, pass.frame, offsets, partitionCount, pass.orderKeys[0]);
      let valueBase = partitionCount + orderCount;
      for (const call of pass.calls) {
        const out = computeCall(call.spec, partition, valueBase);
        for (let j = 0; j < out.length; j++) results[order[first + j]][call.spec.result] = out[j];
        valueBase += call.values.length;
      }
      first = last;
    }
    return order;
  }
}

/** Partition-key comparison: NULLs equal each other and sort first. */
function compareKey(x: SqlValue, y: SqlValue, collation: Collation | undefined): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  return compareValues(x, y, collation);
}

interface Offsets {
  readonly start: SqlValue;
  readonly end: SqlValue;
}

function frameOffsets(frame: FrameSpec): Offsets {
  return {
    start: frame.start.offset === null ? null : checkedOffset(frame.start.offset(), frame.units, 'starting'),
    end: frame.end.offset === null ? null : checkedOffset(frame.end.offset(), frame.units, 'ending'),
  };
}

function checkedOffset(v: SqlValue, units: FrameSpec['units'], which: string): SqlValue {
  const n = applyAffinity(v, Affinity.NUMERIC);
  const integral = typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n));
  const numeric = integral || typeof n === 'number' || n instanceof SqlReal;
  const negative = numeric && (n instanceof SqlReal ? n.value < 0 : (n as number | bigint) < 0);
  if (units === 'RANGE') {
    if (!numeric || negative) throw new SqliteError(`frame ${which} offset must be a non-negative number`, 'SQLITE_ERROR');
  } else if (!integral || negative) {
    throw new SqliteError(`frame ${which} offset must be a non-negative integer`, 'SQLITE_ERROR');
  }
  return n;
}

/** Fills peer groups and frame bounds (inclusive; empty when start > end) for one partition. */
function preparePartition(
  partition: Partition,
  rows: SqlValue[][],
  compareOrder: (a: SqlValue[], b: SqlValue[]) => number,
  frame: FrameSpec,
  offsets: Offsets,
  partitionCount: number,
  firstOrderKey: OrderKeySpec | undefined,
): void {
  const n = rows.length;
  partition.size = n;
  partition.rows = rows;
  partition.exclude = frame.exclude;
  partition.frame = frame;
  if (partition.groupStart.length < n) {
    const capacity = Math.max(n, partition.groupStart.length * 2);
    partition.groupStart = new Int32Array(capacity);
    partition.groupEnd = new Int32Array(capacity);
    partition.groupIndex = new Int32Array(capacity);
    partition.frameStart = new Int32Array(capacity);
    partition.frameEnd = new Int32Array(capacity);
  }
  const { groupStart, groupEnd, groupIndex, frameStart, frameEnd } = partition;
  const groupFirst: number[] = [];
  for (let j = 0; j < n; j++) {
    if (j === 0 || compareOrder(rows[j - 1], rows[j]) !== 0) groupFirst.push(j);
    groupIndex[j] = groupFirst.length - 1;
    groupStart[j] = groupFirst[groupFirst.length - 1];
  }
  for (let j = n - 1; j >= 0; j--) groupEnd[j] = j === n - 1 || groupIndex[j + 1] !== groupIndex[j] ? j : groupEnd[j + 1];
  const groups = groupFirst.length;
  const groupLast = (g: number): number => (g + 1 < groups ? groupFirst[g + 1] - 1 : n - 1);
  const bound = (j: number, spec: FrameBoundSpec, offset: SqlValue, isStart: boolean): number => {
    switch (spec.type) {
      case 'UNBOUNDED PRECEDING':
        return 0;
      case 'UNBOUNDED FOLLOWING':
        return n - 1;
      case 'CURRENT ROW':
        if (frame.units === 'ROWS') return j;
        return isStart ? groupStart[j] : groupEnd[j];
      default: {
        const preceding = spec.type === 'PRECEDING';
        if (frame.units === 'ROWS') {
          const k = Number(offset);
          return preceding ? j - k : j + k;
        }
        if (frame.units === 'GROUPS') {
          const g = groupIndex[j] + (preceding ? -Number(offset) : Number(offset));
          if (isStart) return g < 0 ? 0 : g >= groups ? n : groupFirst[g];
          return g < 0 ? -1 : g >= groups ? n - 1 : groupLast(g);
        }
        return rangeBound(rows, j, partitionCount, firstOrderKey!, preceding, offset, isStart, groupStart, groupEnd);
      }
    }
  };
  for (let j = 0; j < n; j++) {
    frameStart[j] = Math.max(0, bound(j, frame.start, offsets.start, true));
    frameEnd[j] = Math.min(n - 1, bound(j, frame.end, offsets.end, false));
  }
}

/**
 * A RANGE bound with an offset: the first row at or after the boundary
 * (start), or the last row at or before it (end), in the window's
 * direction. As in SQLite, a PRECEDING bound shifts the other row's value
 * towards the current one (`x + offset` ascending, `x - offset`
 * descending) and a FOLLOWING bound shifts the current value; only numeric
 * values shift. A NULL or non-numeric current value is bounded by its peers.
 */
function rangeBound(
  rows: SqlValue[][],
  j: number,
  column: number,
  key: OrderKeySpec,
  preceding: boolean,
  offset: SqlValue,
  isStart: boolean,
  groupStart: Int32Array,
  groupEnd: Int32Array,
): number {
  const value = rows[j][column];
  if (!isNumber(value)) return isStart ? groupStart[j] : groupEnd[j];
  const shift = (x: SqlValue): SqlValue => (isNumber(x) ? (key.descending ? subtract(x, offset) : add(x, offset)) : x);
  const target = preceding ? value : shift(value);
  const position = (x: SqlValue): number => {
    if (x === null) return key.nullsFirst ? -1 : 1;
    const c = compareValues(preceding ? shift(x)! : x, target!, key.collation);
    return key.descending ? -c : c;
  };
  let low = 0;
  let high = rows.length;
  if (isStart) {
    while (low < high) {
      const mid = (low + high) >> 1;
      if (position(rows[mid][column]) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
  while (low < high) {
    const mid = (low + high) >> 1;
    if (position(rows[mid][column]) <= 0) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

function isNumber(v: SqlValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof SqlReal;
}

/** The results of one call for every row of the partition. */
function computeCall(spec: WindowCallSpec, partition: Partition, valueBase: number): SqlValue[] {
  if (spec.builtin !== null) return builtinWindowResults(spec.builtin, partition, valueBase, spec.argCount);
  return aggregateResults(spec, partition, valueBase);
}

function aggregateResults(spec: WindowCallSpec, partition: Partition, valueBase: number): SqlValue[] {
  const def = spec.aggregate!;
  const call = spec.call;
  const n = partition.size;
  const rows = partition.rows;
  const args: SqlValue[] = new Array(spec.argCount).fill(null);
  const filterIndex = spec.hasFilter ? valueBase + spec.argCount : -1;
  const out: SqlValue[] = new Array(n);
  const step = (accumulator: ReturnType<AggregateFunctionDef['create']>, k: number): void => {
    const row = rows[k];
    if (filterIndex >= 0 && truthValue(row[filterIndex]) !== true) return;
    for (let i = 0; i < args.length; i++) args[i] = row[valueBase + i];
    accumulator.step(args, call);
  };
  const { frameStart, frameEnd } = partition;
  const running = partition.exclude === 'NO OTHERS' && n > 0 && frameStart.subarray(0, n).every((s) => s === 0);
  if (running) {
    const accumulator = def.create();
    let stepped = 0;
    for (let j = 0; j < n; j++) {
      while (stepped <= frameEnd[j]) step(accumulator, stepped++);
      out[j] = accumulator.result();
    }
    return out;
  }
  if (partition.exclude === 'NO OTHERS') {
    const sliding = def.create();
    if (sliding.inverse !== undefined) {
      slideFrames(sliding, partition, step, (k) => {
        const row = rows[k];
        if (filterIndex >= 0 && truthValue(row[filterIndex]) !== true) return;
        for (let i = 0; i < args.length; i++) args[i] = row[valueBase + i];
        sliding.inverse!(args, call);
      }, out);
      return out;
    }
  }
  let lastStart = -1;
  let lastEnd = -1;
  let last: SqlValue = null;
  for (let j = 0; j < n; j++) {
    const s = frameStart[j];
    const e = frameEnd[j];
    if (partition.exclude === 'NO OTHERS' && j > 0 && s === lastStart && e === lastEnd) {
      out[j] = last;
      continue;
    }
    const accumulator = def.create();
    for (let k = s; k <= e; k++) if (!partition.excluded(k, j)) step(accumulator, k);
    last = out[j] = accumulator.result();
    lastStart = s;
    lastEnd = e;
  }
  return out;
}

/**
 * Frames only move forward (both bounds are non-decreasing), so one
 * accumulator can follow them: rows entering are stepped, rows leaving are
 * taken back with `inverse`, as SQLite does for functions that have one.
 */
function slideFrames(
  accumulator: ReturnType<AggregateFunctionDef['create']>,
  partition: Partition,
  step: (accumulator: ReturnType<AggregateFunctionDef['create']>, k: number) => void,
  inverse: (k: number) => void,
  out: SqlValue[],
): void {
  const { frameStart, frameEnd } = partition;
  let low = 0;
  let high = -1;
  // SQLite steps entering rows before taking back leaving ones for these frames, and after for the others.
  const frame = partition.frame;
  const stepFirst = frame.start.type === 'FOLLOWING' || (frame.units === 'RANGE' && frame.start.type === 'PRECEDING' && frame.end.type === 'PRECEDING');
  for (let j = 0; j < partition.size; j++) {
    const s = frameStart[j];
    const e = frameEnd[j];
    if (stepFirst) while (high < e) step(accumulator, ++high);
    while (low < s && low <= high) inverse(low++);
    if (low > high && low < s) {
      low = s;
      high = s - 1;
    }
    while (high < e) step(accumulator, ++high);
    out[j] = accumulator.result();
  }
}
