/**
 * LIMIT/OFFSET: skips the first `offset` rows of its input and stops after
 * `limit` rows. Both are evaluated when the operator opens; a negative limit
 * means no limit and a negative offset counts as zero, as in SQLite.
 */
import { SqliteError } from '../../sqlite-error.js';
import type { Evaluate } from '../evaluate.js';
import type { Operator } from '../operator.js';
import { applyAffinity, Affinity } from '../values/affinity.js';
import type { SqlValue } from '../values/value.js';

export class LimitOperator implements Operator {
  private remaining = 0;
  private skip = 0;

  constructor(
    private readonly input: Operator,
    private readonly limit: Evaluate | null,
    private readonly offset: Evaluate | null,
  ) {}

  open(): void {
    this.remaining = this.limit === null ? -1 : limitValue(this.limit());
    this.skip = this.offset === null ? 0 : Math.max(0, limitValue(this.offset()));
    this.input.open();
  }

  next(): boolean {
    if (this.remaining === 0) return false;
    while (this.skip > 0) {
      if (!this.input.next()) return false;
      this.skip--;
    }
    if (!this.input.next()) return false;
    if (this.remaining > 0) this.remaining--;
    return true;
  }

  close(): void {
    this.input.close();
  }
}

/** A LIMIT/OFFSET value: must be an integer after NUMERIC affinity ("datatype mismatch" otherwise). */
export function limitValue(v: SqlValue): number {
  const converted = applyAffinity(v, Affinity.INTEGER);
  if (typeof converted === 'number' && Number.isInteger(converted)) return converted;
  if (typeof converted === 'bigint') return converted < 0n ? -1 : Number.MAX_SAFE_INTEGER;
  throw new SqliteError('datatype mismatch', 'SQLITE_MISMATCH');
}
