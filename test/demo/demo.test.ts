// `npm run demo`, shortened to 3 seconds and run in a temporary directory:
// it must create demo.db there, show every process in plain (non-TTY) lines,
// verify the run, and exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const demoPath = fileURLToPath(new URL('../../demo/main.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'shoal-demo-'));
test.after(() => rmSync(directory, { recursive: true, force: true }));

function runDemo(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [demoPath, ...args], { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ stdout, stderr, code }));
  });
}

test('a 3-second demo runs 3 writers and 2 readers and verifies every acknowledged row', { timeout: 180_000 }, async () => {
  const run = await runDemo(['--seconds', '3']);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /^RESULT: verified: \d+ commits by 3 writer processes and \d+ snapshot checks by 2 reader processes in 3 s, no violation$/m);
  for (const worker of ['writer 1', 'writer 2', 'writer 3', 'reader 1', 'reader 2']) {
    assert.match(run.stdout, new RegExp(`^\\[ *\\d+\\.\\d s\\]   ${worker}  pid \\d+ +\\d+ (commits|reads)/s +busy waits +\\d+  total +\\d+$`, 'm'));
  }
  assert.match(run.stdout, /^\[ *\d+\.\d s\]   WAL \d+\.\d MiB, \d+ frames \(\d+ backfilled\)   checkpoints \d+ \(WAL restarts \d+\)   transaction count \d+$/m);
  assert.match(run.stdout, /^  ok   all \d+ acknowledged rows are present/m);
  assert.match(run.stdout, /^  ok   PRAGMA integrity_check \(Shoal\): ok$/m);
  assert.match(run.stdout, /^  ok   PRAGMA integrity_check \(SQLite [\d.]+ via better-sqlite3\): ok; it reads (\d+) rows and counters summing to \1$/m);
  assert.doesNotMatch(run.stdout, /^  FAIL/m);
  assert.ok(existsSync(join(directory, 'demo.db')));
});

test('the demo refuses a bad duration', () => {
  const run = spawnSync(process.execPath, [demoPath, '--seconds', 'soon'], { cwd: directory, encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /--seconds needs a number of seconds between 0 and 3600, not "soon"/);
});
