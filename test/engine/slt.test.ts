// The shared sqllogictest scripts, run on the engine through its contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runSltFiles } from '../../src/slt/slt-files.js';
import { EngineDatabase } from './engine-database.js';

// Tests run from the repository root; shared/ lies beside the checkout.
const sltDir = resolve(process.cwd(), '../shared/slt');

function scripts(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test'))
    .map((f) => join(dir, f))
    .sort();
}

test('every shared sqllogictest script passes on the engine', () => {
  const lines: string[] = [];
  const totals = runSltFiles([...scripts(sltDir), ...scripts(join(sltDir, 'evidence'))], () => new EngineDatabase(), {
    write: (line) => lines.push(line),
  });
  assert.equal(totals.failed, 0, lines.join('\n'));
  assert.ok(totals.passed > 5000, `only ${totals.passed} records ran`);
});
