/**
 * Recursive common table expressions, run as SQLite runs them: the setup
 * query's rows go into a queue; then, until the queue is empty, one row is
 * taken out, returned, and the recursive terms run once with that row as
 * the recursive table's only row, adding their rows to the queue.
 *
 * The queue is a FIFO, or with ORDER BY a priority queue (ties leave in
 * the order they arrived). With UNION a row already queued once is not
 * queued again. OFFSET rows are skipped but still feed the recursion;
 * LIMIT stops the recursion after that many returned rows. Rows are
 * produced lazily, so `SELECT ... FROM cte LIMIT n` ends an infinite
 * recursion. A `replayable` (uncorrelated) CTE that ran to its end once in
 * an execution is replayed from memory when re-opened (the inner side of a
 * join) instead of being run again.
 */
import type { Evaluate } from '../evaluate.js';
import type { Operator, RowProducer } from '../operator.js';
import type { StatementRuntime } from '../runtime.js';
import { rowKey, type KeyCollation } from '../value-key.js';
import type { SqlValue } from '../values/value.js';
import { limitValue } from './limit.js';
import type { RowBuffer } from './row-buffer.js';
import { rowComparator, type SortKey } from './row-comparator.js';

export interface RecursiveCteShape {
  readonly setup: RowProducer;
  /** The recursive terms; each reads `current.row` as the recursive table's row. */
  readonly recursive: readonly RowProducer[];
  readonly current: { row: SqlValue[] };
  /** Column collations of the distinct set for UNION; null for UNION ALL. */
  readonly distinct: readonly KeyCollation[] | null;
  /** ORDER BY keys over the row's columns; null for a FIFO queue. */
  readonly order: readonly SortKey[] | null;
  readonly limit: Evaluate | null;
  readonly offset: Evaluate | null;
}

interface QueueEntry {
  readonly row: SqlValue[];
  readonly sequence: number;
}

export class RecursiveCteOperator implements Operator {
  private fifo: SqlValue[][] = [];
  private fifoHead = 0;
  private heap: QueueEntry[] = [];
  private sequence = 0;
  private seen: Set<string> | null = null;
  private expand: SqlValue[] | null = null;
  private remaining = -1;
  private skip = 0;
  private finished = false;
  private readonly compareRows: ((a: SqlValue[], b: SqlValue[]) => number) | null;
  private readonly width: number;
  private recorded: SqlValue[][] = [];
  private recordedExecution = -1;
  private replaying = false;
  private replayPosition = 0;

  constructor(
    private readonly shape: RecursiveCteShape,
    private readonly buffer: RowBuffer,
    private readonly runtime: StatementRuntime,
    private readonly replayable: boolean,
  ) {
    this.compareRows = shape.order === null ? null : rowComparator(shape.order);
    this.width = shape.setup.columns.length;
  }

  open(): void {
    if (this.replayable && this.recordedExecution === this.runtime.execution) {
      this.replaying = true;
      this.replayPosition = 0;
      return;
    }
    this.replaying = false;
    this.recorded = [];
    this.recordedExecution = -1;
    this.fifo = [];
    this.fifoHead = 0;
    this.heap = [];
    this.sequence = 0;
    this.expand = null;
    this.seen = this.shape.distinct === null ? null : new Set();
    this.remaining = this.shape.limit === null ? -1 : limitValue(this.shape.limit());
    this.skip = this.shape.offset === null ? 0 : Math.max(0, limitValue(this.shape.offset()));
    this.finished = this.remaining === 0;
    if (!this.finished) this.drain(this.shape.setup);
  }

  next(): boolean {
    if (this.replaying) {
      if (this.replayPosition >= this.recorded.length) return false;
      this.buffer.row = this.recorded[this.replayPosition++];
      return true;
    }
    while (!this.finished) {
      if (this.expand !== null) {
        const row = this.expand;
        this.expand = null;
        this.shape.current.row = row;
        for (const term of this.shape.recursive) this.drain(term);
      }
      const row = this.pop();
      if (row === null) {
        this.finish();
        return false;
      }
      this.expand = row;
      if (this.skip > 0) {
        this.skip--;
        continue;
      }
      if (this.remaining > 0 && --this.remaining === 0) this.finished = true;
      if (this.replayable) this.recorded.push(row);
      this.buffer.row = row;
      if (this.finished) this.finish();
      return true;
    }
    return false;
  }

  close(): void {
    this.fifo = [];
    this.heap = [];
    this.seen = null;
    this.expand = null;
  }

  private finish(): void {
    this.finished = true;
    if (this.replayable) this.recordedExecution = this.runtime.execution;
  }

  /** Runs `producer` to its end, queueing its rows. */
  private drain(producer: RowProducer): void {
    const columns = producer.columns;
    const width = this.width;
    producer.operator.open();
    try {
      while (producer.operator.next()) {
        const row: SqlValue[] = new Array(width);
        for (let i = 0; i < width; i++) row[i] = columns[i]();
        this.push(row);
      }
    } finally {
      producer.operator.close();
    }
  }

  private push(row: SqlValue[]): void {
    if (this.seen !== null) {
      const key = rowKey(row, this.shape.distinct!);
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    if (this.compareRows === null) {
      this.fifo.push(row);
      return;
    }
    const heap = this.heap;
    heap.push({ row, sequence: this.sequence++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.before(heap[parent], heap[i])) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private pop(): SqlValue[] | null {
    if (this.compareRows === null) {
      if (this.fifoHead >= this.fifo.length) return null;
      const row = this.fifo[this.fifoHead++];
      if (this.fifoHead > 1024 && this.fifoHead * 2 > this.fifo.length) {
        this.fifo = this.fifo.slice(this.fifoHead);
        this.fifoHead = 0;
      }
      return row;
    }
    const heap = this.heap;
    if (heap.length === 0) return null;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && !this.before(heap[smallest], heap[left])) smallest = left;
        if (right < heap.length && !this.before(heap[smallest], heap[right])) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top.row;
  }

  /** True when `a` leaves the priority queue before `b`. */
  private before(a: QueueEntry, b: QueueEntry): boolean {
    const c = this.compareRows!(a.row, b.row);
    return c < 0 || (c === 0 && a.sequence < b.sequence);
  }
}

/** The recursive table inside a recursive term: the one row the queue handed out. */
export class CurrentRowOperator implements Operator {
  private pending = false;

  constructor(
    private readonly current: { row: SqlValue[] },
    private readonly buffer: RowBuffer,
  ) {}

  open(): void {
    this.pending = true;
  }

  next(): boolean {
    if (!this.pending) return false;
    this.pending = false;
    this.buffer.row = this.current.row;
    return true;
  }

  close(): void {
    this.pending = false;
  }
}
