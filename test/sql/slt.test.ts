/**
 * Every SQL statement of the sqllogictest suites parses (statements after
 * `statement ok`, `statement error` and `query` lines, up to a blank line or
 * `----`). A `statement error` entry may fail to parse only if SQLite's own
 * parser rejects it too, with the same message.
 *
 * The suites live in the shared folder beside the repository
 * (`../shared/slt` from the directory the tests run in).
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { parseStatement } from '../../src/sql/parser.js';

const SLT_DIR = resolve(process.cwd(), '..', 'shared', 'slt');

interface SltStatement {
  file: string;
  line: number;
  expectError: boolean;
  sql: string;
}

function sltFiles(): string[] {
  const top = readdirSync(SLT_DIR).filter((f) => f.endsWith('.test')).map((f) => join(SLT_DIR, f));
  const evidence = join(SLT_DIR, 'evidence');
  return [...top, ...readdirSync(evidence).filter((f) => f.endsWith('.test')).map((f) => join(evidence, f))];
}

function sltStatements(file: string): SltStatement[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const out: SltStatement[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(statement|query)\s*(\S*)/.exec(lines[i]);
    if (m === null) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j].trim() !== '' && lines[j].trim() !== '----'; j++) body.push(lines[j]);
    out.push({ file, line: i + 1, expectError: m[1] === 'statement' && m[2] === 'error', sql: body.join('\n') });
    i = j;
  }
  return out;
}

test('every sqllogictest statement parses as SQLite parses it', () => {
  const db = new Database(':memory:');
  let parsed = 0;
  for (const file of sltFiles()) {
    for (const st of sltStatements(file)) {
      let error: string | null = null;
      try {
        parseStatement(st.sql);
        parsed++;
      } catch (e) {
        error = (e as Error).message;
      }
      if (error === null) continue;
      assert.ok(st.expectError, `${st.file}:${st.line}: ${error}\n${st.sql}`);
      let sqliteError: string | null = null;
      try {
        db.prepare(st.sql);
      } catch (e) {
        sqliteError = (e as Error).message;
      }
      assert.equal(error, sqliteError, `${st.file}:${st.line}: SQLite's parser accepts\n${st.sql}`);
    }
  }
  assert.ok(parsed > 5000, `only ${parsed} statements found in ${SLT_DIR}`);
});
