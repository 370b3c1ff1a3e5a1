// `shoal status DB [--watch]` and `.status`, driven as a user would: the real
// binary, with another live process holding a read snapshot and the write
// lock, checked against what that process and db.coordination() say. The
// watch runs piped (plain blocks) and in a real terminal (tmux: redrawn in
// place, `q` quits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from '../../src/index.js';

const shellPath = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const peerPath = fileURLToPath(new URL('./status-peer.js', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const directory = mkdtempSync(join(tmpdir(), 'shoal-status-'));
test.after(() => rmSync(directory, { recursive: true, force: true }));

function shoal(args: string[], input = ''): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [shellPath, ...args], { input, encoding: 'utf8', env: { ...process.env, SHOAL_HISTORY: join(directory, 'history') } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

interface Peer {
  readonly pid: number;
  readonly pinnedFrame: number;
  release(): Promise<void>;
}

/** Starts the peer and resolves once it holds its read snapshot and the write lock. */
function startPeer(path: string): Promise<Peer> {
  const child = spawn(process.execPath, [peerPath, path], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`peer exited ${code}: ${err}`)))),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('\n')) return;
      const { pid, pinnedFrame } = JSON.parse(out) as { pid: number; pinnedFrame: number };
      resolve({
        pid,
        pinnedFrame,
        release: () => {
          child.stdin.end();
          return exited;
        },
      });
    });
    exited.catch(reject);
  });
}

/** Asserts that `text` shows the live state: the peer reading and writing, this process idle, and the counts `db` sees. */
function assertShowsLiveState(text: string, db: Database, path: string, peer: Peer): void {
  const status = db.coordination();
  assert.match(text, new RegExp(`^writer +held by pid ${peer.pid}$`, 'm'));
  assert.match(text, /^checkpointer +free$/m);
  assert.match(text, new RegExp(`^ +\\d+ +${peer.pinnedFrame} +${peer.pid} +reading \\(snapshot pinned at this frame\\)$`, 'm'));
  assert.match(text, new RegExp(`^ +\\d+ +- +${process.pid} +idle`, 'm'));
  assert.match(text, new RegExp(`^commits +${status.snapshot.transactionCount} \\(transaction count\\)$`, 'm'));
  const walBytes = statSync(`${path}-wal`).size;
  assert.match(text, new RegExp(`^wal +${status.snapshot.maxFrame} frames, nbackfills ${status.snapshot.nBackfills}, ${walBytes} bytes`, 'm'));
  assert.match(text, new RegExp(`^frame index +${status.frameIndex.length} of 262144 entries, ${status.frameIndex.blocks} of 64 blocks`, 'm'));
  assert.match(text, /^peers +attached/m);
}

test('status views show a live peer process reading and writing', { timeout: 120_000 }, async (t) => {
  const path = join(directory, 'live.db');
  const db = new Database(path);
  db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
  const peer = await startPeer(path);
  db.prepare('SELECT count(*) FROM t').get();
  assert.ok(db.coordination().snapshot.maxFrame >= peer.pinnedFrame);

  await t.test('shoal status DB prints the coordination once', () => {
    const run = shoal(['status', path]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.match(run.stdout, new RegExp(`^database +${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assertShowsLiveState(run.stdout, db, path, peer);
  });

  await t.test('.status in the shell shows the same, plus the pragmas', () => {
    const run = shoal([path, '.status']);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^journal mode +wal$/m);
    assert.match(run.stdout, /^page size +4096$/m);
    assertShowsLiveState(run.stdout, db, path, peer);
  });

  await t.test('--watch with piped output prints a block every second until q', async () => {
    const watcher = spawn(process.execPath, [shellPath, 'status', path, '--watch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => watcher.on('exit', resolve));
    await new Promise<void>((resolve) => {
      watcher.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if ((out.match(/^--- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ---$/gm) ?? []).length >= 2) resolve();
      });
    });
    watcher.stdin.write('q');
    assert.equal(await exited, 0);
    const blocks = out.split(/^--- .* ---\n/m).filter((block) => block !== '');
    assert.ok(blocks.length >= 2);
    for (const block of blocks) assertShowsLiveState(block, db, path, peer);
  });

  await t.test('--watch in a terminal redraws in place and quits on q', { skip: !hasTmux && 'tmux is not installed' }, () => {
    const socket = `shoal-status-${process.pid}`;
    const tmux = (...args: string[]): string => {
      const result = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    const screenShowing = (expected: RegExp): string => {
      let screen = '';
      for (let attempt = 0; attempt < 150; attempt++) {
        screen = tmux('capture-pane', '-p', '-t', 'status');
        if (expected.test(screen)) return screen;
        spawnSync('sleep', ['0.1']);
      }
      assert.fail(`the screen never showed ${expected}:\n${screen}`);
    };
    const command = `'${process.execPath}' '${shellPath}' status '${path}' --watch; echo "exited $?"; sleep 60`;
    tmux('new-session', '-d', '-s', 'status', '-x', '120', '-y', '40', command);
    try {
      const first = screenShowing(/refreshing every second/);
      const firstTime = /^(\S+ \S+) +refreshing/m.exec(first)![1]!;
      const later = screenShowing(new RegExp(`^(?!${firstTime})\\S+ \\S+ +refreshing every second`, 'm'));
      assert.equal(later.match(/^frame index/gm)?.length, 1, `one view on screen:\n${later}`);
      assertShowsLiveState(later, db, path, peer);
      tmux('send-keys', '-t', 'status', 'q');
      screenShowing(/^exited 0$/m);
    } finally {
      tmux('kill-server');
    }
  });

  await peer.release();
  db.close();
});

test('.status says when a database is not shared', () => {
  const memory = shoal([':memory:', '.status']);
  assert.equal(memory.status, 0);
  assert.match(memory.stdout, /^coordination +none: an in-memory database is private to this connection$/m);
});

test('shoal status explains a missing database or missing arguments', () => {
  const missing = shoal(['status', join(directory, 'absent.db')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^Error: unable to open database ".*absent\.db": no such file$/m);
  assert.equal(missing.stdout, '');
  const usage = shoal(['status']);
  assert.equal(usage.status, 1);
  assert.equal(usage.stderr, 'Usage: shoal status FILENAME [--watch]\n');
});

test('shoal status on a database no process has shared says so', () => {
  const path = join(directory, 'plain.db');
  const db = new Database(path, { multiProcess: false });
  db.exec('CREATE TABLE t(x)');
  db.close();
  const run = shoal(['status', path]);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^coordination +none: no -tshm file/m);
});
