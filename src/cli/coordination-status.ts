/**
 * The text of `.status` and `shoal status DB`: what the shell can say about
 * a database that several processes may share.
 *
 * It shows the files (database, `-wal`, `-tshm` sizes) and, for a shared
 * database, the live coordination as the inspector reads it from the
 * `-tshm`: the commit count, WAL frames and how many are backfilled, the
 * writer and checkpointer owners (pid), every reader slot in use with its
 * pinned frame and pid, and the frame index's fill. `.status` reads through
 * the open database (`db.coordination()`, plus a few pragmas);
 * `shoal status` inspects the files without opening the database, so
 * watching never joins, pins or checkpoints anything.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SqliteError, type CoordinationStatus, type Database, type OwnerStatus, type ReaderSlotStatus } from '../index.js';
import { inspectCoordination } from '../coord/shared/coordination-inspector.js';
import { BLOCK_CAPACITY, INDEX_CAPACITY, MAX_BLOCKS, coordinationPathFor } from '../coord/shared/tshm-layout.js';

const LABEL_WIDTH = 14;

/** `.status`: the open database's files, a few pragmas, and its coordination. */
export function coordinationStatus(db: Database, path: string): string {
  const lines: string[] = [];
  const add = (label: string, value: string) => lines.push(line(label, value));
  if (db.memory) {
    add('database', `${path === '' ? '(temporary)' : path} (in memory)`);
  } else {
    lines.push(...fileLines(path));
  }
  for (const pragma of ['page_size', 'page_count', 'journal_mode']) add(pragma.replace('_', ' '), pragmaText(db, pragma));
  add('transaction', db.inTransaction ? 'open in this shell' : 'none in this shell');
  try {
    lines.push(...coordinationLines(db.coordination(), fileSize(`${path}-wal`)));
  } catch (error) {
    if (!(error instanceof SqliteError && error.code === 'SQLITE_MISUSE')) throw error;
    add('coordination', db.memory ? 'none: an in-memory database is private to this connection' : 'none: opened for this process only (multiProcess: false)');
  }
  return `${lines.join('\n')}\n`;
}

/** `shoal status DB`: the files and the live coordination, read without opening the database. */
export function fileStatus(path: string): string {
  const lines = fileLines(path);
  const tshmPath = coordinationPathFor(`${resolve(path)}-wal`);
  if (!existsSync(tshmPath)) {
    lines.push(line('coordination', 'none: no -tshm file (no process has opened this database in multi-process mode)'));
  } else {
    lines.push(...coordinationLines(inspectCoordination(tshmPath), fileSize(`${path}-wal`)));
  }
  return `${lines.join('\n')}\n`;
}

/** The coordination view as text lines; `walBytes` is the `-wal` file's size (null when it is absent). */
export function coordinationLines(status: CoordinationStatus, walBytes: number | null): string[] {
  const snapshot = status.snapshot;
  const lines = [
    line('peers', status.peersAttached ? 'attached (some process has the database open)' : 'none attached'),
    line('commits', status.uninitialized ? '0 (no snapshot published yet)' : `${snapshot.transactionCount} (transaction count)`),
    line('wal', `${snapshot.maxFrame} frames, nbackfills ${snapshot.nBackfills}, ${walBytes === null ? 'no -wal file' : bytesText(walBytes)}`),
    line('checkpoints', `epoch ${snapshot.checkpointEpoch}, WAL checkpoint sequence ${snapshot.checkpointSeq}${backfillProofText(status)}`),
    line('writer', ownerText(status.writer)),
    line('checkpointer', ownerText(status.checkpointer)),
    line('frame index', frameIndexText(status)),
    line('readers', status.readers.length === 0 ? 'no slot in use' : `${status.readers.length} slot${status.readers.length === 1 ? '' : 's'} in use`),
  ];
  if (status.readers.length > 0) {
    lines.push(`  ${'slot'.padStart(4)}  ${'frame'.padStart(8)}  ${'pid'.padStart(8)}  state`);
    for (const reader of status.readers) {
      lines.push(`  ${String(reader.slot).padStart(4)}  ${(reader.frame === null ? '-' : String(reader.frame)).padStart(8)}  ${(reader.pid === null ? '-' : String(reader.pid)).padStart(8)}  ${readerState(reader)}`);
    }
  }
  return lines;
}

function fileLines(path: string): string[] {
  const database = fileSize(path);
  const wal = fileSize(`${path}-wal`);
  const tshm = fileSize(`${path}-tshm`);
  return [
    line('database', path),
    line('files', `db ${sizeOrNone(database)}, -wal ${sizeOrNone(wal)}, -tshm ${sizeOrNone(tshm)}`),
  ];
}

function ownerText(owner: OwnerStatus): string {
  if (!owner.locked) return 'free';
  return owner.pid === null ? 'held (owner pid not recorded)' : `held by pid ${owner.pid}`;
}

function readerState(reader: ReaderSlotStatus): string {
  if (reader.locked) return reader.frame === null ? 'idle (slot claimed by a live connection)' : 'reading (snapshot pinned at this frame)';
  return reader.frame === null ? 'stale claim (owner gone)' : 'stale pin (owner gone; reclaimed by the next checkpoint)';
}

function frameIndexText(status: CoordinationStatus): string {
  const index = status.frameIndex;
  const allocated = index.blocks * BLOCK_CAPACITY;
  const fill = allocated === 0 ? 0 : (100 * index.length) / allocated;
  const overflow = index.overflowed ? '; OVERFLOWED (peers scan the WAL instead)' : '';
  return `${index.length} of ${INDEX_CAPACITY} entries, ${index.blocks} of ${MAX_BLOCKS} blocks (${fill.toFixed(1)}% of allocated)${overflow}`;
}

function backfillProofText(status: CoordinationStatus): string {
  const proof = status.backfillProof;
  return proof === null ? '' : `, backfill proof for ${proof.nBackfills} frames`;
}

function line(label: string, value: string): string {
  return `${label.padEnd(LABEL_WIDTH)}${value}`;
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

function sizeOrNone(bytes: number | null): string {
  return bytes === null ? '(none)' : bytesText(bytes);
}

function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${bytes} bytes (${value.toFixed(1)} ${units[unit]})`;
}

function pragmaText(db: Database, pragma: string): string {
  try {
    return String(db.pragma(pragma, { simple: true }));
  } catch (error) {
    return `(unavailable: ${errorText(error)})`;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
