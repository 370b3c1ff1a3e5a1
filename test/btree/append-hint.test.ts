/**
 * The append hint (a table cursor that inserted the tree's last row lands
 * past it again without a descent) must never outlive what it remembers:
 * ascending inserts interleaved with everything that changes the right-most
 * leaf behind the cursor's back (deleting or moving the largest row,
 * savepoint and statement rollbacks, other tables and indexes, page splits,
 * smaller rowids, another connection's commit) must leave exactly the rows
 * SQLite (better-sqlite3) leaves, in a file that passes integrity_check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Sqlite from 'better-sqlite3';
import Database from '../../src/index.js';
import { Random } from './support/random.js';

interface Connection {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[]; raw(on?: boolean): unknown };
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
}

const SCHEMA = `CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);
  CREATE TABLE u(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);
  CREATE INDEX u_name ON u(name);`;

/** Runs the same statements on a Shoal and a SQLite database, small pages so the trees split often. */
class Pair {
  readonly directory = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-append-'));
  readonly shoalPath = path.join(this.directory, 'shoal.db');
  readonly shoal: Connection = new Database(this.shoalPath) as unknown as Connection;
  readonly sqlite: Connection = new Sqlite(path.join(this.directory, 'sqlite.db')) as unknown as Connection;

  constructor() {
    for (const db of [this.shoal, this.sqlite]) {
      db.pragma('page_size = 512');
      db.exec(SCHEMA);
    }
  }

  /** Runs `sql` on both; both must succeed or fail alike. */
  run(sql: string, ...params: unknown[]): void {
    const outcomes = [this.shoal, this.sqlite].map((db) => {
      try {
        db.prepare(sql).run(...params);
        return 'ok';
      } catch (error) {
        return (error as { code?: string }).code ?? 'error';
      }
    });
    assert.equal(outcomes[0], outcomes[1], `${sql} ${JSON.stringify(params)}`);
  }

  /** Asserts both hold the same rows in both tables and Shoal's file is intact. */
  check(label: string): void {
    for (const table of ['t', 'u']) {
      const sql = `SELECT id, name, n FROM ${table} ORDER BY id`;
      assert.deepEqual(this.shoal.prepare(sql).all(), this.sqlite.prepare(sql).all(), `${label}: table ${table}`);
    }
    assert.equal(this.shoal.pragma('integrity_check', { simple: true }), 'ok', label);
  }

  close(): void {
    this.shoal.close();
    this.sqlite.close();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}

/** Rows named so that some spill into overflow pages on 512-byte pages. */
function nameOf(random: Random): string {
  return random.int(8) === 0 ? 'x'.repeat(300 + random.int(900)) : `row-${random.int(100000)}`;
}

test('ascending inserts interleaved with changes to the largest rows match SQLite', () => {
  const pair = new Pair();
  const random = new Random(20261126);
  let next = 1;
  try {
    pair.run('BEGIN');
    for (let step = 0; step < 3000; step++) {
      const choice = random.int(100);
      if (choice < 70) {
        pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, ?)', next, nameOf(random), step);
        next += 1 + random.int(3);
      } else if (choice < 76) {
        pair.run('DELETE FROM t WHERE id = (SELECT max(id) FROM t)');
        // The next rowid may now fall between the new largest and the old one.
        next = Math.max(1, next - 2 - random.int(4));
      } else if (choice < 80) {
        pair.run('UPDATE t SET id = id + 5 WHERE id = (SELECT max(id) FROM t)');
      } else if (choice < 84) {
        pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, ?)', 1 + random.int(next), nameOf(random), -step);
      } else if (choice < 90) {
        pair.run('INSERT INTO u(id, name, n) VALUES (?, ?, ?)', next, nameOf(random), step);
        next++;
      } else if (choice < 93) {
        pair.run('INSERT INTO t(name, n) VALUES (?, ?)', nameOf(random), step);
        next += 2;
      } else if (choice < 96) {
        // A multi-row insert whose last row fails (before any seek): the statement's rows are undone.
        pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, 0), (?, ?, 0), (?, ?, 0)', next, nameOf(random), next + 1, nameOf(random), 'not a rowid', 'bad');
        next += 3;
      } else {
        pair.run('DELETE FROM t WHERE id > ?', next - 20);
      }
      if (step % 500 === 499) pair.check(`step ${step}`);
    }
    pair.run('COMMIT');
    pair.check('after commit');
  } finally {
    pair.close();
  }
});

test('savepoint rollbacks and transaction rollbacks between ascending inserts match SQLite', () => {
  const pair = new Pair();
  const random = new Random(7);
  try {
    let next = 1;
    pair.run('BEGIN');
    for (let round = 0; round < 40; round++) {
      for (let k = 0; k < 30; k++) pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, ?)', next++, nameOf(random), round);
      pair.run('SAVEPOINT s');
      const before = next;
      for (let k = 0; k < 20 + random.int(40); k++) pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, ?)', next++, nameOf(random), -round);
      if (round % 3 === 0) {
        pair.run('RELEASE s');
      } else {
        pair.run('ROLLBACK TO s');
        pair.run('RELEASE s');
        // Reuse the rolled-back rowids: the right-most leaf is shorter again.
        next = before;
      }
      if (round % 10 === 9) pair.check(`round ${round}`);
    }
    pair.run('COMMIT');
    pair.run('BEGIN');
    for (let k = 0; k < 200; k++) pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, ?)', next++, nameOf(random), k);
    pair.run('ROLLBACK');
    for (let k = 0; k < 200; k++) pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, ?)', next - 200 + k, nameOf(random), k);
    pair.check('after rollback');
  } finally {
    pair.close();
  }
});

test('inserts into two tables alternately, one with an index, match SQLite', () => {
  const pair = new Pair();
  const random = new Random(99);
  try {
    pair.run('BEGIN');
    for (let id = 1; id <= 2000; id++) {
      pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, ?)', id, nameOf(random), id);
      pair.run('INSERT INTO u(id, name, n) VALUES (?, ?, ?)', id * 2, nameOf(random), id);
    }
    pair.run('COMMIT');
    pair.check('end');
  } finally {
    pair.close();
  }
});

test('another connection appending between our transactions is seen', () => {
  const pair = new Pair();
  const other = new Database(pair.shoalPath) as unknown as Connection;
  try {
    let next = 1;
    for (let round = 0; round < 20; round++) {
      pair.run('BEGIN');
      for (let k = 0; k < 50; k++) pair.run('INSERT INTO t(id, name, n) VALUES (?, ?, ?)', next++, `ours-${next}`, round);
      pair.run('COMMIT');
      // The other connection extends (and sometimes trims) the same tree's right-most leaf.
      for (const db of [other, pair.sqlite]) {
        const insert = db.prepare('INSERT INTO t(id, name, n) VALUES (?, ?, ?)');
        for (let k = 0; k < 30; k++) insert.run(next + k, `theirs-${next + k}`, round);
      }
      if (round % 4 === 3) {
        other.exec(`DELETE FROM t WHERE id > ${next + 10}`);
        pair.sqlite.exec(`DELETE FROM t WHERE id > ${next + 10}`);
        next += 11;
      } else {
        next += 30;
      }
    }
    pair.check('end');
  } finally {
    other.close();
    pair.close();
  }
});
