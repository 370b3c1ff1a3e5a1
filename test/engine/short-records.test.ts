// Rows written before ALTER TABLE ADD COLUMN are shorter than the table:
// SQLite reads each missing column as its default. Shoal must read, index
// and update such rows exactly as SQLite does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import Database from '../../src/index.js';

test('rows SQLite wrote before ADD COLUMN read as the column defaults, with affinity, through scans, indexes and updates', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-short-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'short.db');
  const query = 'SELECT rowid, a, b, c, d, e, typeof(b), typeof(c), typeof(d) FROM t ORDER BY rowid';

  const sqlite = new Sqlite(path);
  sqlite.exec(`CREATE TABLE t(a INTEGER);
    INSERT INTO t VALUES (1), (2), (3);
    ALTER TABLE t ADD COLUMN b INTEGER DEFAULT '7';
    ALTER TABLE t ADD COLUMN c TEXT DEFAULT -3;
    ALTER TABLE t ADD COLUMN d REAL DEFAULT 2;
    ALTER TABLE t ADD COLUMN e DEFAULT NULL;
    INSERT INTO t VALUES (4, 8, 'x', 0.5, 'y');`);
  const expected = sqlite.prepare(query).raw().all();
  sqlite.close();

  const db = new Database(path);
  assert.deepEqual(db.prepare(query).raw().all(), expected);
  assert.deepEqual(db.prepare('SELECT a FROM t WHERE b = 7 ORDER BY a').pluck().all(), [1, 2, 3]);
  db.exec('CREATE INDEX t_b ON t(b, c)');
  assert.deepEqual(db.prepare('SELECT a FROM t INDEXED BY t_b WHERE b = 7 AND c = ? ORDER BY a').pluck().all('-3'), [1, 2, 3]);
  db.exec('UPDATE t SET a = a * 10 WHERE a = 2');
  db.close();

  const check = new Sqlite(path);
  assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(check.prepare('SELECT a, b, c, d FROM t WHERE a = 20').raw().get(), [20, 7, '-3', 2]);
  check.close();
});
