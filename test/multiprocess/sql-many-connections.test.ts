/**
 * Issue 4, many connections: reader slots are shared by the connections of
 * one process (spec tshm.md §9.1 step 4), so the 64 slots bound the distinct
 * snapshots read at once, not the open connections. Real child processes
 * check that the pooled slots still bound other processes' checkpoints, are
 * released when the last connection closes, and are reclaimed after SIGKILL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from '../../src/index.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { syscallCount } from '../../src/os/syscall-counter.js';
import { ChildPeer } from '../os/child-process.js';
import { SCHEMA, peerFactory, scratchDirectory } from './peers.js';

const CHILD = new URL('./many-readers-child.js', import.meta.url);

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

function createDatabase(t: Parameters<typeof scratchDirectory>[0], name: string): string {
  const path = join(scratchDirectory(t), name);
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();
  return path;
}

function counterOf(connection: Database): number {
  return (connection.prepare('SELECT n FROM counter').get() as { n: number }).n;
}

function pinnedSlots(path: string): number {
  return inspectCoordination(`${path}-tshm`).readers.filter((reader) => reader.frame !== null).length;
}

async function readersChild(path: string, connections: number): Promise<ChildPeer> {
  const child = new ChildPeer(CHILD, [path, String(connections)]);
  const line = await child.nextLine();
  if (line !== 'open') throw new Error(`child failed to open: ${line} ${child.errorOutput}`);
  return child;
}

test('100 connections of one process read at once through one shared slot, with no system call in steady state', (t) => {
  const path = createDatabase(t, 'hundred.db');
  const connections = Array.from({ length: 100 }, () => new Database(path, { timeout: 0 }));
  try {
    for (const connection of connections) {
      connection.exec('BEGIN');
      assert.equal(counterOf(connection), 0);
    }
    assert.equal(pinnedSlots(path), 1, 'the 100 read transactions of one snapshot share one slot');
    for (const connection of connections) connection.exec('COMMIT');
    assert.equal(pinnedSlots(path), 0);

    const statements = connections.slice(0, 5).map((connection) => connection.prepare('SELECT n FROM counter'));
    for (const statement of statements) statement.get();
    const before = syscallCount();
    for (let round = 0; round < 200; round++) for (const statement of statements) statement.get();
    assert.equal(syscallCount() - before, 0, 'read transactions alternating between connections make no system call');
  } finally {
    for (const connection of connections) connection.close();
  }
});

test('64 different snapshots read at once take all 64 slots; a 65th fails with SQLITE_BUSY, and closing releases them for another process', async (t) => {
  const path = createDatabase(t, 'sixty-five.db');
  const writer = new Database(path, { timeout: 0 });
  const readers = Array.from({ length: 65 }, () => new Database(path, { timeout: 0 }));
  try {
    for (const [index, reader] of readers.entries()) {
      writer.exec('UPDATE counter SET n = n + 1');
      const read = (): number => {
        reader.exec('BEGIN');
        return counterOf(reader);
      };
      if (index < 64) {
        assert.equal(read(), index + 1);
      } else {
        assert.throws(read, { code: 'SQLITE_BUSY', message: /all 64 reader slots are in use/ });
      }
    }
    assert.equal(pinnedSlots(path), 64);
    readers[0]!.exec('COMMIT');
    if (readers[64]!.inTransaction) readers[64]!.exec('ROLLBACK');
    assert.equal(counterOf(readers[64]!), 65, 'a slot freed by an ended read serves the waiting one');
  } finally {
    for (const reader of readers) reader.close();
    writer.close();
  }
  assert.deepEqual(inspectCoordination(`${path}-tshm`).readers, [], 'the last connection released every pooled slot');

  const child = await readersChild(path, 65);
  t.after(() => child.kill());
  assert.equal(await child.ask('distinct 64'), 'ok', 'another process claims all 64 slots');
  assert.equal(pinnedSlots(path), 64);
  assert.equal(await child.ask('commit'), 'ok');
});

test("a pooled pin outlives the connection that claimed the slot and bounds another process's PASSIVE checkpoint", async (t) => {
  const path = createDatabase(t, 'bounded.db');
  const first = new Database(path, { timeout: 0 });
  const second = new Database(path, { timeout: 0 });
  const peer = peerFactory(t)('writer');
  try {
    assert.equal(counterOf(first), 0, "the first connection's read claims the pool's slot");
    await peer.ask({ op: 'open', engine: 'shoal', path });
    await peer.ask({ op: 'write', writer: 1, count: 10 });
    second.exec('BEGIN');
    assert.equal(counterOf(second), 10);
    first.close();

    const pinned = await peer.ask<CheckpointRow>({ op: 'checkpoint', mode: 'PASSIVE' });
    const pin = pinned.log;
    await peer.ask({ op: 'write', writer: 2, count: 20 });
    const stopped = await peer.ask<CheckpointRow>({ op: 'checkpoint', mode: 'PASSIVE' });
    assert.equal(stopped.checkpointed, pin, "the checkpoint stops at the pooled slot's pin");
    assert.ok(stopped.log > pin);
    assert.equal(counterOf(second), 10, 'the reader keeps its snapshot');
    second.exec('COMMIT');
    assert.equal(counterOf(second), 30);
    const finished = await peer.ask<CheckpointRow>({ op: 'checkpoint', mode: 'PASSIVE' });
    assert.equal(finished.checkpointed, finished.log, 'with the read over, the checkpoint copies everything');
  } finally {
    first.close();
    second.close();
  }
});

test('the pooled slots of a SIGKILLed process are reclaimed by a survivor, which checkpoints everything', async (t) => {
  const path = createDatabase(t, 'killed.db');
  const child = await readersChild(path, 11);
  t.after(() => child.kill());
  assert.equal(await child.ask('distinct 10'), 'ok');
  const held = inspectCoordination(`${path}-tshm`).readers.filter((reader) => reader.pid === child.process.pid && reader.locked);
  assert.ok(held.length >= 10, `the child holds its slots: ${JSON.stringify(held)}`);
  await child.kill();

  const survivor = new Database(path, { timeout: 0 });
  try {
    const row = survivor.prepare('PRAGMA wal_checkpoint(PASSIVE)').get() as CheckpointRow;
    assert.equal(row.busy, 0);
    assert.equal(row.checkpointed, row.log, 'no dead pin holds the checkpoint back');
    assert.deepEqual(
      inspectCoordination(`${path}-tshm`).readers.filter((reader) => reader.pid === child.process.pid),
      [],
      "the dead process's slots were reset",
    );
    assert.equal(counterOf(survivor), 10);
  } finally {
    survivor.close();
  }
});
