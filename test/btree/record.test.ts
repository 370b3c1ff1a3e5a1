/** Varints, the record format (every serial type, lazy decoding) and record comparison with collations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { BTree, compareRecords, decodeRecord, encodeRecord, KeyInfo, readSchema, RecordReader, type SqlValue } from '../../src/btree/index.js';
import { ArrayPageStore } from './support/memory-page-store.js';
import { readVarint, varintLength, varintSize, writeVarint } from '../../src/btree/varint.js';

test('varints round-trip across every length, including negative 64-bit values', () => {
  const values: (number | bigint)[] = [0, 1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 35, 2 ** 42 + 7, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1, -1, -(2 ** 53) + 1];
  values.push(2n ** 56n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, -(2n ** 53n));
  const buffer = new Uint8Array(9);
  for (const value of values) {
    const size = writeVarint(buffer, 0, value);
    assert.equal(size, varintSize(value), `size of ${value}`);
    assert.equal(varintLength(buffer, 0), size);
    const back = readVarint(buffer, 0);
    assert.equal(typeof back, Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === BigInt(value) ? 'number' : 'bigint');
    assert.equal(BigInt(back), BigInt(value));
  }
  assert.equal(varintSize(-1), 9);
});

test('records use the smallest serial type and decode every storage class', () => {
  const values: SqlValue[] = [null, 0, 1, -1, 127, -128, 128, 32767, -32769, 8388607, -8388609, 2147483647, -2147483649, 140737488355327, -140737488355329, 2 ** 53 - 1, 9223372036854775807n, -9223372036854775808n, 1.5, -0.25, 'héllo 😀', '', new Uint8Array([1, 2, 3]), new Uint8Array(0)];
  const record = encodeRecord(values);
  const reader = new RecordReader().reset(record);
  const expectedTypes = [0, 8, 9, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7, 13 + 2 * 11, 13, 18, 12];
  assert.deepEqual(Array.from({ length: values.length }, (_, i) => reader.serialType(i)), expectedTypes);
  assert.deepEqual(decodeRecord(record), values);
  assert.equal(reader.column(values.length + 3), null, 'columns past the end read as NULL');
});

test('integral REALs can be forced to serial type 7 and NaN is stored as NULL', () => {
  const reader = new RecordReader().reset(encodeRecord([2, 2, NaN], [false, true, false]));
  assert.equal(reader.serialType(0), 1);
  assert.equal(reader.serialType(1), 7);
  assert.equal(reader.column(1), 2);
  assert.equal(reader.serialType(2), 0);
});

test('records agree byte-for-byte with what SQLite stores', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-record-'));
  try {
    const file = path.join(dir, 'r.db');
    const db = new Database(file);
    db.defaultSafeIntegers(true);
    db.exec('CREATE TABLE t(a, b, c, d, e, f)');
    const rows: SqlValue[][] = [
      [1n, 'x', null, 2.5, new Uint8Array([9]), 0n],
      [-300n, 'long text '.repeat(20), 0n, 1n, 9007199254740993n, -140737488355329n],
      [127n, '', new Uint8Array(0), -0.125, 65536n, 2147483648n],
    ];
    for (const row of rows) db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)').run(...row.map((v) => (v instanceof Uint8Array ? Buffer.from(v) : v)));
    db.close();
    const tree = new BTree(ArrayPageStore.fromFile(fs.readFileSync(file)));
    const root = readSchema(tree)[0].rootPage;
    const cursor = tree.openTableCursor(root);
    const normalized = rows.map((row) => row.map((v) => (typeof v === 'bigint' && v > -(2n ** 53n) && v < 2n ** 53n ? Number(v) : v)));
    let i = 0;
    for (let more = cursor.first(); more; more = cursor.next()) {
      assert.deepEqual(Buffer.from(cursor.payload()).toString('hex'), Buffer.from(encodeRecord(normalized[i])).toString('hex'));
      assert.deepEqual(cursor.record().values(), normalized[i]);
      i++;
    }
    assert.equal(i, rows.length);
    cursor.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lazy decoding reads only the requested columns and rejects malformed headers', () => {
  const record = encodeRecord(['a', 'b', 'c']);
  const reader = new RecordReader().reset(record);
  assert.equal(reader.column(1), 'b');
  assert.equal(reader.columnCount, 3);
  const truncated = record.slice(0, record.length - 1);
  assert.throws(() => new RecordReader().reset(truncated).column(2), { code: 'SQLITE_CORRUPT' });
  const badType = Uint8Array.from([2, 10]);
  assert.throws(() => new RecordReader().reset(badType).column(0), { code: 'SQLITE_CORRUPT' });
});

test('record comparison orders NULL < numbers < TEXT < BLOB and compares mixed numbers exactly', () => {
  const ordered: SqlValue[] = [null, -9223372036854775808n, -1.5, -1, 0, 0.5, 1, 9007199254740992, 9007199254740993n, 1e300, '', 'A', 'a', 'ab', new Uint8Array(0), new Uint8Array([0])];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const c = compareRecords(encodeRecord([ordered[i]]), encodeRecord([ordered[j]]));
      assert.equal(Math.sign(c), Math.sign(i - j), `${String(ordered[i])} vs ${String(ordered[j])}`);
    }
  }
  assert.equal(compareRecords(encodeRecord([2]), encodeRecord([2.0], [true])), 0);
});

test('collations and DESC follow SQLite', () => {
  const db = new Database(':memory:');
  const words = ['abc', 'ABC', 'abd', 'Abc  ', 'abc ', 'ab', 'é', 'É', 'Z', 'z', ''];
  for (const collation of ['BINARY', 'NOCASE', 'RTRIM'] as const) {
    const keyInfo = new KeyInfo([collation]);
    for (const a of words) {
      for (const b of words) {
        const expected = db.prepare(`SELECT (? COLLATE ${collation}) < ?, (? COLLATE ${collation}) = ?`).raw().get(a, b, a, b) as number[];
        const c = compareRecords(encodeRecord([a]), encodeRecord([b]), keyInfo);
        assert.equal(c < 0 ? 1 : 0, expected[0], `${collation}: ${a} < ${b}`);
        assert.equal(c === 0 ? 1 : 0, expected[1], `${collation}: ${a} = ${b}`);
      }
    }
  }
  const desc = new KeyInfo([], [true, false]);
  assert.ok(compareRecords(encodeRecord([1, 5]), encodeRecord([2, 0]), desc) > 0);
  assert.ok(compareRecords(encodeRecord([1, 5]), encodeRecord([1, 6]), desc) < 0);
  assert.equal(compareRecords(encodeRecord([1]), encodeRecord([1, 6]), desc), 0, 'prefixes compare equal');
  db.close();
});
