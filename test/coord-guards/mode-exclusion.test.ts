/**
 * Single-process ("legacy", `multiProcess: false`) and multi-process opens
 * refuse each other in both directions (spec tshm.md §15), ours against
 * ours and ours against Turso 0.7.2, across real processes; a killed holder
 * releases its locks; and inside one process single-process connections
 * share one set of POSIX locks that survives one connection's close.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guardMultiProcessOpen, guardSingleProcessOpen } from '../../src/coord/guards/open-guards.js';
import { openPager } from '../../src/pager/open-pager.js';
import { peer, sqliteDatabase } from './fixtures.js';

const SINGLE_ELSEWHERE = /^error SQLITE_BUSY .*database is open in single-process mode by another process \(multiProcess: false\)/;
const MULTI_ELSEWHERE = /^error SQLITE_BUSY .*database is open in multi-process mode by another process/;

test('a single-process Shoal open refuses multi-process opens (ours and Turso) until it is killed', async (t) => {
  const path = sqliteDatabase(t);
  const holder = peer(t, 'shoal-single', path);
  assert.equal(await holder.ask('open'), 'ok');
  assert.equal(await holder.ask('insert shoal-1'), 'ok');

  const ours = peer(t, 'shoal-multi', path);
  assert.match(await ours.ask('open'), SINGLE_ELSEWHERE);
  const turso = peer(t, 'turso-multi', path);
  assert.match(await turso.ask('open'), /^error .*already open without experimental multiprocess WAL/i);
  await turso.finish();

  await holder.kill();
  assert.equal(await ours.ask('open'), 'ok');
  assert.equal(await ours.ask('count'), 'ok 2', 'the killed holder lost no commit');
});

test('a multi-process Shoal open refuses single-process opens (ours and Turso) until it closes', async (t) => {
  const path = sqliteDatabase(t);
  const holder = peer(t, 'shoal-multi', path);
  assert.equal(await holder.ask('open'), 'ok');
  assert.equal(await holder.ask('insert shoal-1'), 'ok');

  const ours = peer(t, 'shoal-single', path);
  assert.match(await ours.ask('open'), MULTI_ELSEWHERE);
  const turso = peer(t, 'turso-legacy', path);
  assert.match(await turso.ask('open'), /^error .*already open with experimental multiprocess WAL/i);
  await turso.finish();

  assert.equal(await holder.ask('close'), 'ok');
  assert.equal(await ours.ask('open'), 'ok');
  assert.equal(await ours.ask('count'), 'ok 2');
});

test("Turso's open modes make ours refuse the other mode", async (t) => {
  const path = sqliteDatabase(t);
  const tursoMulti = peer(t, 'turso-multi', path);
  assert.equal(await tursoMulti.ask('open'), 'ok');
  assert.equal(await tursoMulti.ask('count'), 'ok 1');
  const single = peer(t, 'shoal-single', path);
  assert.match(await single.ask('open'), MULTI_ELSEWHERE);
  await tursoMulti.kill();

  const tursoLegacy = peer(t, 'turso-legacy', path);
  assert.equal(await tursoLegacy.ask('open'), 'ok');
  assert.equal(await tursoLegacy.ask('count'), 'ok 1');
  const multi = peer(t, 'shoal-multi', path);
  assert.match(await multi.ask('open'), SINGLE_ELSEWHERE);
  await tursoLegacy.kill();
  assert.equal(await multi.ask('open'), 'ok');
});

test('read-only single-process opens share the database with each other but not with writers', async (t) => {
  const path = sqliteDatabase(t);
  const first = peer(t, 'shoal-single-ro', path);
  const second = peer(t, 'shoal-single-ro', path);
  assert.equal(await first.ask('open'), 'ok');
  assert.equal(await second.ask('open'), 'ok');
  assert.equal(await second.ask('count'), 'ok 1');
  const writer = peer(t, 'shoal-single', path);
  assert.match(await writer.ask('open'), SINGLE_ELSEWHERE);
  const multi = peer(t, 'shoal-multi', path);
  assert.match(await multi.ask('open'), SINGLE_ELSEWHERE);
});

test('single-process connections of one process share its locks, and one closing keeps them for the rest', async (t) => {
  const path = sqliteDatabase(t);
  const guards = [guardSingleProcessOpen(path, false), guardSingleProcessOpen(path, false)];
  const pagers = guards.map(() => openPager(path, { busyTimeout: 0 }));
  t.after(() => {
    for (const pager of pagers) pager.close();
    for (const guard of guards) guard.release();
  });
  assert.throws(() => guardMultiProcessOpen(path, true), {
    code: 'SQLITE_BUSY',
    message: /single-process mode by this process/,
  });

  pagers[0]!.close();
  guards[1]!.reassertLocks();
  const other = peer(t, 'shoal-multi', path);
  assert.match(await other.ask('open'), SINGLE_ELSEWHERE, "the locks dropped by closing a pager's files were re-taken");
  guards[0]!.release();
  assert.match(await other.ask('open'), SINGLE_ELSEWHERE, 'one connection releasing keeps the locks for the other');

  pagers[1]!.close();
  guards[1]!.release();
  assert.equal(await other.ask('open'), 'ok');
});
