import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPager } from '../../src/pager/open-pager.js';
import { frameOffset } from '../../src/wal/wal-format.js';
import { tempDir } from '../pager/temp-dir.js';

const PAGE_SIZE = 1024;
const FRAME_SIZE = 24 + PAGE_SIZE;

function stamp(page: Uint8Array, value: number): void {
  new DataView(page.buffer, page.byteOffset, page.length).setUint32(page.length - 4, value);
}

function stampOf(page: Uint8Array): number {
  return new DataView(page.buffer, page.byteOffset, page.length).getUint32(page.length - 4);
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Commit {
  /** Last frame of this commit. */
  readonly lastFrame: number;
  /** Stamp of every page 2..pageCount after it. */
  readonly stamps: readonly number[];
}

/**
 * Builds a database whose WAL holds exactly 50 frames in transactions of 1–4
 * pages, and returns the database and WAL bytes with the state after each commit.
 */
function buildLog(dir: string): { db: Buffer; wal: Buffer; commits: Commit[] } {
  const path = join(dir, 'source.db');
  const pager = openPager(path, { pageSize: PAGE_SIZE, walAutocheckpoint: 0 });
  const random = prng(7);
  const stamps: number[] = [];
  const commits: Commit[] = [];
  let frames = 0;
  let value = 1;
  while (frames < 50) {
    const pagesInTx = Math.min(50 - frames, 1 + Math.floor(random() * 4));
    pager.beginWrite();
    const touched = new Set<number>([1]);
    while (touched.size < pagesInTx) {
      const grow = stamps.length === 0 || random() < 0.4;
      const pgno = grow ? pager.growByOnePage() : 2 + Math.floor(random() * stamps.length);
      if (touched.has(pgno)) continue;
      touched.add(pgno);
      stamp(pager.writable(pgno), value);
      stamps[pgno - 2] = value++;
    }
    stamp(pager.writable(1), value++);
    pager.commit();
    frames += touched.size;
    commits.push({ lastFrame: frames, stamps: [...stamps] });
  }
  const db = readFileSync(path);
  const wal = readFileSync(`${path}-wal`);
  pager.close();
  assert.equal(wal.length, frameOffset(51, PAGE_SIZE));
  return { db, wal, commits };
}

/** Opens `db` + `wal` copies in a fresh directory and returns the stamps of pages 2.. it sees. */
function recover(dir: string, name: string, db: Buffer, wal: Buffer): number[] {
  const caseDir = join(dir, name);
  mkdirSync(caseDir);
  const path = join(caseDir, 'case.db');
  writeFileSync(path, db);
  writeFileSync(`${path}-wal`, wal);
  const pager = openPager(path, { readonly: true });
  try {
    pager.beginRead();
    const stamps: number[] = [];
    for (let pgno = 2; pgno <= pager.pageCount(); pgno++) stamps.push(stampOf(pager.page(pgno)));
    pager.endRead();
    return stamps;
  } finally {
    pager.close();
  }
}

/** The state after the last commit whose frames all precede frame `firstBadFrame`. */
function expectedBefore(commits: Commit[], firstBadFrame: number): readonly number[] {
  let state: readonly number[] = [];
  for (const commit of commits) if (commit.lastFrame < firstBadFrame) state = commit.stamps;
  return state;
}

test('torn WAL tails recover to the last commit before the damage', (t) => {
  const dir = tempDir(t);
  const { db, wal, commits } = buildLog(dir);
  assert.ok(commits.length > 10 && commits.some((c, i) => c.lastFrame - (commits[i - 1]?.lastFrame ?? 0) > 1));
  assert.deepEqual(recover(dir, 'whole', db, wal), commits.at(-1)!.stamps);

  for (let boundary = 0; boundary <= 50; boundary++) {
    const cut = boundary === 0 ? 32 : frameOffset(boundary + 1, PAGE_SIZE);
    assert.deepEqual(recover(dir, `boundary-${boundary}`, db, wal.subarray(0, cut)), expectedBefore(commits, boundary + 1), `cut after frame ${boundary}`);
  }

  const random = prng(2024);
  for (let i = 0; i < 200; i++) {
    const frame = 1 + Math.floor(random() * 50);
    const cut = frameOffset(frame, PAGE_SIZE) + 1 + Math.floor(random() * (FRAME_SIZE - 1));
    assert.deepEqual(recover(dir, `inside-${i}`, db, wal.subarray(0, cut)), expectedBefore(commits, frame), `cut inside frame ${frame} at ${cut}`);
  }

  for (let i = 0; i < 40; i++) {
    const frame = 1 + Math.floor(random() * 50);
    const at = frameOffset(frame, PAGE_SIZE) + Math.floor(random() * FRAME_SIZE);
    const damaged = Buffer.from(wal);
    damaged[at] = damaged[at]! ^ (1 + Math.floor(random() * 255));
    assert.deepEqual(recover(dir, `flip-${i}`, db, damaged), expectedBefore(commits, frame), `byte ${at} flipped in frame ${frame}`);
  }
});
