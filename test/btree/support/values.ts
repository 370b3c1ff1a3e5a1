/** Normalizes column values from our records and from better-sqlite3 rows into comparable strings. */
import type { RecordReader } from '../../../src/btree/index.js';

/** A storage-class-tagged rendering of one value: i:, r:, t:, b: or n. */
export function tagOf(value: unknown, isReal = false): string {
  if (value === null || value === undefined) return 'n';
  if (typeof value === 'bigint') return `i:${value}`;
  if (typeof value === 'number') return isReal || !Number.isInteger(value) ? `r:${value}` : `i:${value}`;
  if (typeof value === 'string') return `t:${value}`;
  if (value instanceof Uint8Array) return `b:${Buffer.from(value).toString('hex')}`;
  throw new Error(`unexpected value ${String(value)}`);
}

/** Every column of a record, tagged. */
export function tagRecord(record: RecordReader): string[] {
  const out: string[] = [];
  const count = record.columnCount;
  for (let i = 0; i < count; i++) out.push(tagOf(record.column(i), record.serialType(i) === 7));
  return out;
}

/** Every column of a better-sqlite3 raw row (safe integers on), tagged. */
export function tagRow(row: unknown[]): string[] {
  return row.map((value) => (typeof value === 'number' ? `r:${value}` : tagOf(value)));
}
