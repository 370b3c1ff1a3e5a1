/**
 * Index scan: walks the entries of an index whose leading terms equal a list
 * of probe values (each may come from an IN list: every combination is
 * probed in turn, in ascending order), optionally bounded by a range on the
 * next term, and positions the table cursor on each entry's row — unless the
 * index covers every column the query reads, in which case the table cursor
 * reads straight from the index entry.
 *
 * A NULL probe value matches nothing (`x = NULL` is never true). Probe
 * values arrive already converted by the comparison affinity. A range with a
 * NULL bound matches nothing; without a lower bound, entries whose ranged
 * term is NULL are skipped, since no comparison with NULL is true.
 */
import { compareRecords } from '../../btree/record-compare.js';
import type { Operator } from '../operator.js';
import { RecordBuilder } from '../record-values.js';
import type { IndexEntryCursor, TableCursor } from '../table-cursor.js';
import { compareValues } from '../values/compare.js';
import type { SqlValue } from '../values/value.js';
import { rowidKey, type RangeBound } from './table-scan.js';

/** How to find the table row of an index entry. */
export type RowLocator =
  | { readonly kind: 'rowid' }
  | { readonly kind: 'covering' }
  /** WITHOUT ROWID: the primary-key values sit at these entry positions. */
  | { readonly kind: 'primary-key'; readonly positions: readonly number[] };

export class IndexScan implements Operator {
  /** Encodes seek keys and primary-key lookups (used at once). */
  private readonly builder = new RecordBuilder();
  /** Holds `prefixKey` and `upperKey` while a probe runs. */
  private readonly prefixBuilder = new RecordBuilder();
  private readonly upperBuilder = new RecordBuilder();
  /** The probe list when every term has one value: one reused probe. */
  private readonly singleProbe: SqlValue[];
  private readonly singleProbeList: SqlValue[][];
  /** The value lists of the terms for this open. */
  private readonly lists: SqlValue[][];
  private probes: SqlValue[][] = [];
  private probe = 0;
  private started = false;
  private prefixKey: Uint8Array = new Uint8Array(0);
  private upperKey: Uint8Array | null = null;
  private upperInclusive = true;
  /** Backward scans: the lower bound (prefix + bound) where the probe ends, or null. */
  private lowerKey: Uint8Array | null = null;
  private lowerInclusive = true;
  private done = false;
  private readonly pkValues: SqlValue[];

  /** `equalities[i]` yields the candidate values of term i (one value, or an IN list). */
  constructor(
    private readonly index: IndexEntryCursor,
    private readonly table: TableCursor,
    private readonly equalities: readonly (() => SqlValue[])[],
    private readonly lower: RangeBound | null,
    private readonly upper: RangeBound | null,
    private readonly locator: RowLocator,
    private readonly coverMap: Int32Array | null,
    private readonly backward = false,
  ) {
    this.pkValues = locator.kind === 'primary-key' ? new Array(locator.positions.length).fill(null) : [];
    this.singleProbe = new Array<SqlValue>(equalities.length).fill(null);
    this.singleProbeList = [this.singleProbe];
    this.lists = new Array<SqlValue[]>(equalities.length).fill([]);
  }

  open(): void {
    this.index.open();
    if (this.locator.kind !== 'covering') this.table.open();
    else this.table.coverWith(this.index, this.coverMap);
    this.probes = this.combinations();
    this.probe = -1;
    this.started = false;
    this.done = this.probes.length === 0;
  }

  /** The probes of this open: every combination of the terms' values (IN lists), NULLs and duplicates dropped, ascending. */
  private combinations(): SqlValue[][] {
    const lists = this.lists;
    const single = this.singleProbe;
    let allSingle = true;
    for (let k = 0; k < this.equalities.length; k++) {
      const list = this.equalities[k]();
      if (list.length === 1) {
        if (list[0] === null) return [];
        single[k] = list[0];
      } else {
        if (!list.some((v) => v !== null)) return [];
        allSingle = false;
      }
      lists[k] = list;
    }
    if (allSingle) return this.singleProbeList;
    let out: SqlValue[][] = [[]];
    for (const list of lists) {
      const distinct: SqlValue[] = [];
      for (const v of list) {
        if (v === null) continue;
        if (!distinct.some((d) => compareValues(d, v) === 0)) distinct.push(v);
      }
      distinct.sort((a, b) => compareValues(a, b));
      const next: SqlValue[][] = [];
      for (const prefix of out) for (const v of distinct) next.push([...prefix, v]);
      out = next;
    }
    return out;
  }

  /** Starts the next probe; false when none is left. */
  private startProbe(): boolean {
    if (this.backward) return this.startBackwardProbe();
    const builder = this.builder;
    for (;;) {
      this.probe++;
      if (this.probe >= this.probes.length) return false;
      const values = this.probes[this.probe];
      this.prefixKey = this.prefixBuilder.encode(values);
      this.upperKey = null;
      let seekKey = this.prefixKey;
      let op: 'ge' | 'gt' = 'ge';
      if (this.lower !== null) {
        const bound = this.lower.value();
        if (bound === null) return false;
        seekKey = builder.encode([...values, bound]);
        op = this.lower.inclusive ? 'ge' : 'gt';
      } else if (this.upper !== null) {
        seekKey = builder.encode([...values, null]);
        op = 'gt';
      }
      if (this.upper !== null) {
        const bound = this.upper.value();
        if (bound === null) return false;
        this.upperKey = this.upperBuilder.encode([...values, bound]);
        this.upperInclusive = this.upper.inclusive;
      }
      if (this.index.seek(seekKey, op)) return true;
    }
  }

  /** Backward: positions on the last entry of the probe's range; the lower bound (or the NULLs of the ranged term) ends it. */
  private startBackwardProbe(): boolean {
    this.probe++;
    if (this.probe >= this.probes.length) return false;
    const values = this.probes[this.probe];
    this.prefixKey = this.prefixBuilder.encode(values);
    this.upperKey = null;
    this.lowerKey = null;
    if (this.lower !== null) {
      const bound = this.lower.value();
      if (bound === null) return false;
      this.lowerKey = this.upperBuilder.encode([...values, bound]);
      this.lowerInclusive = this.lower.inclusive;
    } else if (this.upper !== null) {
      this.lowerKey = this.upperBuilder.encode([...values, null]);
      this.lowerInclusive = false;
    }
    if (this.upper !== null) {
      const bound = this.upper.value();
      if (bound === null) return false;
      return this.index.seek(this.builder.encode([...values, bound]), this.upper.inclusive ? 'le' : 'lt');
    }
    return values.length === 0 ? this.index.last() : this.index.seek(this.prefixKey, 'le');
  }

  next(): boolean {
    if (this.done) return false;
    for (;;) {
      let onEntry: boolean;
      if (!this.started) {
        this.started = true;
        onEntry = this.startProbe();
        if (!onEntry && this.probe >= this.probes.length) {
          this.done = true;
          return false;
        }
      } else {
        onEntry = this.backward ? this.index.prev() : this.index.next();
      }
      if (onEntry && this.matches()) {
        if (this.locate()) return true;
        continue;
      }
      if (this.probe + 1 >= this.probes.length) {
        this.done = true;
        return false;
      }
      this.started = false;
    }
  }

  private matches(): boolean {
    const entry = this.index.payload();
    const keyInfo = this.index.keyInfo;
    const prefixLength = this.probes[this.probe].length;
    if (prefixLength > 0 && compareRecords(entry, this.prefixKey, keyInfo, prefixLength) !== 0) return false;
    if (this.upperKey !== null) {
      const c = compareRecords(entry, this.upperKey, keyInfo, prefixLength + 1);
      if (c > 0 || (c === 0 && !this.upperInclusive)) return false;
    }
    if (this.lowerKey !== null) {
      const c = compareRecords(entry, this.lowerKey, keyInfo, prefixLength + 1);
      if (c < 0 || (c === 0 && !this.lowerInclusive)) return false;
    }
    return true;
  }

  private locate(): boolean {
    switch (this.locator.kind) {
      case 'covering':
        return true;
      case 'rowid': {
        const rowid = rowidKey(this.index.rowid());
        return rowid !== null && this.table.seekRowid(rowid, 'eq');
      }
      case 'primary-key': {
        const positions = this.locator.positions;
        for (let i = 0; i < positions.length; i++) this.pkValues[i] = this.index.column(positions[i]);
        return this.table.seekKey(this.builder.encode(this.pkValues), 'eq');
      }
    }
  }

  close(): void {
    this.index.close();
    if (this.locator.kind === 'covering') this.table.coverWith(null, null);
    else this.table.close();
    this.done = true;
  }
}
