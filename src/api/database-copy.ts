/**
 * Logical database copy, behind `db.backup()` and `db.serialize()`.
 *
 * The source is read inside one read transaction (when the connection is
 * not already in one, and no iterator forbids starting one), so the copy is
 * one consistent snapshot even while other connections and processes write.
 * The destination is a fresh database file written through Shoal itself, in
 * one write transaction: the same page size, `user_version` and
 * `application_id`; every table created from its stored SQL and filled with
 * the same rows and values (rowids kept, integers copied as 64-bit values);
 * `sqlite_sequence` reproduced; then indexes, views and triggers. The file is
 * built beside the target and renamed over it, so a reader of the target
 * never sees a half-written copy.
 *
 * A logical copy has the same content as a page-by-page copy but not
 * necessarily the same page layout.
 */
import { renameSync, rmSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

/** The part of the public Database API the copy uses. */
export interface CopyableDatabase {
  readonly inTransaction: boolean;
  exec(sql: string): unknown;
  pragma(source: string, options: { simple: true }): unknown;
  prepare(sql: string): CopyStatement;
  close(): unknown;
}

interface CopyStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
  raw(toggle?: boolean): CopyStatement;
  safeIntegers(toggle?: boolean): CopyStatement;
  iterate(...params: unknown[]): IterableIterator<unknown>;
  columns(): Array<{ name: string }>;
}

interface SchemaEntry {
  type: string;
  name: string;
  sql: string | null;
}

/** Copies `source` into a new database file at `target`; returns the copy's size in pages. */
export function copyDatabase(
  source: CopyableDatabase,
  canBegin: boolean,
  target: string,
  openTarget: (path: string) => CopyableDatabase,
): number {
  const beginHere = canBegin && !source.inTransaction;
  if (beginHere) source.exec('BEGIN');
  try {
    const schema = source.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY rowid').all() as SchemaEntry[];
    const pageSize = Number(source.pragma('page_size', { simple: true }));
    const userVersion = Number(source.pragma('user_version', { simple: true }));
    const applicationId = Number(source.pragma('application_id', { simple: true }));
    const building = join(dirname(target), `.${basename(target)}.shoal-copy-${process.pid}-${Date.now()}`);
    removeDatabaseFiles(building);
    let pageCount = 0;
    const destination = openTarget(building);
    try {
      destination.exec(`PRAGMA page_size = ${pageSize}`);
      destination.exec('BEGIN');
      for (const entry of schema) {
        if (entry.type !== 'table' || entry.sql === null || entry.name.startsWith('sqlite_')) continue;
        destination.exec(entry.sql);
        copyRows(source, destination, entry.name);
      }
      if (schema.some((entry) => entry.type === 'table' && entry.name === 'sqlite_sequence')) {
        destination.exec('DELETE FROM sqlite_sequence');
        copyRows(source, destination, 'sqlite_sequence');
      }
      for (const entry of schema) {
        if (entry.type === 'table' || entry.sql === null) continue;
        destination.exec(entry.sql);
      }
      destination.exec(`PRAGMA user_version = ${userVersion}`);
      destination.exec(`PRAGMA application_id = ${applicationId}`);
      destination.exec('COMMIT');
      pageCount = Number(destination.pragma('page_count', { simple: true }));
    } catch (error) {
      destination.close();
      removeDatabaseFiles(building);
      throw error;
    }
    destination.close();
    removeDatabaseFiles(target);
    renameSync(building, target);
    removeDatabaseFiles(building);
    return pageCount;
  } finally {
    if (beginHere && source.inTransaction) source.exec('COMMIT');
  }
}

function copyRows(source: CopyableDatabase, destination: CopyableDatabase, table: string): void {
  const quoted = quoteIdentifier(table);
  let read: CopyStatement;
  let withRowid = true;
  try {
    read = source.prepare(`SELECT _rowid_, * FROM ${quoted}`);
  } catch {
    withRowid = false;
    read = source.prepare(`SELECT * FROM ${quoted}`);
  }
  const columns = read.columns().map((column) => quoteIdentifier(column.name));
  if (withRowid) columns[0] = '_rowid_';
  const placeholders = columns.map(() => '?').join(', ');
  const write = destination.prepare(`INSERT INTO ${quoted}(${columns.join(', ')}) VALUES (${placeholders})`);
  for (const row of read.raw(true).safeIntegers(true).iterate()) write.run(row);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-tshm', '-journal']) rmSync(path + suffix, { force: true });
}
