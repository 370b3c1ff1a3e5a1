/**
 * Every statement of the valid corpus parses, prints, and parses back to the
 * same tree; printing is idempotent; spans recover the exact source text.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlText } from '../../src/sql/ast.js';
import { parseStatement } from '../../src/sql/parser.js';
import { formatStatement } from '../../src/sql/printer.js';
import { VALID_STATEMENTS } from './corpus.js';

const POSITION_KEYS = new Set(['start', 'end', 'nameEnd', 'exprText', 'valueSpan']);
const CONSTRAINT_KINDS = new Set([
  'PrimaryKey', 'NotNull', 'Null', 'Unique', 'Check', 'Default', 'Collate', 'References', 'Generated',
  'TablePrimaryKey', 'TableUnique', 'TableCheck', 'TableForeignKey',
]);

/** The tree without source positions (which legitimately differ between the source and the printed form). */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (!POSITION_KEYS.has(k)) out[k] = shape(v);
    return out;
  }
  return node;
}

function parseOne(sql: string) {
  const { statement } = parseStatement(sql);
  assert.ok(statement, `no statement in ${sql}`);
  return statement;
}

test('every valid statement round-trips through the printer', () => {
  for (const sql of VALID_STATEMENTS) {
    const first = parseOne(sql);
    const printed = formatStatement(first.stmt);
    const second = parseOne(printed);
    assert.deepEqual(shape(second.stmt), shape(first.stmt), `${sql}\n  printed as\n${printed}`);
    assert.equal(formatStatement(second.stmt), printed, `printing is not idempotent for ${sql}`);
  }
});

test('statement spans cover the statement text without the semicolon', () => {
  for (const sql of VALID_STATEMENTS) {
    const padded = `  ${sql}\n;  `;
    const st = parseOne(padded);
    assert.equal(st.start, 2);
    assert.equal(sqlText(padded, st), st.text);
    assert.ok(sql.startsWith(st.text), `${st.text} is not a prefix of ${sql}`);
    assert.match(sql.slice(st.text.length), /^\s*(--[^\n]*)?\s*$/, `statement text of ${sql} stops early`);
  }
});

test('every node span lies inside its parent node span', () => {
  for (const sql of VALID_STATEMENTS) {
    const st = parseOne(sql);
    const visit = (node: unknown, lo: number, hi: number): void => {
      if (Array.isArray(node)) {
        for (const n of node) visit(n, lo, hi);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const rec = node as Record<string, unknown>;
      let nlo = lo;
      let nhi = hi;
      if (typeof rec.start === 'number' && typeof rec.end === 'number') {
        assert.ok(rec.start >= lo && rec.end <= hi && rec.start <= rec.end,
          `${String(rec.kind)} [${rec.start}, ${rec.end}) outside [${lo}, ${hi}) in ${sql}`);
        nlo = rec.start;
        nhi = rec.end;
      }
      for (const [k, v] of Object.entries(rec)) {
        // A FROM item's span starts at the item, after its join operator; a
        // constraint's span starts after its `CONSTRAINT name`.
        if (k === 'join' || (k === 'name' && CONSTRAINT_KINDS.has(String(rec.kind)))) {
          visit(v, lo, hi);
        } else if (!POSITION_KEYS.has(k)) {
          visit(v, nlo, nhi);
        }
      }
    };
    visit(st.stmt, st.start, st.end);
  }
});
