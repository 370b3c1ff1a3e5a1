// Database behaviour: opening (options, errors, files, memory, buffers),
// properties, exec, pragma, close, serialize and backup, the Shoal-only
// members, and the package's exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import Database, { Database as NamedDatabase, SqliteError } from '../../src/index.js';
import { assertSameAsSqlite, assertThrowsExactly, outcomeOf } from './oracle.js';

const directory = mkdtempSync(join(tmpdir(), 'shoal-api-test-'));
test.after(() => rmSync(directory, { recursive: true, force: true }));
let fileCounter = 0;
const freshPath = (): string => join(directory, `db-${++fileCounter}.db`);

test('exports: default and named Database, SqliteError, Database.SqliteError', () => {
  assert.equal(NamedDatabase, Database);
  assert.equal((Database as unknown as { SqliteError: unknown }).SqliteError, SqliteError);
  const error = new SqliteError('boom', 'SQLITE_BUSY');
  assert.ok(error instanceof Error);
  assert.deepEqual([error.name, error.message, error.code], ['SqliteError', 'boom', 'SQLITE_BUSY']);
});

test('Database can be called without new', () => {
  const db = (Database as unknown as (path: string) => Database)(':memory:');
  assert.ok(db instanceof Database);
  assert.equal(db.prepare('SELECT 1 AS one').get()?.constructor, Object);
  db.close();
});

test('constructor argument errors match better-sqlite3', () => {
  const cases: Array<[unknown, unknown]> = [
    [42, undefined],
    [':memory:', 'x'],
    [':memory:', { readOnly: true }],
    [':memory:', { memory: true }],
    [':memory:', { readonly: true }],
    ['', { readonly: true }],
    [':memory:', { readonly: 1 }],
    [':memory:', { fileMustExist: 'yes' }],
    [':memory:', { timeout: -1 }],
    [':memory:', { timeout: 1.5 }],
    [':memory:', { timeout: '10' }],
    [':memory:', { timeout: 2 ** 31 }],
    [':memory:', { verbose: 'loud' }],
    [':memory:', { nativeBinding: 5 }],
    [join(directory, 'missing-dir', 'x.db'), undefined],
  ];
  for (const [filename, options] of cases) {
    const ours = outcomeOf(() => new Database(filename as string, options as object));
    const theirs = outcomeOf(() => new Sqlite(filename as string, options as object));
    assert.deepEqual(ours, theirs, `${String(filename)} ${JSON.stringify(options)}`);
  }
});

test('unknown options are a TypeError naming the closest valid option', () => {
  assertThrowsExactly(() => new Database(':memory:', { fileMustExists: true } as object), 'TypeError', 'Unknown option "fileMustExists" (did you mean "fileMustExist"?)');
  assertThrowsExactly(() => new Database(':memory:', { timout: 5 } as object), 'TypeError', 'Unknown option "timout" (did you mean "timeout"?)');
  assertThrowsExactly(
    () => new Database(':memory:', { zzzzzzzzzzzz: 1 } as object),
    'TypeError',
    'Unknown option "zzzzzzzzzzzz" (valid options are "readonly", "fileMustExist", "timeout", "verbose", "nativeBinding", "multiProcess")',
  );
  assertThrowsExactly(() => new Database(':memory:', { multiProcess: 'no' } as object), 'TypeError', 'Expected the "multiProcess" option to be a boolean');
  new Database(':memory:', { nativeBinding: 'ignored.node', multiProcess: false, timeout: 0 }).close();
});

test('properties of memory, temporary and file databases', () => {
  const memory = new Database(':memory:');
  assert.deepEqual([memory.name, memory.memory, memory.readonly, memory.open, memory.inTransaction], [':memory:', true, false, true, false]);
  const temporary = new Database();
  assert.deepEqual([temporary.name, temporary.memory], ['', true]);
  const blank = new Database('');
  assert.deepEqual([blank.name, blank.memory], ['', true]);
  const path = freshPath();
  const file = new Database(path);
  assert.deepEqual([file.name, file.memory, file.readonly], [path, false, false]);
  file.exec('BEGIN');
  assert.equal(file.inTransaction, true);
  file.exec('COMMIT');
  for (const db of [memory, temporary, blank, file]) {
    db.close();
    assert.equal(db.open, false);
    assert.equal(db.inTransaction, false);
  }
});

test('a file database keeps its data across connections and is readable by SQLite', () => {
  const path = freshPath();
  const db = new Database(path);
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), ('two'), (x'03')");
  db.close();
  const again = new Database(path, { fileMustExist: true });
  assert.deepEqual(again.prepare('SELECT x FROM t').pluck().all(), [1, 'two', Buffer.from([3])]);
  again.close();
  const sqlite = new Sqlite(path, { readonly: true });
  assert.deepEqual(sqlite.prepare('SELECT x FROM t').pluck().all(), [1, 'two', Buffer.from([3])]);
  sqlite.close();
});

test('fileMustExist and readonly', () => {
  const missing = freshPath();
  const error = outcomeOf(() => new Database(missing, { fileMustExist: true }));
  assert.ok('error' in error && error.error.type === 'SqliteError' && error.error.code === 'SQLITE_CANTOPEN', JSON.stringify(error));
  assert.equal(existsSync(missing), false);

  const path = freshPath();
  new Database(path).exec('CREATE TABLE t(x)').close();
  const readonly = new Database(path, { readonly: true });
  assert.equal(readonly.readonly, true);
  assert.equal(readonly.prepare('SELECT count(*) FROM t').pluck().get(), 0);
  const write = outcomeOf(() => readonly.exec('INSERT INTO t VALUES (1)'));
  assert.ok('error' in write && write.error.code === 'SQLITE_READONLY', JSON.stringify(write));
  readonly.close();
});

test('exec() runs every statement and stops at the first error', () => {
  assertSameAsSqlite((db) => {
    const returned = db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1); -- comment\n INSERT INTO t VALUES (2);') === db;
    const failure = outcomeOf(() => db.exec('INSERT INTO t VALUES (3); INSERT INTO nowhere VALUES (4); INSERT INTO t VALUES (5)'));
    return { returned, failure, rows: db.prepare('SELECT x FROM t').pluck().all() };
  });
  assertSameAsSqlite((db) => db.exec(7 as unknown as string));
  assertSameAsSqlite((db) => db.exec('') === db);
});

test('pragma() returns rows, or the first value with simple', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL)');
    return [
      db.pragma('user_version = 7'),
      db.pragma('user_version'),
      db.pragma('user_version', { simple: true }),
      db.pragma('table_info(t)'),
      db.pragma('table_info(t)', { simple: true }),
      db.pragma('user_version = 8', { simple: true }),
    ];
  });
  assertSameAsSqlite((db) => db.pragma(5 as unknown as string));
  assertSameAsSqlite((db) => db.pragma('user_version', 5 as unknown as object));
  assertSameAsSqlite((db) => db.pragma('user_version', { simple: 1 } as unknown as object));
});

test('close() is idempotent and makes later calls fail', () => {
  for (const step of [
    (db: Database) => db.prepare('SELECT 1'),
    (db: Database) => db.exec('SELECT 1'),
    (db: Database) => db.pragma('user_version'),
    (db: Database) => db.function('f', () => 1),
    (db: Database) => db.transaction(() => 1)(),
    (db: Database) => db.close().close().open,
  ]) {
    assertSameAsSqlite((db) => step(db.close()), step.toString());
  }
});

test('defaultSafeIntegers() and unsafeMode() return the database and check their argument', () => {
  assertSameAsSqlite((db) => [db.defaultSafeIntegers() === db, db.unsafeMode(false) === db]);
  assertSameAsSqlite((db) => db.defaultSafeIntegers('yes' as unknown as boolean));
});

test('loadExtension() and table() give clear errors', () => {
  const db = new Database(':memory:');
  assertThrowsExactly(() => db.loadExtension(5 as unknown as string), 'TypeError', 'Expected first argument to be a string');
  const load = outcomeOf(() => db.loadExtension('/usr/lib/mod_spatialite.so'));
  assert.ok('error' in load && load.error.type === 'SqliteError' && /cannot load native SQLite extensions/.test(load.error.message));
  assertThrowsExactly(() => db.table('', {}), 'TypeError', 'Virtual table module name cannot be an empty string');
  assertThrowsExactly(() => db.table('t', 5 as unknown as object), 'TypeError', 'Expected second argument to be a function or a table definition object');
  const table = outcomeOf(() => db.table('numbers', { columns: ['n'], *rows() { yield [1]; } }));
  assert.ok('error' in table && table.error.type === 'SqliteError' && table.error.code === 'SQLITE_ERROR' && /virtual tables are not supported/.test(table.error.message));
  db.close();
});

function fill(db: Database): Database {
  return db.exec(`
    PRAGMA user_version = 12;
    CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v, w REAL);
    CREATE TABLE plain(a, b);
    CREATE INDEX plain_b ON plain(b);
    CREATE VIEW big AS SELECT * FROM t WHERE id > 1;
    CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO plain VALUES ('log', new.id); END;
    INSERT INTO t(v, w) VALUES (9223372036854775807, 1.5), ('text', NULL), (x'beef', -0.25);
    DELETE FROM t WHERE id = 2;
    INSERT INTO plain VALUES (1, 2), (3, 4);
    DELETE FROM plain WHERE a = 1;
  `);
}

function contents(db: { prepare(sql: string): { all(): unknown[]; safeIntegers(on?: boolean): unknown }; pragma(s: string, o: { simple: true }): unknown }) {
  const all = (sql: string) => {
    const statement = db.prepare(sql);
    statement.safeIntegers(true);
    return statement.all();
  };
  return {
    schema: all('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name'),
    t: all('SELECT rowid AS r, * FROM t ORDER BY rowid'),
    plain: all('SELECT rowid AS r, * FROM plain ORDER BY rowid'),
    sequence: all('SELECT * FROM sqlite_sequence'),
    view: all('SELECT * FROM big'),
    userVersion: db.pragma('user_version', { simple: true }),
  };
}

test('serialize() and new Database(buffer) round-trip the content', () => {
  const db = fill(new Database(':memory:'));
  const image = db.serialize();
  assert.ok(Buffer.isBuffer(image));
  assert.equal(image.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
  const copy = new Database(image);
  assert.deepEqual([copy.name, copy.memory], [':memory:', true]);
  assert.deepEqual(contents(copy), contents(db));
  const countPlain = (d: Database) => d.prepare('SELECT count(*) FROM plain').pluck().get();
  const before = countPlain(db);
  copy.exec('INSERT INTO plain VALUES (5, 6)');
  assert.equal(countPlain(copy), (before as number) + 1);
  assert.equal(countPlain(db), before);
  const sqlite = new Sqlite(image);
  assert.deepEqual(contents(sqlite as unknown as Database), contents(db));
  sqlite.close();
  const readonly = new Database(image, { readonly: true });
  assert.equal(readonly.readonly, true);
  readonly.close();
  copy.close();
  db.close();
  assertSameAsSqlite((other) => other.serialize(5 as unknown as object));
  assertSameAsSqlite((other) => other.serialize({ attached: 5 } as unknown as object));
});

test('backup() writes a consistent copy that SQLite can open', async () => {
  const source = freshPath();
  const db = fill(new Database(source));
  const target = freshPath();
  writeFileSync(target, 'not a database, to be replaced');
  const metadata = await db.backup(target);
  assert.equal(metadata.remainingPages, 0);
  assert.ok(metadata.totalPages > 0);
  await assert.rejects(db.backup(''), { name: 'TypeError', message: 'Backup filename cannot be an empty string' });
  await assert.rejects(db.backup(':memory:'), { name: 'TypeError', message: 'Invalid backup filename ":memory:"' });
  await assert.rejects(db.backup(join(directory, 'nope', 'x.db')), { name: 'TypeError', message: 'Cannot save backup because the directory does not exist' });
  await assert.rejects(db.backup(freshPath(), { progress: 5 } as unknown as object), { name: 'TypeError', message: 'Expected the "progress" option to be a function' });
  db.close();
  const original = new Sqlite(source, { readonly: true });
  const copy = new Sqlite(target, { readonly: true });
  assert.deepEqual(contents(copy as unknown as Database), contents(original as unknown as Database));
  assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
  original.close();
  copy.close();
});

test('typed usage in the style of @types/better-sqlite3 compiles and runs', () => {
  const db = new Database(':memory:');
  const row = db.prepare<[number], { a: number }>('SELECT ? AS a').get(1);
  assert.equal(row?.a, 1);
  const named = db.prepare<{ x: string }, { x: string }>('SELECT :x AS x').get({ x: 'y' });
  assert.equal(named?.x, 'y');
  db.function('twice', (x: number) => x * 2);
  db.aggregate<number>('summed', { start: 0, step: (total, x) => total + (x as number) });
  assert.deepEqual(db.prepare('SELECT twice(2) AS t, summed(3) AS s').get(), { t: 4, s: 3 });
  const increment = db.transaction((x: number) => x + 1);
  const result: number = increment.immediate(1);
  assert.equal(result, 2);
  db.close();
});
