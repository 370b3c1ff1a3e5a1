/**
 * Issue 4, "No lost update", through SQL: 4 writer processes each commit 500
 * transactions that increment a shared counter and insert one row; 2 reader
 * processes check counter = row count in every snapshot meanwhile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from '../../src/index.js';
import { SCHEMA, peerFactory, scratchDirectory } from './peers.js';
import type { ReadResult, WriteResult } from './sql-peer.js';

const WRITERS = 4;
const TRANSACTIONS = 500;

test('4 writer processes lose no update while 2 reader processes see counter = row count in every snapshot', { timeout: 180_000 }, async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'counter.db');
  const stopFile = join(dir, 'stop');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();

  const peer = peerFactory(t);
  const readers = [peer('reader-1'), peer('reader-2')];
  const writers = Array.from({ length: WRITERS }, (_, i) => peer(`writer-${i + 1}`));
  await Promise.all([...readers, ...writers].map((p) => p.ask({ op: 'open', engine: 'shoal', path, options: { timeout: 20_000 } })));

  const reading = readers.map((r) => r.ask<ReadResult>({ op: 'read', stopFile }));
  const written = await Promise.all(writers.map((w, i) => w.ask<WriteResult>({ op: 'write', writer: i + 1, count: TRANSACTIONS })));
  writeFileSync(stopFile, '');
  const read = await Promise.all(reading);
  const scans = await Promise.all([...readers, ...writers].map((p) => p.ask<number>({ op: 'scans' })));
  await Promise.all([...readers, ...writers].map((p) => p.ask({ op: 'close' })));
  assert.deepEqual(scans, Array(readers.length + writers.length).fill(0), 'the shared frame index answered every lookup: no process scanned the WAL');

  assert.deepEqual(written.map((w) => w.committed), Array(WRITERS).fill(TRANSACTIONS));
  for (const [i, r] of read.entries()) {
    t.diagnostic(`reader ${i + 1} checked ${r.snapshots} snapshots`);
    assert.equal(r.violations, 0, `reader ${i + 1} saw counter != row count`);
    assert.ok(r.snapshots > 0);
  }

  const check = new Database(path);
  assert.equal(check.prepare('SELECT n FROM counter').pluck().get(), WRITERS * TRANSACTIONS);
  assert.equal(check.prepare('SELECT count(*) FROM rows').pluck().get(), WRITERS * TRANSACTIONS);
  const perWriter = check.prepare('SELECT writer, count(*) AS c, min(seq) AS lo, max(seq) AS hi FROM rows GROUP BY writer ORDER BY writer').all();
  assert.deepEqual(
    perWriter,
    Array.from({ length: WRITERS }, (_, i) => ({ writer: i + 1, c: TRANSACTIONS, lo: 1, hi: TRANSACTIONS })),
  );
  assert.deepEqual(check.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  check.close();
});
