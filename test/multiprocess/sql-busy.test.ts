/**
 * Issue 4, busy waiting through SQL: a writer that waits past its `timeout`
 * for another process's write transaction gets SQLITE_BUSY (and readers are
 * not blocked meanwhile); a deferred transaction whose snapshot went stale
 * before its first write gets SQLITE_BUSY_SNAPSHOT and succeeds when retried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from '../../src/index.js';
import { SCHEMA, peerFactory, scratchDirectory } from './peers.js';

function counter(db: Database): number {
  return db.prepare('SELECT n FROM counter').pluck().get() as number;
}

test('a writer waiting past its timeout for another process gets SQLITE_BUSY; readers go on', async (t) => {
  const path = join(scratchDirectory(t), 'busy.db');
  const db = new Database(path, { timeout: 100 });
  t.after(() => db.close());
  db.exec(SCHEMA);
  const other = peerFactory(t)('other writer');
  await other.ask({ op: 'open', engine: 'shoal', path });
  await other.ask({ op: 'exec', sql: 'BEGIN IMMEDIATE' });
  await other.ask({ op: 'run', sql: 'UPDATE counter SET n = 100' });

  assert.throws(() => db.exec('BEGIN IMMEDIATE'), { code: 'SQLITE_BUSY' });
  assert.equal(db.inTransaction, false);
  assert.throws(() => db.prepare('INSERT INTO rows(writer, seq) VALUES (1, 1)').run(), { code: 'SQLITE_BUSY' });
  assert.throws(() => db.transaction(() => db.prepare('UPDATE counter SET n = n + 1').run()).immediate(), { code: 'SQLITE_BUSY' });
  assert.equal(counter(db), 0, 'a reader is not blocked and sees the last commit');

  await other.ask({ op: 'exec', sql: 'COMMIT' });
  db.prepare('INSERT INTO rows(writer, seq) VALUES (1, 1)').run();
  db.prepare('UPDATE counter SET n = n + 1').run();
  assert.equal(counter(db), 101);
  await other.ask({ op: 'close' });
});

test('a deferred transaction whose snapshot another process overtook gets SQLITE_BUSY_SNAPSHOT', async (t) => {
  const path = join(scratchDirectory(t), 'busy-snapshot.db');
  const db = new Database(path);
  t.after(() => db.close());
  db.exec(SCHEMA);
  const other = peerFactory(t)('other writer');
  await other.ask({ op: 'open', engine: 'shoal', path });

  db.exec('BEGIN');
  assert.equal(counter(db), 0);
  await other.ask({ op: 'run', sql: 'UPDATE counter SET n = n + 1' });
  assert.equal(counter(db), 0, 'the open snapshot does not move');
  assert.throws(() => db.prepare('UPDATE counter SET n = n + 1').run(), { code: 'SQLITE_BUSY_SNAPSHOT' });
  assert.equal(db.inTransaction, true, 'like SQLite, the transaction stays open until rolled back');
  db.exec('ROLLBACK');

  db.exec('BEGIN');
  assert.equal(counter(db), 1);
  db.prepare('UPDATE counter SET n = n + 1').run();
  db.exec('COMMIT');
  assert.deepEqual(await other.ask({ op: 'all', sql: 'SELECT n FROM counter' }), [{ n: 2 }], 'no update was lost');
  await other.ask({ op: 'close' });
});
