/**
 * Test fixtures for the shared coordination: scratch database paths and
 * child peers (real processes running `coord-child.js`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WalSnapshot } from '../../src/coord/coordination.js';
import { ChildPeer } from '../os/child-process.js';

const CHILD = new URL('./coord-child.js', import.meta.url);

export interface ScratchDatabase {
  readonly dir: string;
  readonly databasePath: string;
  readonly tshmPath: string;
  cleanup(): void;
}

export function scratchDatabase(): ScratchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-coord-'));
  const databasePath = join(dir, 'test.db');
  return {
    dir,
    databasePath,
    tshmPath: `${databasePath}-tshm`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Spawns a child peer on `databasePath` and waits until it has opened; returns it with its open mode. */
export async function childPeer(databasePath: string, readOnly = false): Promise<{ peer: ChildPeer; mode: string }> {
  const peer = new ChildPeer(CHILD, readOnly ? [databasePath, 'readonly'] : [databasePath]);
  const line = await peer.nextLine();
  const [word, mode] = line.split(' ');
  if (word !== 'open') throw new Error(`child failed to open: ${line} ${peer.errorOutput}`);
  return { peer, mode: mode! };
}

/** A snapshot with the given fields and zeros elsewhere. */
export function snapshotWith(fields: Partial<WalSnapshot>): WalSnapshot {
  return {
    maxFrame: 0,
    nBackfills: 0,
    transactionCount: 0,
    visibilityGeneration: 0,
    checkpointSeq: 0,
    checkpointEpoch: 0,
    pageSize: 0,
    salt1: 0,
    salt2: 0,
    checksum1: 0,
    checksum2: 0,
    ...fields,
  };
}
