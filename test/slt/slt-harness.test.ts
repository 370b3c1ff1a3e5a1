// The sqllogictest harness, validated on SQLite itself: better-sqlite3 must
// pass every shared script, and a wrong expectation must be reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { parseSltScript, SltSyntaxError } from '../../src/slt/slt-script.js';
import { runSltRecords } from '../../src/slt/slt-runner.js';
import { runSltFiles } from '../../src/slt/slt-files.js';
import { hashValues, renderCell, renderResult } from '../../src/slt/slt-values.js';

// Tests run from the repository root; shared/ lies beside the checkout.
const sltDir = resolve(process.cwd(), '../shared/slt');

function sharedScripts(): string[] {
  const top = readdirSync(sltDir).filter((f) => f.endsWith('.test')).map((f) => join(sltDir, f));
  const evidence = readdirSync(join(sltDir, 'evidence')).filter((f) => f.endsWith('.test')).map((f) => join(sltDir, 'evidence', f));
  return [...top, ...evidence].sort();
}

test('SQLite passes every shared sqllogictest script through the harness', () => {
  const lines: string[] = [];
  const totals = runSltFiles(sharedScripts(), () => new Sqlite(':memory:'), { write: (line) => lines.push(line) });
  assert.equal(totals.failed, 0, lines.join('\n'));
  assert.ok(totals.passed > 5000, `only ${totals.passed} records ran`);
  assert.match(lines[lines.length - 1], /^\d+ passed, 0 failed$/);
});

test('a wrong expected value, a wrong hash and an unexpected success are failures', () => {
  const script = [
    'hash-threshold 2',
    '',
    'statement ok',
    'CREATE TABLE t(a INTEGER, b TEXT)',
    '',
    'statement ok',
    "INSERT INTO t VALUES(1,'x'),(2,''),(3,NULL)",
    '',
    'query IT rowsort',
    'SELECT a, b FROM t WHERE a < 2',
    '----',
    '1',
    'y',
    '',
    'query I nosort',
    'SELECT a FROM t ORDER BY a',
    '----',
    '3 values hashing to 00000000000000000000000000000000',
    '',
    'statement error',
    'SELECT 1',
    '',
    'query T nosort',
    'SELECT b FROM t ORDER BY a',
    '----',
    'x',
    '(empty)',
    'NULL',
  ].join('\n');
  const db = new Sqlite(':memory:');
  const outcome = runSltRecords(db, parseSltScript(script));
  db.close();
  assert.equal(outcome.passed, 3);
  assert.equal(outcome.failed, 3);
  assert.deepEqual(outcome.failures.map((f) => f.line), [9, 15, 20]);
});

test('skipif, onlyif and halt follow the engine name sqlite', () => {
  const script = ['onlyif mysql', 'statement ok', 'NOT SQL AT ALL', '', 'skipif sqlite', 'statement ok', 'ALSO NOT SQL', '',
    'statement ok', 'SELECT 1', '', 'onlyif sqlite', 'halt', '', 'statement ok', 'NEVER RUN'].join('\n');
  const db = new Sqlite(':memory:');
  const outcome = runSltRecords(db, parseSltScript(script));
  db.close();
  assert.deepEqual({ passed: outcome.passed, failed: outcome.failed, skipped: outcome.skipped }, { passed: 1, failed: 0, skipped: 2 });
});

test('values render as the reference harness prints them', () => {
  assert.equal(renderCell(null, 'I'), 'NULL');
  assert.equal(renderCell(2.9, 'I'), '2');
  assert.equal(renderCell(-2.9, 'I'), '-2');
  assert.equal(renderCell('12abc', 'I'), '12');
  assert.equal(renderCell('abc', 'I'), '0');
  assert.equal(renderCell(1e30, 'I'), '9223372036854775807');
  assert.equal(renderCell(2, 'R'), '2.000');
  assert.equal(renderCell(-9223372036854775808, 'R'), '-9223372036854776000.000');
  assert.equal(renderCell(-18446744073709551616, 'R'), '-18446744073709550000.000');
  assert.equal(renderCell('1.5e1x', 'R'), '15.000');
  assert.equal(renderCell('', 'T'), '(empty)');
  assert.equal(renderCell('a\tb\u00e9', 'T'), 'a@b@');
  assert.deepEqual(renderResult([[2, 'b'], [1, 'c'], [1, 'a']], 'IT', 'rowsort'), ['1', 'a', '1', 'c', '2', 'b']);
  assert.deepEqual(renderResult([[2, 'b'], [1, 'c']], 'IT', 'valuesort'), ['1', '2', 'b', 'c']);
  assert.equal(hashValues(['1', '2']), '6ddb4095eb719e2a9f0a3f95677d24e0');
});

test('malformed scripts are rejected with the file and line', () => {
  assert.throws(() => parseSltScript('statement maybe\nSELECT 1', 'bad.test'), (e: unknown) => e instanceof SltSyntaxError && /bad\.test:1:/.test(e.message));
  assert.throws(() => parseSltScript('query X\nSELECT 1', 'bad.test'), SltSyntaxError);
  assert.throws(() => parseSltScript('frobnicate', 'bad.test'), SltSyntaxError);
});
