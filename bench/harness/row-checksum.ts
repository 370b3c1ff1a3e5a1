/**
 * Result checksums: a digest of the rows a workload produced, in order, that
 * is equal for two engines exactly when they returned the same values.
 *
 * Each value is fed with a type tag (integer-valued and fractional numbers
 * share the JS `number` tag, as they do in every engine's JS binding), text
 * by its UTF-8 bytes with a length, blobs by their bytes with a length. Rows
 * may be objects (values in column order) or arrays. Hashing happens after
 * the timed section, so its cost never enters a measurement.
 */
import { createHash, type Hash } from 'node:crypto';

export class RowChecksum {
  private readonly hash: Hash = createHash('sha256');
  private readonly scratch = Buffer.alloc(9);
  private rows = 0;

  addRows(rows: Iterable<unknown>): this {
    for (const row of rows) this.addRow(row);
    return this;
  }

  addRow(row: unknown): this {
    this.rows++;
    if (row !== null && typeof row === 'object' && !(row instanceof Uint8Array)) {
      const values = Array.isArray(row) ? row : Object.values(row);
      this.tag(0x52, values.length);
      for (const value of values) this.addValue(value);
    } else {
      this.tag(0x56, 1);
      this.addValue(row);
    }
    return this;
  }

  /** Hex digest prefixed with the row count, so a count mismatch is visible at a glance. */
  digest(): string {
    return `${this.rows}:${this.hash.digest('hex').slice(0, 16)}`;
  }

  private addValue(value: unknown): void {
    if (value === null || value === undefined) {
      this.tag(0x4e, 0);
    } else if (typeof value === 'number') {
      this.scratch[0] = 0x46;
      this.scratch.writeDoubleLE(value, 1);
      this.hash.update(this.scratch);
    } else if (typeof value === 'bigint') {
      if (Number.isSafeInteger(Number(value))) {
        this.addValue(Number(value));
      } else {
        const digits = value.toString();
        this.tag(0x49, digits.length);
        this.hash.update(digits);
      }
    } else if (typeof value === 'string') {
      const bytes = Buffer.from(value, 'utf8');
      this.tag(0x54, bytes.length);
      this.hash.update(bytes);
    } else if (value instanceof Uint8Array) {
      this.tag(0x42, value.length);
      this.hash.update(value);
    } else {
      throw new TypeError(`a row value of unexpected type ${typeof value}`);
    }
  }

  private tag(tag: number, length: number): void {
    this.scratch[0] = tag;
    this.scratch.writeDoubleLE(length, 1);
    this.hash.update(this.scratch);
  }
}

/** Digest of one query's rows. */
export function checksumOf(rows: Iterable<unknown>): string {
  return new RowChecksum().addRows(rows).digest();
}
