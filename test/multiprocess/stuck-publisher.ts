/**
 * Child process for the abandoned-publication tests: opens the database at
 * argv[2] with Shoal (multi-process mode) and begins a write transaction, so
 * it holds the writer lock as every publisher of the snapshot does. Then it
 * leaves the `-tshm` snapshot sequence odd, exactly as a process stopped
 * inside a snapshot write would, and prints `stuck`.
 *  - argv[3] = `die`: it also moves max_frame 1000 frames past anything the
 *    log holds (a half-published commit) and waits to be SIGKILLed;
 *  - argv[3] = `slow`: it waits for a `finish` line, then ends the write
 *    (sequence even again, fields untouched), prints `finished` and keeps
 *    the database open until stdin closes.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from '../../src/index.js';
import { Header } from '../../src/coord/shared/tshm-layout.js';

const [path, mode] = process.argv.slice(2);
const db = new Database(path!, { timeout: 20_000 });
db.exec('BEGIN IMMEDIATE');
db.prepare('UPDATE counter SET n = n + 1').run();

const word = Buffer.alloc(8);
const tshm = openSync(`${path}-tshm`, 'r+');

function readWord(offset: number): bigint {
  readSync(tshm, word, 0, 8, offset);
  return word.readBigUInt64LE(0);
}

function writeWord(offset: number, value: bigint): void {
  word.writeBigUInt64LE(value);
  writeSync(tshm, word, 0, 8, offset);
}

const sequence = readWord(Header.snapshotSeq);
if (sequence % 2n !== 0n) throw new Error(`the sequence is already odd: ${sequence}`);
writeWord(Header.snapshotSeq, sequence + 1n);
if (mode === 'die') writeWord(Header.maxFrame, readWord(Header.maxFrame) + 1000n);
process.stdout.write('stuck\n');

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== 'finish') return;
    writeWord(Header.snapshotSeq, sequence + 2n);
    process.stdout.write('finished\n');
  })
  .on('close', () => {
    closeSync(tshm);
    db.close();
  });
