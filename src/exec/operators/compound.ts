/**
 * Compound selects: UNION ALL streams its parts one after the other; UNION,
 * INTERSECT and EXCEPT collect rows by grouping key (see value-key.ts) and
 * replay the result sorted by all columns, left to right, as SQLite's
 * ephemeral-index implementation does. Parts are evaluated left to right:
 * `((a op1 b) op2 c)`.
 */
import type { Evaluate } from '../evaluate.js';
import type { Operator } from '../operator.js';
import { rowKey, type KeyCollation } from '../value-key.js';
import type { SqlValue } from '../values/value.js';
import type { RowBuffer } from './row-buffer.js';
import { rowComparator, type SortKey } from './row-comparator.js';

export interface CompoundPart {
  readonly operator: Operator;
  readonly columns: readonly Evaluate[];
  /** How this part combines with everything before it (ignored for the first part). */
  readonly op: 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT';
}

export class CompoundOperator implements Operator {
  private rows: SqlValue[][] = [];
  private position = 0;
  private streamingPart = -1;

  constructor(
    private readonly parts: readonly CompoundPart[],
    private readonly collations: readonly KeyCollation[],
    private readonly order: readonly SortKey[],
    private readonly buffer: RowBuffer,
  ) {}

  /** True when every operator is UNION ALL: rows can stream. */
  private get streaming(): boolean {
    return this.parts.every((p, i) => i === 0 || p.op === 'UNION ALL');
  }

  open(): void {
    this.position = 0;
    if (this.streaming) {
      this.streamingPart = 0;
      this.parts[0].operator.open();
      return;
    }
    this.streamingPart = -1;
    let rows = read(this.parts[0]);
    let distinct = false;
    for (let p = 1; p < this.parts.length; p++) {
      const part = this.parts[p];
      const incoming = read(part);
      switch (part.op) {
        case 'UNION ALL':
          rows = rows.concat(incoming);
          break;
        case 'UNION':
          rows = this.dedupe(rows.concat(incoming));
          distinct = true;
          break;
        case 'INTERSECT': {
          const keys = new Set(incoming.map((r) => rowKey(r, this.collations)));
          rows = this.dedupe(rows).filter((r) => keys.has(rowKey(r, this.collations)));
          distinct = true;
          break;
        }
        case 'EXCEPT': {
          const keys = new Set(incoming.map((r) => rowKey(r, this.collations)));
          rows = this.dedupe(rows).filter((r) => !keys.has(rowKey(r, this.collations)));
          distinct = true;
          break;
        }
      }
    }
    if (distinct) rows.sort(rowComparator(this.order));
    this.rows = rows;
  }

  private dedupe(rows: SqlValue[][]): SqlValue[][] {
    const seen = new Set<string>();
    const out: SqlValue[][] = [];
    for (const row of rows) {
      const key = rowKey(row, this.collations);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(row);
    }
    return out;
  }

  next(): boolean {
    if (this.streamingPart >= 0) {
      for (;;) {
        const part = this.parts[this.streamingPart];
        if (part.operator.next()) {
          const row = this.buffer.row;
          for (let i = 0; i < part.columns.length; i++) row[i] = part.columns[i]();
          return true;
        }
        part.operator.close();
        this.streamingPart++;
        if (this.streamingPart >= this.parts.length) {
          this.streamingPart = -1;
          this.position = this.rows.length;
          return false;
        }
        this.parts[this.streamingPart].operator.open();
      }
    }
    if (this.position >= this.rows.length) return false;
    this.buffer.row = this.rows[this.position++];
    return true;
  }

  close(): void {
    if (this.streamingPart >= 0) this.parts[this.streamingPart].operator.close();
    this.streamingPart = -1;
    this.rows = [];
    this.position = 0;
  }
}

function read(part: CompoundPart): SqlValue[][] {
  const rows: SqlValue[][] = [];
  const width = part.columns.length;
  part.operator.open();
  try {
    while (part.operator.next()) {
      const row: SqlValue[] = new Array(width);
      for (let i = 0; i < width; i++) row[i] = part.columns[i]();
      rows.push(row);
    }
  } finally {
    part.operator.close();
  }
  return rows;
}
