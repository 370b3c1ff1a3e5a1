// A schema change made in one process reaches the statements of another:
// a statement prepared afterwards sees it, and one prepared before the change
// re-prepares transparently on its next run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from '../../src/index.js';
import { peerFactory, scratchDirectory } from './peers.js';

test('a schema change in another process is seen by new and by already prepared statements', async (t) => {
  const dbPath = join(scratchDirectory(t), 'schema.db');
  const db = new Database(dbPath);
  t.after(() => db.close());
  db.exec('CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)');
  db.prepare('INSERT INTO items(name) VALUES (?)').run('first');
  const preparedBefore = db.prepare('SELECT * FROM items ORDER BY id');
  assert.deepEqual(preparedBefore.all(), [{ id: 1, name: 'first' }]);

  const other = peerFactory(t)('other');
  await other.ask({ op: 'open', engine: 'shoal', path: dbPath });
  await other.ask({ op: 'exec', sql: "DROP TABLE items; CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price REAL DEFAULT 9.5); INSERT INTO items(name) VALUES ('moved'); CREATE TABLE extra(x)" });

  assert.deepEqual(preparedBefore.all(), [{ id: 1, name: 'moved', price: 9.5 }]);
  assert.deepEqual(db.prepare('SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name').pluck().all('table'), ['extra', 'items']);
  db.prepare('INSERT INTO extra VALUES (?)').run(1);
  assert.deepEqual(await other.ask({ op: 'all', sql: 'SELECT x FROM extra' }), [{ x: 1 }]);
  await other.ask({ op: 'close' });
});
