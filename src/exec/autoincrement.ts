/**
 * AutoincrementSequence: the `sqlite_sequence` row of one AUTOINCREMENT
 * table during one statement. The largest rowid ever used is read when the
 * statement starts, raised by every row the statement inserts, and written
 * back (updating the table's row, or adding one) when the statement ends,
 * as SQLite does.
 */
import type { TableSchema } from '../schema/schema-objects.js';
import type { DatabaseStorage } from './database-storage.js';
import { RecordBuilder } from './record-values.js';

export class AutoincrementSequence {
  private value: number | bigint = 0;
  private entryRowid: number | bigint | null = null;
  private changed = false;
  private readonly builder = new RecordBuilder();

  constructor(
    private readonly storage: DatabaseStorage,
    private readonly sequence: TableSchema,
    private readonly tableName: string,
  ) {}

  /** Reads the table's current sequence value. */
  load(): number | bigint {
    this.value = 0;
    this.entryRowid = null;
    this.changed = false;
    const cursor = this.storage.cursors.table(this.sequence.rootPage);
    try {
      for (let more = cursor.first(); more; more = cursor.next()) {
        const record = cursor.record();
        const name = record.column(0);
        if (typeof name !== 'string' || name !== this.tableName) continue;
        const seq = record.column(1);
        this.value = typeof seq === 'number' || typeof seq === 'bigint' ? seq : 0;
        this.entryRowid = cursor.rowid;
        break;
      }
    } finally {
      this.storage.cursors.release(cursor);
    }
    return this.value;
  }

  get current(): number | bigint {
    return this.value;
  }

  /** Notes a rowid the statement used. */
  observe(rowid: number | bigint): void {
    if (rowid > this.value) {
      this.value = rowid;
      this.changed = true;
    }
  }

  /** Writes the sequence back when it moved. */
  save(): void {
    if (!this.changed) return;
    this.storage.writes++;
    const cursor = this.storage.cursors.table(this.sequence.rootPage);
    try {
      let rowid = this.entryRowid;
      if (rowid === null) rowid = cursor.last() ? Number(cursor.rowid) + 1 : 1;
      cursor.insertRow(rowid, this.builder.encode([this.tableName, this.value]));
      this.entryRowid = rowid;
    } finally {
      this.storage.cursors.release(cursor);
    }
    this.changed = false;
  }
}
