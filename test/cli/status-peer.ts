// A live process for the status tests: it opens the database through the
// public API, pins a read snapshot in one connection and takes the write lock
// in another, prints {"pid","pinnedFrame"} and holds both until stdin ends.
// Usage: node status-peer.js DB
import Database from '../../src/index.js';

const path = process.argv[2]!;
const reader = new Database(path);
const writer = new Database(path);
reader.exec('BEGIN');
reader.prepare('SELECT count(*) FROM t').pluck().get();
const pinnedFrame = reader.coordination().snapshot.maxFrame;
writer.exec('BEGIN IMMEDIATE');
process.stdout.write(`${JSON.stringify({ pid: process.pid, pinnedFrame })}\n`);
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => {
  writer.exec('COMMIT');
  reader.exec('COMMIT');
  writer.close();
  reader.close();
});
