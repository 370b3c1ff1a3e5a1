/**
 * Bridges engine values (value.ts, where an integral REAL is an `SqlReal`)
 * and the B-tree record codec (record.ts, which takes plain numbers plus a
 * "store as REAL" flag per column): builds records for rows and index keys.
 */
import { RecordEncoder } from '../btree/record.js';
import { SqlReal, type SqlValue } from './values/value.js';

type RecordValue = null | number | bigint | string | Uint8Array;

export class RecordBuilder {
  private readonly encoder = new RecordEncoder();
  private values: RecordValue[] = [];
  private asReal: boolean[] = [];

  /** Encodes `values` into a reusable buffer (valid until the next call). */
  encode(values: readonly SqlValue[]): Uint8Array {
    const n = values.length;
    const out = this.values;
    const asReal = this.asReal;
    if (out.length !== n) {
      out.length = n;
      asReal.length = n;
    }
    let anyReal = false;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v instanceof SqlReal) {
        out[i] = v.value;
        asReal[i] = true;
        anyReal = true;
      } else {
        out[i] = v;
        asReal[i] = typeof v === 'number' && !Number.isInteger(v);
      }
    }
    return this.encoder.encode(out, anyReal ? asReal : undefined);
  }

  /** Encodes into a fresh buffer the caller may keep. */
  encodeCopy(values: readonly SqlValue[]): Uint8Array {
    return this.encode(values).slice();
  }
}
