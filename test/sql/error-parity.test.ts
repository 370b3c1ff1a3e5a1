/**
 * Error parity with SQLite: for malformed input the parser must fail with
 * exactly the message SQLite's parser gives (checked live against
 * better-sqlite3), and it must accept whatever SQLite's parser accepts.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteError } from '../../src/sqlite-error.js';
import { parseStatement } from '../../src/sql/parser.js';
import { MALFORMED_STATEMENTS, VALID_STATEMENTS } from './corpus.js';

/** Messages SQLite produces while parsing (as opposed to resolving names or building the schema). */
const PARSE_ERROR = new RegExp('^(near ".*": syntax error|incomplete input|unrecognized token: |unknown table option: '
  + '|unknown join type: |syntax error after column name|(ORDER BY|LIMIT) clause should come after '
  + '|variable number must be between|too many SQL variables|Expression tree is too large|Recursion limit$'
  + '|unsupported frame specification|qualified table names are not allowed|the (NOT )?INDEXED'
  + '|cannot use RETURNING in a trigger|too many terms in compound SELECT|\\d+ columns assigned \\d+ values'
  + '|a JOIN clause is required before|DISTINCT is not supported for window functions)', 's');

const db = new Database(':memory:');
db.exec('CREATE TABLE t(a, b, c); CREATE TABLE t1(x, y); CREATE TABLE t2(x, y); CREATE INDEX i ON t(a);');

/** SQLite's parse-phase error for `sql`, null if its parser accepts it, undefined if it failed later. */
function sqliteParseError(sql: string): string | null | undefined {
  try {
    db.prepare(sql);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    return PARSE_ERROR.test(message) ? message : undefined;
  }
}

function ourError(sql: string): string | null {
  try {
    parseStatement(sql);
    return null;
  } catch (e) {
    assert.ok(e instanceof SqliteError, `non-SqliteError thrown for ${sql}: ${String(e)}`);
    assert.equal(e.code, 'SQLITE_ERROR');
    return e.message;
  }
}

test('malformed statements fail with SQLite\'s exact message', () => {
  assert.ok(MALFORMED_STATEMENTS.length >= 40);
  for (const sql of MALFORMED_STATEMENTS) {
    const expected = sqliteParseError(sql);
    assert.equal(typeof expected, 'string', `SQLite's parser accepts ${sql}`);
    assert.equal(ourError(sql), expected, sql.slice(0, 200));
  }
});

test('valid statements are accepted by both parsers', () => {
  for (const sql of VALID_STATEMENTS) {
    assert.notEqual(typeof sqliteParseError(sql), 'string', `SQLite rejects ${sql}`);
    assert.equal(ourError(sql), null, sql);
  }
});

const KEYWORDS = ('ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN '
  + 'BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE '
  + 'CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRED DEFERRABLE DELETE DESC DETACH DISTINCT DO DROP END EACH '
  + 'ELSE ESCAPE EXCEPT EXCLUSIVE EXCLUDE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED '
  + 'GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS '
  + 'ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON '
  + 'OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES '
  + 'REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE '
  + 'TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL '
  + 'WHEN WHERE WINDOW WITH WITHOUT ROWID WITHIN').split(' ');

const KEYWORD_CONTEXTS: ReadonlyArray<(k: string) => string> = [
  (k) => `SELECT ${k} FROM t`, (k) => `SELECT a ${k} FROM t`, (k) => `SELECT a AS ${k} FROM t`,
  (k) => `SELECT t.${k} FROM t`, (k) => `SELECT ${k}.a FROM t`, (k) => `SELECT ${k}(1)`,
  (k) => `SELECT * FROM t ${k}`, (k) => `SELECT * FROM t AS ${k}`, (k) => `SELECT * FROM ${k}`,
  (k) => `CREATE TABLE x(${k})`, (k) => `CREATE TABLE x(a ${k})`, (k) => `CREATE TABLE x(a INT ${k})`,
  (k) => `CREATE TABLE ${k}(a)`, (k) => `CREATE INDEX ${k} ON t(a)`, (k) => `SELECT * FROM t ORDER BY ${k}`,
  (k) => `SELECT * FROM t ORDER BY a ${k}`, (k) => `SELECT * FROM t WHERE ${k} = 1`,
  (k) => `SELECT * FROM t WHERE a = ${k}`, (k) => `UPDATE t SET ${k} = 1`, (k) => `INSERT INTO t(${k}) VALUES(1)`,
  (k) => `SELECT CAST(a AS ${k}) FROM t`, (k) => `SELECT a COLLATE ${k} FROM t`, (k) => `PRAGMA ${k}`,
  (k) => `PRAGMA x = ${k}`, (k) => `SAVEPOINT ${k}`, (k) => `CREATE TABLE x(a DEFAULT ${k})`,
  (k) => `SELECT sum(a) OVER ${k} FROM t`, (k) => `SELECT sum(a) OVER (${k}) FROM t`,
  (k) => `WITH ${k} AS (SELECT 1) SELECT * FROM ${k}`, (k) => `SELECT * FROM t WHERE a IN ${k}`,
  (k) => `SELECT count(*) ${k} FROM t`, (k) => `SELECT * FROM t, t1 ${k}`, (k) => `CREATE TABLE x(a) ${k}`,
  (k) => `SELECT * FROM t WINDOW ${k} AS ()`, (k) => `DROP TABLE ${k}`, (k) => `SELECT a FROM t WHERE a ${k} b`,
  (k) => `SELECT CASE ${k} WHEN 1 THEN 2 END`, (k) => `SELECT 1 ${k}`, (k) => `BEGIN ${k}`, (k) => `VACUUM ${k}`,
  (k) => `ALTER TABLE t ADD ${k}`, (k) => `ALTER TABLE t RENAME ${k} TO x`,
];

test('keywords are identifiers exactly where SQLite lets them be', () => {
  for (const context of KEYWORD_CONTEXTS) {
    for (const keyword of KEYWORDS) {
      for (const spelling of [keyword, keyword.toLowerCase()]) {
        const sql = context(spelling);
        const expected = sqliteParseError(sql);
        if (expected === undefined) {
          assert.equal(ourError(sql), null, sql);
        } else {
          assert.equal(ourError(sql), expected, sql);
        }
      }
    }
  }
});

/** A small deterministic PRNG (mulberry32) so the mutation test is reproducible. */
function prng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
}

const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\[[^\]]*\]|`[^`]*`|[A-Za-z_][A-Za-z_0-9$]*|\d[\w.]*|\.\d+|->>|->|\|\||<<|>>|<=|>=|==|!=|<>|\?\d*|[:@$]\w+|\S/g;
const INSERTABLE = ['(', ')', ',', ';', '.', '*', '-', '=', 'NOT', 'NULL', 'AND', 'OR', 'SELECT', 'FROM', 'WHERE',
  'AS', 'ON', 'IN', 'IS', 'BY', 'ORDER', 'JOIN', 'LEFT', 'KEY', 'END', 'ROWS', 'OVER', 'FILTER', 'WINDOW', 'x', '1',
  "'s'", '?', 'DEFAULT', 'PRIMARY', 'CASE', 'WHEN', 'BETWEEN', 'ESCAPE', 'LIKE', 'COLLATE', 'DISTINCT', 'UNION',
  'VALUES', 'SET', 'TABLE', 'IF', 'DO', 'CONFLICT', 'RETURNING', 'REPLACE', 'GENERATED', 'USING', 'INDEXED', 'LIMIT',
  'WITH', 'CAST', 'RAISE', 'NULLS', 'DESC', '->', '||'];

test('mutated statements fail where and how SQLite fails', () => {
  const rnd = prng(20260101);
  let compared = 0;
  for (let k = 0; k < 4000; k++) {
    let tokens: string[] = [...(VALID_STATEMENTS[rnd(VALID_STATEMENTS.length)].match(TOKEN) ?? [])];
    const mutations = 1 + rnd(3);
    for (let m = 0; m < mutations; m++) {
      const i = rnd(tokens.length + 1);
      const op = rnd(5);
      tokens = tokens.slice();
      if (op === 0) tokens.splice(i, 1);
      else if (op === 1) tokens.splice(i, 0, tokens[i] ?? 'x');
      else if (op === 2 && i + 1 < tokens.length) [tokens[i], tokens[i + 1]] = [tokens[i + 1], tokens[i]];
      else if (op === 3) tokens.splice(i, 0, INSERTABLE[rnd(INSERTABLE.length)]);
      else tokens.splice(i);
    }
    const sql = tokens.join(' ');
    const expected = sqliteParseError(sql);
    // When SQLite fails for a semantic reason first, its parser's verdict is unknown.
    if (expected === undefined) continue;
    compared++;
    assert.equal(ourError(sql), expected, sql);
  }
  assert.ok(compared > 2000, `only ${compared} mutations were comparable`);
});

test('random character soup tokenizes as SQLite tokenizes it', () => {
  const rnd = prng(77);
  const pieces = ["'", '"', '`', '[', ']', 'x', "x'", '0x', '1', '.', 'e', '+', '-', '_', '$', '@', ':', '?', '#',
    '/', '*', '|', '<', '>', '=', '!', '~', '&', '%', ' ', '\n', '\t', '\v', '\f', ';', '(', ')', ',', 'é',
    '\u00a0', '\uFEFF', '😀', 'a', 'SELECT', '--', '/*', '*/', '\\', '^', '{'];
  for (let k = 0; k < 4000; k++) {
    let sql = 'SELECT ';
    const n = 1 + rnd(6);
    for (let i = 0; i < n; i++) sql += pieces[rnd(pieces.length)];
    const expected = sqliteParseError(sql);
    if (expected === undefined) continue;
    assert.equal(ourError(sql), expected, JSON.stringify(sql));
  }
});

test('nesting limits match SQLite\'s parser stack limit', () => {
  const shapes: Record<string, (n: number) => string> = {
    subquery: (n) => `SELECT ${'(SELECT '.repeat(n)}1${')'.repeat(n)}`,
    fromSubquery: (n) => `SELECT * FROM ${'(SELECT * FROM '.repeat(n)}t${')'.repeat(n)}`,
    joinGroup: (n) => `SELECT * FROM ${'('.repeat(n)}t${')'.repeat(n)}`,
    caseExpr: (n) => `SELECT ${'CASE WHEN 1 THEN '.repeat(n)}1${' END'.repeat(n)}`,
    call: (n) => `SELECT ${'f('.repeat(n)}1${')'.repeat(n)}`,
    exists: (n) => `SELECT ${'EXISTS (SELECT '.repeat(n)}1${')'.repeat(n)}`,
    inList: (n) => `SELECT ${'1 IN ('.repeat(n)}1${')'.repeat(n)}`,
  };
  // Only the stack limit is compared: SQLite also limits the summed height of
  // nested subqueries, but while resolving names, which is not parsing.
  const tooDeep = (message: string | null | undefined): boolean => message === 'Recursion limit';
  for (const [name, shape] of Object.entries(shapes)) {
    let lo = 1;
    let hi = 5000;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tooDeep(sqliteParseError(shape(mid)))) hi = mid;
      else lo = mid + 1;
    }
    // Within one level of SQLite's limit (its stack use differs slightly by context).
    assert.equal(tooDeep(ourError(shape(lo - 2))), false, `${name}: SQLite's limit is ${lo}`);
    assert.equal(tooDeep(ourError(shape(lo + 1))), true, `${name}: SQLite's limit is ${lo}`);
  }
  // Plain parentheses: SQLite allows about 2490; the JS stack allows about 1700 here.
  assert.equal(ourError(shapes.call(1).replace('f(1)', `${'('.repeat(1000)}1${')'.repeat(1000)}`)), null);
  assert.equal(ourError(`SELECT ${'('.repeat(100000)}1${')'.repeat(100000)}`), 'Recursion limit');
});
