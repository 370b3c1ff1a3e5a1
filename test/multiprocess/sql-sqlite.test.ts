/**
 * Issue 4, "SQLite next to Shoal", through the public API: while a Shoal
 * process has the database open, a SQLite process (better-sqlite3) cannot
 * write and changes no byte of the database or WAL (SQLite 3.53 gives up
 * with SQLITE_PROTOCOL: it cannot take the `-shm` lock byte Shoal holds);
 * while a SQLite process has it open, Shoal refuses to open it and says why;
 * once either side closed the other opens normally and no commit is lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from '../../src/index.js';
import { SCHEMA, peerFactory, scratchDirectory } from './peers.js';
import type { WriteResult } from './sql-peer.js';

const SHOAL = 1;
const SQLITE = 2;

/** Digest of the database and WAL bytes. */
function fingerprint(path: string): string {
  const hash = createHash('sha256');
  for (const file of [path, `${path}-wal`]) hash.update(existsSync(file) ? readFileSync(file) : 'absent');
  return hash.digest('hex');
}

function tally(db: Database): unknown {
  return db.prepare('SELECT n, (SELECT count(*) FROM rows) AS rows FROM counter').get();
}

test('Shoal and SQLite processes keep each other out of a live database and lose no commit', { timeout: 120_000 }, async (t) => {
  const path = join(scratchDirectory(t), 'mixed.db');
  const peer = peerFactory(t);

  const shoal = peer('shoal');
  await shoal.ask({ op: 'open', engine: 'shoal', path });
  await shoal.ask({ op: 'exec', sql: SCHEMA });
  assert.deepEqual(await shoal.ask<WriteResult>({ op: 'write', writer: SHOAL, count: 10 }), { committed: 10 });
  const live = fingerprint(path);

  const refusedSqlite = peer('sqlite while Shoal is live');
  await refusedSqlite.ask({ op: 'open', engine: 'sqlite', path, options: { timeout: 0 } });
  await assert.rejects(refusedSqlite.ask({ op: 'run', sql: 'INSERT INTO rows(writer, seq) VALUES (?, 1)', params: [SQLITE] }), {
    code: 'SQLITE_PROTOCOL',
  });
  await refusedSqlite.ask({ op: 'close' });
  assert.equal(fingerprint(path), live, 'SQLite wrote nothing, not even when it closed');

  assert.deepEqual(await shoal.ask<WriteResult>({ op: 'write', writer: SHOAL, count: 10, firstSeq: 11 }), { committed: 10 });
  await shoal.ask({ op: 'close' });

  const sqlite = peer('sqlite');
  await sqlite.ask({ op: 'open', engine: 'sqlite', path });
  assert.deepEqual(await sqlite.ask({ op: 'all', sql: 'SELECT n, (SELECT count(*) FROM rows) AS rows FROM counter' }), [{ n: 20, rows: 20 }]);
  assert.deepEqual(await sqlite.ask<WriteResult>({ op: 'write', writer: SQLITE, count: 10 }), { committed: 10 });
  const sqliteLive = fingerprint(path);
  for (const options of [{}, { readonly: true }, { multiProcess: false }]) {
    assert.throws(
      () => new Database(path, options),
      (error: { code?: string; message?: string }) =>
        error.code === 'SQLITE_BUSY' && /a SQLite process has the database open/.test(error.message ?? ''),
      `Shoal refuses to open with ${JSON.stringify(options)}`,
    );
  }
  assert.equal(fingerprint(path), sqliteLive, 'the refused opens wrote nothing');
  await sqlite.ask({ op: 'close' });

  const reopened = new Database(path);
  try {
    assert.deepEqual(tally(reopened), { n: 30, rows: 30 });
    assert.deepEqual(reopened.prepare('SELECT writer, count(*) AS c FROM rows GROUP BY writer').all(), [
      { writer: SHOAL, c: 20 },
      { writer: SQLITE, c: 10 },
    ]);
    assert.equal(reopened.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    reopened.close();
  }
});
