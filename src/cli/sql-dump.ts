/**
 * `.dump`: the database as SQL text in sqlite3's shell format, which loads
 * into sqlite3, better-sqlite3 or Shoal with identical content.
 *
 * Order, as sqlite3 writes it: `PRAGMA foreign_keys=OFF;`, `BEGIN
 * TRANSACTION;`, each table's CREATE statement followed by its rows as
 * `INSERT INTO t VALUES(...)`, then `sqlite_sequence` (`DELETE` and
 * `INSERT`s), `sqlite_stat1` behind `ANALYZE sqlite_schema;`, then indexes,
 * triggers and views in schema order, and `COMMIT;`. A CREATE TABLE whose
 * name is quoted is written `CREATE TABLE IF NOT EXISTS`. Values are exact
 * SQL literals (see value-text.ts), and the rows are read in one read
 * transaction. Optional LIKE patterns restrict the dump to the objects whose names match.
 */
import type { Database } from '../api/index.js';
import { quoteIdentifierIfNeeded, sqlLiteral, type CellValue } from './value-text.js';

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

export function dumpDatabase(db: Database, write: (text: string) => void, patterns: readonly string[] = []): void {
  const beginHere = !db.inTransaction;
  if (beginHere) db.exec('BEGIN');
  try {
    const schema = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid').all() as SchemaRow[];
    const selected = (row: SchemaRow) => patterns.length === 0 || patterns.some((pattern) => likeMatches(db, row.name, pattern));
    write('PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n');
    for (const row of schema) {
      if (row.type !== 'table' || row.sql === null || row.name === 'sqlite_sequence' || !selected(row)) continue;
      if (row.name === 'sqlite_stat1') write('ANALYZE sqlite_schema;\n');
      else if (row.name.startsWith('sqlite_')) continue;
      else write(`${createTableText(row.sql)};\n`);
      writeRows(db, row.name, write);
    }
    const sequence = schema.find((row) => row.type === 'table' && row.name === 'sqlite_sequence');
    if (sequence && patterns.length === 0) {
      write('DELETE FROM sqlite_sequence;\n');
      writeRows(db, 'sqlite_sequence', write);
    }
    for (const row of schema) {
      if (row.type === 'table' || row.sql === null || !selected(row)) continue;
      write(`${row.sql};\n`);
    }
    write('COMMIT;\n');
  } finally {
    if (beginHere && db.inTransaction) db.exec('COMMIT');
  }
}

/** sqlite3 writes `CREATE TABLE "quoted"` as `CREATE TABLE IF NOT EXISTS "quoted"`. */
export function createTableText(sql: string): string {
  return /^CREATE TABLE ['"]/i.test(sql) ? `CREATE TABLE IF NOT EXISTS ${sql.slice(13)}` : sql;
}

function writeRows(db: Database, table: string, write: (text: string) => void): void {
  const prefix = `INSERT INTO ${quoteIdentifierIfNeeded(table)} VALUES(`;
  const statement = db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).raw(true).safeIntegers(true);
  for (const row of statement.iterate()) write(`${prefix}${(row as CellValue[]).map(sqlLiteral).join(',')});\n`);
}

function likeMatches(db: Database, text: string, pattern: string): boolean {
  return db.prepare('SELECT ? LIKE ?').pluck().get(text, pattern) === 1;
}
