/**
 * Aggregation (GROUP BY, or one group for the whole input): reads its whole
 * input, keeps per group one accumulator per aggregate call plus the values
 * of the query's bare columns, then replays the groups in group-key order
 * (SQLite's sorter order) through `AggregateOutput`.
 *
 * Bare columns follow SQLite: when the query's only aggregate is one min()
 * or max(), they come from the row that produced the extreme value;
 * otherwise from the last row of the group. DISTINCT aggregates see each
 * distinct argument once; FILTER skips rows. Without GROUP BY an empty input
 * still yields one group (bare columns NULL). Each step hands the
 * accumulator its arguments' subtypes (so json_group_array nests JSON), and
 * the output carries each result's subtype.
 */
import type { AggregateFunctionDef, Accumulator, FunctionCall } from '../functions/function-types.js';
import type { Evaluate } from '../evaluate.js';
import type { Operator } from '../operator.js';
import { truthValue } from '../values/conversions.js';
import { compareValues } from '../values/compare.js';
import type { Collation } from '../values/collation.js';
import { rowKey, valueKey, type KeyCollation } from '../value-key.js';
import type { SqlValue } from '../values/value.js';

export interface AggregateCall {
  readonly def: AggregateFunctionDef;
  readonly args: readonly Evaluate[];
  /** Per argument, the subtype of the value it last produced; null when no argument can carry one. */
  readonly argSubtypes: readonly (() => number)[] | null;
  readonly distinct: boolean;
  readonly distinctCollation: KeyCollation;
  readonly filter: Evaluate | null;
  readonly call: FunctionCall;
  /** Set for the one min()/max() that drives bare columns. */
  readonly extreme: 'min' | 'max' | null;
  readonly extremeCollation: Collation | undefined;
}

/** What the output closures read: the current group's results and bare values. */
export class AggregateOutput {
  results: SqlValue[] = [];
  /** Subtype of each result, for the accumulators that pass one on (min/max). */
  readonly subtypes: number[] = [];
  bare: SqlValue[] = [];
  key: SqlValue[] = [];
}

interface Group {
  key: SqlValue[];
  accumulators: Accumulator[];
  distinctSeen: (Set<string> | null)[];
  bare: SqlValue[];
  extreme: SqlValue;
}

export class AggregateOperator implements Operator {
  private groups: Group[] = [];
  private position = 0;
  private readonly argBuffers: SqlValue[][];

  constructor(
    private readonly input: Operator,
    private readonly groupKeys: readonly Evaluate[],
    private readonly groupCollations: readonly KeyCollation[],
    private readonly groupCompare: readonly (Collation | undefined)[],
    private readonly calls: readonly AggregateCall[],
    private readonly bareReads: readonly Evaluate[],
    private readonly output: AggregateOutput,
  ) {
    this.argBuffers = calls.map((c) => new Array(c.args.length).fill(null));
  }

  private newGroup(key: SqlValue[]): Group {
    return {
      key,
      accumulators: this.calls.map((c) => c.def.create()),
      distinctSeen: this.calls.map((c) => (c.distinct ? new Set<string>() : null)),
      bare: new Array(this.bareReads.length).fill(null),
      extreme: null,
    };
  }

  open(): void {
    const grouped = this.groupKeys.length > 0;
    const byKey = new Map<string, Group>();
    const groups: Group[] = [];
    let single: Group | null = grouped ? null : this.newGroup([]);
    const keyValues: SqlValue[] = new Array(this.groupKeys.length).fill(null);
    this.input.open();
    try {
      while (this.input.next()) {
        let group: Group;
        if (single !== null) group = single;
        else {
          for (let i = 0; i < keyValues.length; i++) keyValues[i] = this.groupKeys[i]();
          const key = rowKey(keyValues, this.groupCollations);
          let found = byKey.get(key);
          if (found === undefined) {
            found = this.newGroup(keyValues.slice());
            byKey.set(key, found);
            groups.push(found);
          }
          group = found;
        }
        this.step(group);
      }
    } finally {
      this.input.close();
    }
    if (single !== null) groups.push(single);
    else if (groups.length > 1) {
      const compare = this.groupCompare;
      groups.sort((a, b) => {
        for (let i = 0; i < compare.length; i++) {
          const c = compareValues(a.key[i], b.key[i], compare[i]);
          if (c !== 0) return c;
        }
        return 0;
      });
    }
    single = null;
    this.groups = groups;
    this.position = 0;
  }

  private step(group: Group): void {
    const calls = this.calls;
    let captureBare = true;
    for (let c = 0; c < calls.length; c++) {
      const call = calls[c];
      if (call.filter !== null && truthValue(call.filter()) !== true) {
        if (call.extreme !== null) captureBare = false;
        continue;
      }
      const args = this.argBuffers[c];
      for (let i = 0; i < args.length; i++) args[i] = call.args[i]();
      const argSubtypes = call.argSubtypes;
      if (argSubtypes !== null) for (let i = 0; i < args.length; i++) call.call.argSubtypes[i] = argSubtypes[i]();
      const seen = group.distinctSeen[c];
      if (seen !== null) {
        if (args[0] === null) continue;
        const key = valueKey(args[0], call.distinctCollation);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      group.accumulators[c].step(args, call.call);
      if (call.extreme !== null) {
        const v = args[0];
        if (v === null) captureBare = group.extreme === null && group.bare.every((b) => b === null);
        else if (group.extreme === null) group.extreme = v;
        else {
          const cmp = compareValues(v, group.extreme, call.extremeCollation);
          if ((call.extreme === 'max' && cmp > 0) || (call.extreme === 'min' && cmp < 0)) group.extreme = v;
          else captureBare = false;
        }
      }
    }
    if (captureBare) {
      const reads = this.bareReads;
      for (let i = 0; i < reads.length; i++) group.bare[i] = reads[i]();
    }
  }

  next(): boolean {
    if (this.position >= this.groups.length) return false;
    const group = this.groups[this.position++];
    const results = new Array<SqlValue>(group.accumulators.length);
    const subtypes = this.output.subtypes;
    for (let i = 0; i < results.length; i++) {
      const accumulator = group.accumulators[i];
      results[i] = accumulator.result();
      subtypes[i] = accumulator.resultSubtype !== undefined ? accumulator.resultSubtype() : 0;
    }
    this.output.results = results;
    this.output.bare = group.bare;
    this.output.key = group.key;
    return true;
  }

  close(): void {
    this.groups = [];
    this.position = 0;
  }
}
