// The benchmark harness, run in its tiny "smoke" configuration on
// better-sqlite3 only: the engine adapter opens and configures a database in
// fresh child processes (one and two per job), every job produces metrics
// and a result checksum, and the report files are written. Plus the pieces
// that decide whether engines agree: row checksums and their comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResults } from '../../bench/harness/bench-results.js';
import { findChecksumMismatches } from '../../bench/harness/checksum-verification.js';
import { checksumOf } from '../../bench/harness/row-checksum.js';

const runScript = new URL('../../bench/run.js', import.meta.url).pathname;

test('a smoke run on better-sqlite3 measures every job, agrees on checksums and writes the report', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'shoal-bench-test-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const run = spawnSync(
    process.execPath,
    [runScript, '--smoke', '--engine', 'better-sqlite3', '--workload', 'a,b2,e,f', '--out', out],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);

  const results = JSON.parse(readFileSync(join(out, 'partial.json'), 'utf8')) as BenchResults;
  assert.deepEqual(results.engines, ['better-sqlite3']);
  assert.deepEqual(results.workloads.map((workload) => workload.id), ['a', 'b2', 'e', 'f']);
  for (const workload of results.workloads) {
    const jobs = workload.jobs['better-sqlite3'] ?? [];
    assert.equal(jobs.length, 1, workload.id);
    const job = jobs[0]!;
    assert.ok(job.ok, `${workload.id}: ${job.ok ? '' : job.error}`);
    for (const metric of workload.metrics) assert.ok(Number.isFinite(job.metrics[metric.key]), `${workload.id} ${metric.key}`);
    assert.equal(job.settings?.journal_mode, 'wal');
    assert.equal(job.settings?.cache_size, '-16000');
    assert.deepEqual(workload.checksumMismatches, []);
  }
  const byId = new Map(results.workloads.map((workload) => [workload.id, workload.jobs['better-sqlite3']![0]!]));
  const insert = byId.get('a')!;
  assert.ok(insert.ok && insert.checksum?.startsWith('500:'), 'the insert checksum covers all 500 rows');
  const select = byId.get('b2')!;
  assert.ok(select.ok && insert.ok && select.checksum !== insert.checksum, 'shuffled point selects hash differently from the table order');
  const pingPong = byId.get('e')!;
  assert.ok(pingPong.ok && pingPong.checksum === 'n=50', 'ping-pong ends at 2 × (rounds + warm-up)');
  const contention = byId.get('f')!;
  assert.ok(contention.ok && contention.metrics.maxWalMiB! > 0, 'the -wal file was sampled while the writer ran');

  const markdown = readFileSync(join(out, 'partial.md'), 'utf8');
  assert.match(markdown, /\| Workload \| Metric \| `better-sqlite3` \| Shoal ÷ better-sqlite3 \| Checksums \|/);
  assert.match(markdown, /Every engine that completed a workload returned the same rows/);
});

test('row checksums change with any value, type or order, and not otherwise', () => {
  const rows = [
    { id: 1, name: 'a', price: 1.5, data: Buffer.from([1, 2]) },
    { id: 2, name: null, price: 2, data: Buffer.from([]) },
  ];
  const same = rows.map((row) => ({ ...row }));
  assert.equal(checksumOf(rows), checksumOf(same));
  assert.equal(checksumOf([{ n: 5 }]), checksumOf([{ n: 5n }]), 'a safe bigint equals the same number');
  const variants = [
    [rows[1], rows[0]],
    [{ ...rows[0], name: 'b' }, rows[1]],
    [{ ...rows[0], id: '1' }, rows[1]],
    [{ ...rows[0], data: Buffer.from([1, 3]) }, rows[1]],
    [{ ...rows[0], name: null }, rows[1]],
    [rows[0]],
  ];
  for (const variant of variants) assert.notEqual(checksumOf(variant), checksumOf(rows));
});

test('checksum comparison names each engine that disagrees with better-sqlite3', () => {
  assert.deepEqual(findChecksumMismatches(new Map([['better-sqlite3', 'x'], ['turso', 'x'], ['shoal', 'x']])), []);
  assert.deepEqual(findChecksumMismatches(new Map([['turso', 'x'], ['better-sqlite3', 'x'], ['shoal', 'y']])), [
    { engine: 'shoal', checksum: 'y', reference: 'better-sqlite3', expected: 'x' },
  ]);
  assert.deepEqual(findChecksumMismatches(new Map([['shoal', 'y'], ['turso', 'x']])), [
    { engine: 'turso', checksum: 'x', reference: 'shoal', expected: 'y' },
  ]);
});

test('a bad command line exits 2 with the usage', () => {
  const run = spawnSync(process.execPath, [runScript, '--workload', 'z'], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--workload: unknown value "z"/);
});
