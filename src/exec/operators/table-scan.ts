/**
 * Table access operators on a TableCursor: a full scan in rowid (or, for
 * WITHOUT ROWID tables, primary-key) order, forward or backward; a rowid
 * lookup for each value of a key list (`rowid = x`, `rowid IN (...)`); and
 * a rowid range scan (`rowid > x AND rowid <= y`, forward or backward). Keys that are not
 * integers after INTEGER affinity match no row, as in SQLite.
 */
import type { Evaluate } from '../evaluate.js';
import type { Operator } from '../operator.js';
import type { TableCursor } from '../table-cursor.js';
import { Affinity, applyAffinity } from '../values/affinity.js';
import { SqlReal, type SqlValue } from '../values/value.js';

export class FullScan implements Operator {
  private started = false;

  constructor(
    private readonly table: TableCursor,
    private readonly backward: boolean,
  ) {}

  open(): void {
    this.table.open();
    this.started = false;
  }

  next(): boolean {
    if (!this.started) {
      this.started = true;
      return this.backward ? this.table.last() : this.table.first();
    }
    return this.backward ? this.table.prev() : this.table.next();
  }

  close(): void {
    this.table.close();
  }
}

/** The integer a rowid key denotes, or null when no rowid can equal it. */
export function rowidKey(v: SqlValue): number | bigint | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v === 'bigint') return v;
  if (v === null) return null;
  const converted = applyAffinity(v instanceof SqlReal ? v : v, Affinity.INTEGER);
  if (typeof converted === 'number' && Number.isInteger(converted)) return converted;
  if (typeof converted === 'bigint') return converted;
  return null;
}

export class RowidLookup implements Operator {
  /** The distinct keys of this open in ascending order (the first `count`; the array is reused). */
  private readonly keys: (number | bigint)[] = [];
  private count = 0;
  private position = 0;

  /** `keys` yields the candidate rowids for this open (a single key or an IN list). */
  constructor(
    private readonly table: TableCursor,
    private readonly keysOf: () => SqlValue[],
  ) {}

  open(): void {
    this.table.open();
    const keys = this.keys;
    const values = this.keysOf();
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      const key = rowidKey(values[i]);
      if (key === null) continue;
      let seen = false;
      for (let j = 0; j < count && !seen; j++) seen = keys[j] === key;
      if (!seen) keys[count++] = key;
    }
    if (count > 1) {
      keys.length = count;
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    this.count = count;
    this.position = 0;
  }

  next(): boolean {
    while (this.position < this.count) {
      if (this.table.seekRowid(this.keys[this.position++], 'eq')) return true;
    }
    return false;
  }

  close(): void {
    this.position = this.count;
    this.table.close();
  }
}

export interface RangeBound {
  readonly value: Evaluate;
  readonly inclusive: boolean;
}

export class RowidRange implements Operator {
  private started = false;
  private empty = false;
  private low: number | bigint | null = null;
  private lowInclusive = true;
  private high: number | bigint | null = null;
  private highInclusive = true;

  constructor(
    private readonly table: TableCursor,
    private readonly lower: RangeBound | null,
    private readonly upper: RangeBound | null,
    private readonly backward = false,
  ) {}

  open(): void {
    this.table.open();
    this.started = false;
    this.empty = false;
    this.low = null;
    this.high = null;
    if (this.lower !== null) {
      const v = this.lower.value();
      if (v === null) this.empty = true;
      else {
        const bound = boundOf(v, true, this.lower.inclusive);
        if (bound === 'none') this.empty = true;
        else if (bound !== 'all') {
          this.low = bound.key;
          this.lowInclusive = bound.inclusive;
        }
      }
    }
    if (this.upper !== null) {
      const v = this.upper.value();
      if (v === null) this.empty = true;
      else {
        const bound = boundOf(v, false, this.upper.inclusive);
        if (bound === 'none') this.empty = true;
        else if (bound !== 'all') {
          this.high = bound.key;
          this.highInclusive = bound.inclusive;
        }
      }
    }
  }

  next(): boolean {
    if (this.empty) return false;
    if (this.backward) return this.previous();
    let found: boolean;
    if (!this.started) {
      this.started = true;
      found = this.low === null ? this.table.first() : this.table.seekRowid(this.low, this.lowInclusive ? 'ge' : 'gt');
    } else {
      found = this.table.next();
    }
    if (!found) return false;
    if (this.high !== null) {
      const rowid = this.table.rowid() as number | bigint;
      if (rowid > this.high || (!this.highInclusive && rowid === this.high)) {
        this.empty = true;
        return false;
      }
    }
    return true;
  }

  /** The backward walk: from the upper bound down, ending below the lower bound. */
  private previous(): boolean {
    let found: boolean;
    if (!this.started) {
      this.started = true;
      found = this.high === null ? this.table.last() : this.table.seekRowid(this.high, this.highInclusive ? 'le' : 'lt');
    } else {
      found = this.table.prev();
    }
    if (!found) return false;
    if (this.low !== null) {
      const rowid = this.table.rowid() as number | bigint;
      if (rowid < this.low || (!this.lowInclusive && rowid === this.low)) {
        this.empty = true;
        return false;
      }
    }
    return true;
  }

  close(): void {
    this.table.close();
  }
}

/**
 * Turns a comparison bound on the rowid into an integer bound. Numbers
 * round toward the inside of the range; TEXT compares above every number,
 * so a TEXT lower bound matches nothing and a TEXT upper bound everything.
 */
function boundOf(v: SqlValue, lower: boolean, inclusive: boolean): { key: number | bigint; inclusive: boolean } | 'all' | 'none' {
  const n = typeof v === 'string' ? applyAffinity(v, Affinity.NUMERIC) : v;
  if (typeof n === 'number' || n instanceof SqlReal) {
    const d = typeof n === 'number' ? n : n.value;
    if (Number.isInteger(d)) {
      if (Math.abs(d) > Number.MAX_SAFE_INTEGER) {
        if (d > 0) return lower ? 'none' : 'all';
        return lower ? 'all' : 'none';
      }
      return { key: d, inclusive };
    }
    if (d === Infinity) return lower ? 'none' : 'all';
    if (d === -Infinity) return lower ? 'all' : 'none';
    return { key: lower ? Math.ceil(d) : Math.floor(d), inclusive: true };
  }
  if (typeof n === 'bigint') return { key: n, inclusive };
  if (typeof n === 'string' || n instanceof Uint8Array) return lower ? 'none' : 'all';
  return 'none';
}
