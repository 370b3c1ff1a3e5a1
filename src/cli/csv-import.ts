/**
 * `.import FILE TABLE`: loads a CSV file (RFC 4180: `,` separators, `"`
 * quoting with `""` escapes, fields may span lines, `\n` or `\r\n` rows)
 * into a table, as sqlite3's shell does in CSV mode.
 *
 * When the table does not exist it is created from the header row, every
 * column typed TEXT, and the remaining rows are inserted; when it exists,
 * every row is data (use `--skip 1` to drop a header). Rows with too few
 * fields are padded with NULLs and rows with too many are cut, with a
 * warning on stderr naming the line, as sqlite3 does. All rows go in one
 * transaction. When stdout is a terminal and the file is large, a progress
 * bar is drawn on stderr.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Database } from '../api/index.js';

export interface ImportOutcome {
  readonly rows: number;
  readonly created: boolean;
}

const PROGRESS_THRESHOLD_BYTES = 4 << 20;
const CHUNK_BYTES = 1 << 20;

export function importCsv(
  db: Database,
  file: string,
  table: string,
  options: { skip: number; warn: (text: string) => void; showProgress: boolean },
): ImportOutcome {
  const quotedTable = `"${table.replace(/"/g, '""')}"`;
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(table) !== undefined;
  let insert: ((fields: string[], line: number) => void) | null = null;
  let columnCount = 0;
  let rows = 0;
  let skipped = 0;
  const ownTransaction = !db.inTransaction;

  const prepareInsert = (count: number) => {
    columnCount = count;
    const statement = db.prepare(`INSERT INTO ${quotedTable} VALUES(${Array.from({ length: count }, () => '?').join(',')})`);
    insert = (fields, line) => {
      if (fields.length !== columnCount) {
        options.warn(`${file}:${line}: expected ${columnCount} columns but found ${fields.length} - ${fields.length < columnCount ? 'filling the rest with NULL' : 'extras ignored'}`);
      }
      const values: Array<string | null> = fields.slice(0, columnCount);
      while (values.length < columnCount) values.push(null);
      statement.run(values);
      rows++;
    };
  };

  if (exists) prepareInsert(db.prepare(`SELECT * FROM ${quotedTable}`).columns().length);
  if (ownTransaction) db.exec('BEGIN');
  let created = false;
  try {
    readCsvRecords(file, options.showProgress, (fields, line) => {
      if (skipped < options.skip) {
        skipped++;
        return;
      }
      if (insert === null) {
        const columns = fields.map((name) => `"${name.replace(/"/g, '""')}" TEXT`).join(', ');
        db.exec(`CREATE TABLE ${quotedTable}(\n${columns})`);
        created = true;
        prepareInsert(fields.length);
        return;
      }
      (insert as (fields: string[], line: number) => void)(fields, line);
    });
    if (ownTransaction) db.exec('COMMIT');
  } catch (error) {
    if (ownTransaction && db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return { rows, created };
}

/** Streams the file's CSV records to `onRecord` with the line each record starts on. */
function readCsvRecords(file: string, showProgress: boolean, onRecord: (fields: string[], line: number) => void): void {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const progress = showProgress && size >= PROGRESS_THRESHOLD_BYTES ? new ProgressBar(size) : null;
    const parser = new CsvParser(onRecord);
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const decoder = new TextDecoder('utf-8');
    let position = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      position += read;
      parser.push(decoder.decode(buffer.subarray(0, read), { stream: true }));
      progress?.show(position);
    }
    parser.push(decoder.decode());
    parser.finish();
    progress?.done();
  } finally {
    closeSync(fd);
  }
}

/** An incremental RFC 4180 parser: text goes in by chunks, records come out. */
class CsvParser {
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  private afterQuote = false;
  private fieldStarted = false;
  private line = 1;
  private recordLine = 1;

  constructor(private readonly onRecord: (fields: string[], line: number) => void) {}

  push(text: string): void {
    for (let k = 0; k < text.length; k++) {
      const c = text[k];
      if (this.quoted) {
        if (c === '"') {
          this.quoted = false;
          this.afterQuote = true;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
        }
        continue;
      }
      if (c === '"') {
        if (this.afterQuote) this.field += '"';
        this.quoted = true;
        this.afterQuote = false;
        this.fieldStarted = true;
        continue;
      }
      this.afterQuote = false;
      if (c === ',') {
        this.endField();
      } else if (c === '\n') {
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      } else if (c === '\r' && text[k + 1] === '\n') {
        continue;
      } else {
        this.field += c;
        this.fieldStarted = true;
      }
    }
  }

  finish(): void {
    if (this.fieldStarted || this.fields.length > 0) this.endRecord();
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.fieldStarted = true;
  }

  private endRecord(): void {
    if (!this.fieldStarted && this.fields.length === 0) return;
    this.fields.push(this.field);
    const record = this.fields;
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
    this.onRecord(record, this.recordLine);
  }
}

/** A one-line progress bar on stderr. */
class ProgressBar {
  private lastPercent = -1;

  constructor(private readonly total: number) {}

  show(done: number): void {
    const percent = Math.floor((done / this.total) * 100);
    if (percent === this.lastPercent) return;
    this.lastPercent = percent;
    const filled = Math.round(percent / 2.5);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(40 - filled)}] ${String(percent).padStart(3)}%`);
  }

  done(): void {
    process.stderr.write('\n');
  }
}
