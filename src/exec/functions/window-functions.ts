/**
 * The built-in window functions (SQLite's windowfunc list): row_number,
 * rank, dense_rank, percent_rank, cume_dist, ntile, lag, lead,
 * first_value, last_value and nth_value, each computed for a whole
 * partition at once from the partition's peer groups and frames (see
 * operators/window.ts). Only first_value, last_value and nth_value look
 * at the frame; the others see the whole partition.
 *
 * Arguments follow SQLite: ntile's bucket count is read from the
 * partition's first row as an integer and must be positive; lag/lead take
 * the current row's offset (NULL gives NULL, a negative offset looks the
 * other way, a fractional one finds no row) and default; nth_value's N
 * must be a positive integer.
 */
import { SqliteError } from '../../sqlite-error.js';
import type { Partition } from '../operators/window.js';
import { toInt64, toNumeric } from '../values/conversions.js';
import { SqlReal, realValue, type SqlValue } from '../values/value.js';

export type WindowBuiltinName =
  | 'row_number'
  | 'rank'
  | 'dense_rank'
  | 'percent_rank'
  | 'cume_dist'
  | 'ntile'
  | 'lag'
  | 'lead'
  | 'first_value'
  | 'last_value'
  | 'nth_value';

/** Accepted argument counts of each built-in window function. */
const ARGUMENT_COUNTS: Record<WindowBuiltinName, readonly number[]> = {
  row_number: [0],
  rank: [0],
  dense_rank: [0],
  percent_rank: [0],
  cume_dist: [0],
  ntile: [1],
  lag: [1, 2, 3],
  lead: [1, 2, 3],
  first_value: [1],
  last_value: [1],
  nth_value: [2],
};

/** The built-in window function named `name` (any case), or null. */
export function windowBuiltin(name: string): WindowBuiltinName | null {
  const lower = name.toLowerCase();
  return Object.hasOwn(ARGUMENT_COUNTS, lower) ? (lower as WindowBuiltinName) : null;
}

export function acceptsArgumentCount(name: WindowBuiltinName, count: number): boolean {
  return ARGUMENT_COUNTS[name].includes(count);
}

/** The results of `name` for every row of `partition`; its `argCount` arguments start at `base` in each row's values. */
export function builtinWindowResults(name: WindowBuiltinName, partition: Partition, base: number, argCount: number): SqlValue[] {
  const n = partition.size;
  const rows = partition.rows;
  const out: SqlValue[] = new Array(n);
  const { groupStart, groupEnd, groupIndex } = partition;
  switch (name) {
    case 'row_number':
      for (let j = 0; j < n; j++) out[j] = j + 1;
      break;
    case 'rank':
      for (let j = 0; j < n; j++) out[j] = groupStart[j] + 1;
      break;
    case 'dense_rank':
      for (let j = 0; j < n; j++) out[j] = groupIndex[j] + 1;
      break;
    case 'percent_rank':
      for (let j = 0; j < n; j++) out[j] = realValue(n > 1 ? groupStart[j] / (n - 1) : 0);
      break;
    case 'cume_dist':
      for (let j = 0; j < n; j++) out[j] = realValue((groupEnd[j] + 1) / n);
      break;
    case 'ntile':
      ntile(rows, base, out);
      break;
    case 'lag':
    case 'lead':
      for (let j = 0; j < n; j++) out[j] = shifted(rows, j, base, argCount, name === 'lag' ? -1 : 1);
      break;
    case 'first_value':
      for (let j = 0; j < n; j++) out[j] = frameMember(partition, j, base, 1, false);
      break;
    case 'last_value':
      for (let j = 0; j < n; j++) out[j] = frameMember(partition, j, base, 1, true);
      break;
    case 'nth_value':
      for (let j = 0; j < n; j++) {
        const position = toNumeric(rows[j][base + 1]);
        const integral = typeof position === 'bigint' || (typeof position === 'number' && Number.isInteger(position)) || (position instanceof SqlReal && Number.isInteger(position.value));
        const k = integral ? Number(position instanceof SqlReal ? position.value : position) : 0;
        if (k <= 0) throw new SqliteError('second argument to nth_value must be a positive integer', 'SQLITE_ERROR');
        out[j] = frameMember(partition, j, base, k, false);
      }
      break;
  }
  return out;
}

function ntile(rows: SqlValue[][], base: number, out: SqlValue[]): void {
  const n = rows.length;
  if (n === 0) return;
  const buckets = Number(toInt64(rows[0][base]));
  if (rows[0][base] === null || buckets <= 0) throw new SqliteError('argument of ntile must be a positive integer', 'SQLITE_ERROR');
  const size = Math.floor(n / buckets);
  if (size === 0) {
    for (let j = 0; j < n; j++) out[j] = j + 1;
    return;
  }
  const large = n - buckets * size;
  const small = large * (size + 1);
  for (let j = 0; j < n; j++) out[j] = j < small ? 1 + Math.floor(j / (size + 1)) : 1 + large + Math.floor((j - small) / size);
}

/** lag/lead: the value `offset` rows before/after row j, else the default. */
function shifted(rows: SqlValue[][], j: number, base: number, argCount: number, direction: -1 | 1): SqlValue {
  const row = rows[j];
  const hasOffset = argCount > 1;
  const fallback = argCount > 2 ? row[base + 2] : null;
  let offset = 1;
  if (hasOffset) {
    const given = toNumeric(row[base + 1]);
    if (given === null) return null;
    const value = given instanceof SqlReal ? given.value : Number(given);
    if (!Number.isInteger(value)) return fallback;
    offset = value;
  }
  const k = j + direction * offset;
  return k >= 0 && k < rows.length ? rows[k][base] : fallback;
}

/** The k-th row (1-based) of row j's frame, from its end when `fromEnd`, skipping excluded rows; NULL when there is none. */
function frameMember(partition: Partition, j: number, base: number, k: number, fromEnd: boolean): SqlValue {
  const s = partition.frameStart[j];
  const e = partition.frameEnd[j];
  if (partition.exclude === 'NO OTHERS') {
    const index = fromEnd ? e - (k - 1) : s + (k - 1);
    return index >= s && index <= e ? partition.rows[index][base] : null;
  }
  let seen = 0;
  for (let i = fromEnd ? e : s; fromEnd ? i >= s : i <= e; i += fromEnd ? -1 : 1) {
    if (partition.excluded(i, j)) continue;
    if (++seen === k) return partition.rows[i][base];
  }
  return null;
}
