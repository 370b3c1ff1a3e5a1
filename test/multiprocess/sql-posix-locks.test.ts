/**
 * The POSIX-lock fallback of other Unix systems, forced on Linux for this
 * whole process and its children with `SHOAL_LOCKS=posix`, through the
 * public SQL API: writer processes (one of them left on OFD locks, which
 * conflict with POSIX locks on Linux) and two connections of this process
 * increment one counter with no lost update, while a reader process checks
 * counter = row count in every snapshot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from '../../src/index.js';
import { kernelLocksOn, withLockFlavor } from '../coord-shared/posix-lock-flavor.js';
import { Peer, SCHEMA, peerFactory, scratchDirectory } from './peers.js';
import type { ReadResult, WriteResult } from './sql-peer.js';

process.env.SHOAL_LOCKS = 'posix';

const TRANSACTIONS = 300;
const IN_PROCESS_TRANSACTIONS = 40;
const OFD_WRITER = 3;
/** Writer numbers of the two connections of this process. */
const LOCAL_WRITERS = [11, 12];

test('POSIX-locked writer processes, an OFD writer and two connections of this process lose no update', { timeout: 120_000 }, async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'posix.db');
  const stopFile = join(dir, 'stop');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();

  const peer = peerFactory(t);
  const reader = peer('reader');
  const writers: Peer[] = [peer('writer-1'), peer('writer-2'), withLockFlavor('ofd', () => peer('writer-3 (OFD)'))];
  await Promise.all([reader, ...writers].map((p) => p.ask({ op: 'open', engine: 'shoal', path, options: { timeout: 20_000 } })));
  const local = LOCAL_WRITERS.map(() => new Database(path, { timeout: 20_000 }));

  const lifetimeLocks = kernelLocksOn(`${path}-tshm`).filter((lock) => lock.start === 0 && !lock.waiting);
  const posixHolders = new Set(lifetimeLocks.filter((lock) => lock.kind === 'POSIX').map((lock) => lock.pid));
  assert.equal(posixHolders.size, 4, 'the reader, two writers and this process hold byte 0 with POSIX locks');
  assert.ok(posixHolders.has(process.pid));
  assert.equal(lifetimeLocks.filter((lock) => lock.kind === 'OFDLCK').length, 1, 'the OFD writer holds it with an OFD lock');

  const reading = reader.ask<ReadResult>({ op: 'read', stopFile });
  const writing = Promise.all(writers.map((w, i) => w.ask<WriteResult>({ op: 'write', writer: i + 1, count: TRANSACTIONS })));
  const increments = local.map((db) => db.prepare('UPDATE counter SET n = n + 1'));
  const inserts = local.map((db) => db.prepare("INSERT INTO rows(writer, seq, payload) VALUES (?, ?, 'local')"));
  for (let seq = 1; seq <= IN_PROCESS_TRANSACTIONS; seq++) {
    for (const [i, db] of local.entries()) {
      db.exec('BEGIN IMMEDIATE');
      increments[i]!.run();
      inserts[i]!.run(LOCAL_WRITERS[i], seq);
      db.exec('COMMIT');
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const written = await writing;
  writeFileSync(stopFile, '');
  const read = await reading;
  await Promise.all([reader, ...writers].map((p) => p.ask({ op: 'close' })));

  assert.deepEqual(written.map((w) => w.committed), [TRANSACTIONS, TRANSACTIONS, TRANSACTIONS]);
  t.diagnostic(`the reader checked ${read.snapshots} snapshots`);
  assert.equal(read.violations, 0, 'the reader saw counter != row count');
  assert.ok(read.snapshots > 0);

  const total = writers.length * TRANSACTIONS + LOCAL_WRITERS.length * IN_PROCESS_TRANSACTIONS;
  const [first] = local;
  assert.equal(first!.prepare('SELECT n FROM counter').pluck().get(), total);
  assert.deepEqual(
    first!.prepare('SELECT writer, count(*) AS c, min(seq) AS lo, max(seq) AS hi FROM rows GROUP BY writer ORDER BY writer').all(),
    [
      ...[1, 2, OFD_WRITER].map((writer) => ({ writer, c: TRANSACTIONS, lo: 1, hi: TRANSACTIONS })),
      ...LOCAL_WRITERS.map((writer) => ({ writer, c: IN_PROCESS_TRANSACTIONS, lo: 1, hi: IN_PROCESS_TRANSACTIONS })),
    ],
  );
  assert.deepEqual(first!.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  for (const db of local) db.close();
});

test("connections of this process exclude each other through SQL, and closing one keeps the others' locks", { timeout: 60_000 }, async (t) => {
  const path = join(scratchDirectory(t), 'in-process.db');
  const holder = new Database(path);
  holder.exec(SCHEMA);
  const impatient = new Database(path, { timeout: 0 });
  const child = peerFactory(t)('child');
  await child.ask({ op: 'open', engine: 'shoal', path, options: { timeout: 0 } });

  holder.exec('BEGIN IMMEDIATE');
  holder.exec('UPDATE counter SET n = n + 1');
  assert.throws(() => impatient.exec('BEGIN IMMEDIATE'), { code: 'SQLITE_BUSY' });
  impatient.close();
  await assert.rejects(child.ask({ op: 'exec', sql: 'BEGIN IMMEDIATE' }), { code: 'SQLITE_BUSY' }, 'the writer lock outlived the closed connection');
  holder.exec('COMMIT');

  await child.ask({ op: 'exec', sql: 'BEGIN IMMEDIATE; UPDATE counter SET n = n + 1; COMMIT' });
  await child.ask({ op: 'close' });
  assert.equal(holder.prepare('SELECT n FROM counter').pluck().get(), 2);
  holder.close();
});
