/**
 * Shoal next to real SQLite (better-sqlite3, SQLite 3.53) in other processes:
 * while a Shoal process has the database open, SQLite reads, writes and
 * journal-mode changes fail and change no byte of the database or WAL (even
 * when the SQLite connection closes, which normally checkpoints and deletes
 * the WAL); while a SQLite connection has it open, Shoal refuses to open it;
 * and after either side closes (or is killed), the other opens normally with
 * every commit of both sides present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseFingerprint, peer, sqliteDatabase } from './fixtures.js';

/** SQLite's answer when it cannot map `-shm` (its own ~10 s retry loop ends in SQLITE_PROTOCOL) or cannot lock. */
const SQLITE_LOCKED_OUT = /^error (SQLITE_PROTOCOL|SQLITE_BUSY) /;
const SQLITE_REFUSAL = /^error SQLITE_BUSY .*a SQLite process has the database open/;

test('while a multi-process Shoal peer is open, SQLite can neither read, write nor leave WAL mode, and changes nothing', async (t) => {
  const path = sqliteDatabase(t);
  const shoal = peer(t, 'shoal-multi', path);
  assert.equal(await shoal.ask('open'), 'ok');
  assert.equal(await shoal.ask('insert shoal-1'), 'ok');
  const before = databaseFingerprint(path);

  const attempts = ['count', 'insert sqlite-1', 'exec PRAGMA journal_mode=DELETE'].map(async (command) => {
    const sqlite = peer(t, 'sqlite', path);
    assert.equal(await sqlite.ask('open'), 'ok');
    const answer = await sqlite.ask(command);
    assert.equal(await sqlite.ask('close'), 'ok', 'closing touches nothing and succeeds');
    return answer;
  });
  for (const answer of await Promise.all(attempts)) assert.match(answer, SQLITE_LOCKED_OUT);
  assert.equal(databaseFingerprint(path), before, 'database and WAL bytes (and the WAL inode) unchanged');

  assert.equal(await shoal.ask('insert shoal-2'), 'ok');
  assert.equal(await shoal.ask('count'), 'ok 3');
  assert.equal(await shoal.ask('close'), 'ok');

  const sqlite = peer(t, 'sqlite', path);
  assert.equal(await sqlite.ask('open'), 'ok');
  assert.equal(await sqlite.ask("query SELECT group_concat(v, ',') AS v FROM t"), 'ok {"v":"sqlite-0,shoal-1,shoal-2"}');
  assert.equal(await sqlite.ask('insert sqlite-1'), 'ok');
  assert.equal(await sqlite.ask('close'), 'ok');
});

test('while a single-process Shoal connection is open, SQLite fails at once with SQLITE_BUSY and changes nothing', async (t) => {
  const path = sqliteDatabase(t);
  const shoal = peer(t, 'shoal-single', path);
  assert.equal(await shoal.ask('open'), 'ok');
  assert.equal(await shoal.ask('insert shoal-1'), 'ok');
  const before = databaseFingerprint(path);
  const sqlite = peer(t, 'sqlite', path);
  assert.equal(await sqlite.ask('open'), 'ok');
  assert.match(await sqlite.ask('count'), /^error SQLITE_BUSY database is locked/);
  assert.match(await sqlite.ask('insert sqlite-1'), /^error SQLITE_BUSY database is locked/);
  assert.equal(await sqlite.ask('close'), 'ok');
  assert.equal(databaseFingerprint(path), before);
  assert.equal(await shoal.ask('close'), 'ok');

  const after = peer(t, 'sqlite', path);
  assert.equal(await after.ask('open'), 'ok');
  assert.equal(await after.ask('count'), 'ok 2');
});

test('an idle SQLite connection makes Shoal refuse in both modes until it closes', async (t) => {
  const path = sqliteDatabase(t);
  const sqlite = peer(t, 'sqlite', path);
  assert.equal(await sqlite.ask('open'), 'ok');
  assert.equal(await sqlite.ask('count'), 'ok 1', 'its first read attaches it to -shm; then it stays idle');

  for (const engine of ['shoal-multi', 'shoal-single', 'shoal-multi-ro', 'shoal-single-ro']) {
    const shoal = peer(t, engine, path);
    assert.match(await shoal.ask('open'), SQLITE_REFUSAL, engine);
    await shoal.finish();
  }
  assert.equal(await sqlite.ask('insert sqlite-1'), 'ok', 'the refused opens left nothing behind');
  assert.equal(await sqlite.ask('close'), 'ok');

  const shoal = peer(t, 'shoal-multi', path);
  assert.equal(await shoal.ask('open'), 'ok');
  assert.equal(await shoal.ask('count'), 'ok 2');
});

test('a SQLite write transaction in progress makes Shoal refuse', async (t) => {
  const path = sqliteDatabase(t);
  const sqlite = peer(t, 'sqlite', path);
  assert.equal(await sqlite.ask('open'), 'ok');
  assert.equal(await sqlite.ask('exec BEGIN IMMEDIATE; INSERT INTO t(v) VALUES (\'sqlite-1\')'), 'ok');
  for (const engine of ['shoal-multi', 'shoal-single']) {
    const refused = peer(t, engine, path);
    assert.match(await refused.ask('open'), SQLITE_REFUSAL, engine);
    await refused.finish();
  }
  assert.equal(await sqlite.ask('exec COMMIT'), 'ok');
  const shoal = peer(t, 'shoal-multi', path);
  assert.equal(await sqlite.ask('close'), 'ok');
  assert.equal(await shoal.ask('open'), 'ok');
  assert.equal(await shoal.ask('count'), 'ok 2');
});

test('a SIGKILLed Shoal process releases its guards: SQLite then reads every commit', async (t) => {
  const path = sqliteDatabase(t);
  const shoal = peer(t, 'shoal-multi', path);
  assert.equal(await shoal.ask('open'), 'ok');
  assert.equal(await shoal.ask('insert shoal-1'), 'ok');
  await shoal.kill();
  const sqlite = peer(t, 'sqlite', path);
  assert.equal(await sqlite.ask('open'), 'ok');
  assert.equal(await sqlite.ask('count'), 'ok 2');
  assert.equal(await sqlite.ask('insert sqlite-1'), 'ok');
});

test('when the warden process dies, a remaining Shoal process can take over the DMS byte', async (t) => {
  const path = sqliteDatabase(t);
  const first = peer(t, 'shoal-multi', path);
  const second = peer(t, 'shoal-multi', path);
  assert.equal(await first.ask('open'), 'ok');
  assert.equal(await second.ask('open'), 'ok', 'a second Shoal process joins the first');
  assert.equal(await second.ask('claim'), 'ok false', 'the first process is the warden');
  await first.kill();
  assert.equal(await second.ask('claim'), 'ok true');
  const sqlite = peer(t, 'sqlite', path);
  assert.equal(await sqlite.ask('open'), 'ok');
  assert.match(await sqlite.ask('count'), SQLITE_LOCKED_OUT);
});
