// Shoal passes every shared sqllogictest script, run the way a user runs
// them: through the `shoal-slt` command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Tests run from the repository root; shared/ lies beside the checkout.
const sltDir = resolve(process.cwd(), '../shared/slt');
const sltMain = new URL('../../src/cli/slt-main.js', import.meta.url).pathname;

test('shoal-slt reports 0 failed on every shared script', (t) => {
  const scripts = [
    ...readdirSync(sltDir).filter((f) => f.endsWith('.test')).map((f) => join(sltDir, f)),
    ...readdirSync(join(sltDir, 'evidence')).filter((f) => f.endsWith('.test')).map((f) => join(sltDir, 'evidence', f)),
  ];
  const run = spawnSync(process.execPath, [sltMain, ...scripts], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const lines = run.stdout.trim().split('\n');
  const summary = lines[lines.length - 1];
  t.diagnostic(summary);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(summary, /^(\d+) passed, 0 failed$/);
  assert.ok(Number(summary.split(' ')[0]) > 5000);
});

test('shoal-slt exits non-zero and reports the failure when a script expects something else', () => {
  const bad = resolve(process.cwd(), 'test/slt/fixtures/wrong-result.test');
  const run = spawnSync(process.execPath, [sltMain, bad], { encoding: 'utf8' });
  assert.notEqual(run.status, 0);
  assert.match(run.stdout, /1 passed, 1 failed/);
});
