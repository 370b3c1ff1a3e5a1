/**
 * RowSlot: one table row held in memory while it is written — its column
 * values in declaration order and its rowid. Compiled expressions that
 * concern the row being written (DEFAULT, CHECK, index expressions, trigger
 * NEW/OLD rows, RETURNING) read it through closures over the slot.
 */
import type { SqlValue } from './values/value.js';

export class RowSlot {
  values: SqlValue[];
  rowid: SqlValue = null;
  constructor(width: number) {
    this.values = new Array<SqlValue>(width).fill(null);
  }
}
