// Statement behaviour, compared side by side with better-sqlite3: execution
// methods, row shapes, parameter binding and its errors, safe integers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from '../../src/index.js';
import { assertSameAsSqlite, assertThrowsExactly, outcomeOf } from './oracle.js';

const setup = (db: Database): Database =>
  db.exec(`
    CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, age INTEGER, score REAL, photo BLOB);
    INSERT INTO people(name, age, score, photo) VALUES ('ann', 31, 1.5, x'00ff'), ('bob', 42, NULL, NULL), ('cy', NULL, -2.25, x'');
    CREATE TABLE pets(owner INTEGER, name TEXT);
    INSERT INTO pets VALUES (1, 'rex'), (2, 'tom');
  `);

test('run() reports changes and lastInsertRowid', () => {
  assertSameAsSqlite((db) => {
    setup(db);
    const insert = db.prepare('INSERT INTO pets VALUES (?, ?)');
    return [insert.run(1, 'a'), insert.run([2, 'b']), db.prepare('UPDATE pets SET name = upper(name)').run(), db.prepare('DELETE FROM pets WHERE owner = 9').run()];
  });
  assertSameAsSqlite((db) => setup(db).prepare('INSERT INTO pets VALUES (?, ?)').safeIntegers().run(7, 'z'));
});

test('get(), all() and iterate() return rows as objects', () => {
  assertSameAsSqlite((db) => {
    setup(db);
    const all = db.prepare('SELECT * FROM people ORDER BY id');
    return {
      get: all.get(),
      none: db.prepare('SELECT * FROM people WHERE id = 99').get(),
      all: all.all(),
      iterated: [...all.iterate()],
      photo: db.prepare('SELECT photo FROM people WHERE id = 1').pluck().get(),
    };
  });
});

test('a repeated column name keeps its first position and takes the last value', () => {
  assertSameAsSqlite((db) => {
    const row = db.prepare("SELECT 1 AS a, 2 AS b, 3 AS a").get() as Record<string, unknown>;
    return [row, Object.keys(row)];
  });
});

test('raw(), pluck() and expand() shape rows, and toggling one off returns to objects', () => {
  assertSameAsSqlite((db) => {
    setup(db);
    const join = 'SELECT people.name, pets.name, 1 + 1 AS two FROM people JOIN pets ON pets.owner = people.id ORDER BY people.id';
    const statement = db.prepare(join);
    return {
      raw: statement.raw().all(),
      pluck: statement.pluck().all(),
      rawOffKeepsPluck: statement.raw(false).all(),
      expand: statement.expand().all(),
      expandOff: statement.expand(false).all(),
      pluckOff: db.prepare(join).pluck(true).pluck(false).get(),
    };
  });
});

test('columns() describes the result columns', () => {
  assertSameAsSqlite((db) => {
    setup(db);
    return [
      db.prepare('SELECT id, name AS who, age + 1, photo FROM people').columns(),
      db.prepare('SELECT pets.name FROM pets').columns(),
    ];
  });
});

test('statement properties: source, reader, readonly, database, busy', () => {
  const db = setup(new Database(':memory:'));
  const select = db.prepare('SELECT * FROM pets');
  const insert = db.prepare("INSERT INTO pets VALUES (3, 'kit')");
  const returning = db.prepare("INSERT INTO pets VALUES (4, 'ox') RETURNING name");
  assert.equal(select.source, 'SELECT * FROM pets');
  assert.deepEqual([select.reader, select.readonly], [true, true]);
  assert.deepEqual([insert.reader, insert.readonly], [false, false]);
  assert.deepEqual([returning.reader, returning.readonly], [true, false]);
  assert.equal(select.database, db);
  assert.equal(select.busy, false);
  const iterator = select.iterate();
  iterator.next();
  assert.equal(select.busy, true);
  iterator.return?.();
  assert.equal(select.busy, false);
  assert.deepEqual(returning.all(), [{ name: 'ox' }]);
  db.close();
});

test('binding: positional values, arrays, both at once, and named parameters with any prefix', () => {
  assertSameAsSqlite((db) => [
    db.prepare('SELECT ? AS a, ? AS b, ? AS c').get(1, [2, 3]),
    db.prepare('SELECT ? AS a, ? AS b').get([1], 'x'),
    db.prepare('SELECT :x AS x, @y AS y, $z AS z').get({ x: 1, y: 'two', z: null }),
    db.prepare('SELECT :x AS x, ? AS p, :x AS again').get(5, { x: 6 }),
    db.prepare('SELECT ? AS u').get(undefined),
    db.prepare('SELECT :x AS x').get(Object.assign(Object.create(null) as object, { x: 4 })),
  ]);
});

test('binding types: numbers bind as REAL, bigints as INTEGER, buffers as BLOB', () => {
  assertSameAsSqlite((db) => [
    db.prepare('SELECT typeof(?) AS t, ? AS v').get(3, 3),
    db.prepare('SELECT typeof(?) AS t, ? AS v').get(3n, 3n),
    db.prepare('SELECT typeof(?) AS t, ? AS v').get(9223372036854775807n, -9223372036854775808n),
    db.prepare('SELECT typeof(?) AS t, hex(?) AS v').get(Buffer.from('hi'), new Uint8Array([1, 2, 255])),
    db.prepare('SELECT ? AS v').get(new Uint8Array([7, 8])),
    db.prepare('SELECT typeof(?) AS t').get('text'),
  ]);
});

test('binding errors match better-sqlite3', () => {
  const cases: Array<[string, unknown[]]> = [
    ['SELECT ? AS a', [true]],
    ['SELECT ? AS a', [{}]],
    ['SELECT ? AS a', [new Date(0)]],
    ['SELECT ? AS a', [() => 1]],
    ['SELECT ? AS a', [Symbol('s')]],
    ['SELECT ? AS a', [2n ** 63n]],
    ['SELECT ? AS a', [-(2n ** 63n) - 1n]],
    ['SELECT ? AS a', []],
    ['SELECT ? AS a', [1, 2]],
    ['SELECT ? AS a', [[1, 2]]],
    ['SELECT 1 AS a', [1]],
    ['SELECT :a AS a', [{}]],
    ['SELECT :a AS a', [{ b: 1 }]],
    ['SELECT :a AS a', []],
    ['SELECT :a AS a', [1]],
    ['SELECT :a AS a', [{ a: 1 }, { a: 2 }]],
    ['SELECT :a AS a', [new Date(0)]],
    ['SELECT :a AS a, ? AS b', [{ a: 1 }]],
    ['SELECT :a AS a, ? AS b', [1]],
    ['SELECT :a AS a', [{ a: true }]],
    ['SELECT :a AS a', [{ a: 1 }, 2]],
    ['SELECT ?1 AS a', [5]],
    ['SELECT ?1 AS a, ?1 AS b', [{ 1: 5 }]],
    ['SELECT ?2 AS a, ? AS b', [5, 6]],
  ];
  for (const [sql, args] of cases) {
    assertSameAsSqlite((db) => db.prepare(sql).get(...args), `${sql} with ${args.map(String).join(', ')}`);
  }
});

test('bind() fixes parameters once', () => {
  assertSameAsSqlite((db) => {
    const statement = db.prepare('SELECT ? AS a').bind(5);
    return [statement.get(), statement.all()];
  });
  assertSameAsSqlite((db) => db.prepare('SELECT ? AS a').bind(5).get(6));
  assertSameAsSqlite((db) => db.prepare('SELECT ? AS a').bind(5).bind(6));
  assertSameAsSqlite((db) => db.prepare('SELECT ? AS a').bind(true));
  assertSameAsSqlite((db) => {
    const statement = db.prepare('SELECT ? AS a');
    const iterator = statement.iterate(1);
    iterator.next();
    const bound = outcomeOf(() => statement.bind(2));
    iterator.return?.();
    return bound;
  });
});

test('values bound from a buffer are copied at bind time', () => {
  assertSameAsSqlite((db) => {
    const bytes = Buffer.from([1, 2, 3]);
    const statement = db.prepare('SELECT ? AS b').bind(bytes);
    bytes[0] = 9;
    return statement.get();
  });
});

test('safeIntegers() returns INTEGER values as bigints, per statement and by default', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE n(v INTEGER, r REAL); INSERT INTO n VALUES (9007199254740993, 1.5)');
    const read = db.prepare('SELECT v, r FROM n');
    const before = read.get();
    const safe = read.safeIntegers().get();
    const off = read.safeIntegers(false).get();
    db.defaultSafeIntegers();
    const byDefault = db.prepare('SELECT v, r, 2 AS two FROM n').get();
    db.defaultSafeIntegers(false);
    return { before, safe, off, byDefault, after: db.prepare('SELECT v FROM n').get() };
  });
});

test('toggle arguments must be booleans', () => {
  for (const method of ['raw', 'pluck', 'expand', 'safeIntegers'] as const) {
    assertSameAsSqlite((db) => (db.prepare('SELECT 1 AS a')[method] as (x: unknown) => unknown)(1), method);
    assertSameAsSqlite((db) => (db.prepare('SELECT 1 AS a')[method] as (x: unknown) => unknown)(undefined), method);
  }
});

test('reader-only methods refuse statements that return no data', () => {
  for (const method of ['get', 'all', 'iterate', 'raw', 'pluck', 'expand', 'columns'] as const) {
    assertSameAsSqlite((db) => (db.prepare('CREATE TABLE t(x)')[method] as () => unknown)(), method);
  }
  assertSameAsSqlite((db) => db.prepare('SELECT 1 AS one').run());
});

test('prepare() rejects empty input and more than one statement, but allows trailing comments', () => {
  for (const sql of ['', '   ', ' ; ', '-- only a comment', '/* c */', 'SELECT 1 AS a; SELECT 2 AS b', 'SELECT 1 AS a;;  -- done\n /* bye */ ']) {
    assertSameAsSqlite((db) => db.prepare(sql).get(), JSON.stringify(sql));
  }
  assertSameAsSqlite((db) => db.prepare(42 as unknown as string));
});

test('iterate() yields rows lazily and can stop early', () => {
  assertSameAsSqlite((db) => {
    setup(db);
    const names: unknown[] = [];
    for (const row of db.prepare('SELECT name FROM people ORDER BY id').pluck().iterate()) {
      names.push(row);
      if (names.length === 2) break;
    }
    const iterator = db.prepare('SELECT id FROM people ORDER BY id').iterate();
    return { names, first: iterator.next(), returned: iterator.return?.(), after: iterator.next(), again: iterator.return?.() };
  });
});

test('the connection is busy while an iterator is open, as in better-sqlite3', () => {
  const steps: Array<(db: Database) => unknown> = [
    (db) => db.prepare('INSERT INTO pets VALUES (5, ?)').run('x'),
    (db) => db.exec('SELECT 1'),
    (db) => db.close(),
    (db) => db.pragma('user_version'),
    (db) => db.function('f', () => 1),
    (db) => db.prepare('SELECT count(*) AS n FROM pets').get(),
    (db) => db.prepare('SELECT 1 AS one').all(),
  ];
  for (const step of steps) {
    assertSameAsSqlite((db) => {
      setup(db);
      const iterator = db.prepare('SELECT * FROM people').iterate();
      iterator.next();
      const result = outcomeOf(() => step(db));
      iterator.return?.();
      return result;
    }, step.toString());
  }
  assertSameAsSqlite((db) => {
    setup(db);
    const select = db.prepare('SELECT * FROM people');
    const iterator = select.iterate();
    iterator.next();
    const result = outcomeOf(() => select.get());
    iterator.return?.();
    return result;
  });
});

test('unsafeMode() allows writes while iterating', () => {
  const db = setup(new Database(':memory:'));
  db.unsafeMode();
  const iterator = db.prepare('SELECT * FROM people').iterate();
  iterator.next();
  assert.equal(db.prepare("INSERT INTO pets VALUES (9, 'new')").run().changes, 1);
  iterator.return?.();
  db.unsafeMode(false);
  assertThrowsExactly(() => db.unsafeMode(1 as unknown as boolean), 'TypeError', 'Expected first argument to be a boolean');
  db.close();
});

test('statements of a closed database throw', () => {
  assertSameAsSqlite((db) => {
    const statement = db.prepare('SELECT 1 AS a');
    db.close();
    return statement.get();
  });
  assertSameAsSqlite((db) => {
    const statement = db.prepare('SELECT 1 AS a');
    db.close();
    return statement.columns();
  });
});

test('SQL errors are SqliteErrors with codes', () => {
  assertSameAsSqlite((db) => db.prepare('SELECT * FROM nowhere'));
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE u(x UNIQUE)');
    db.prepare('INSERT INTO u VALUES (1)').run();
    return db.prepare('INSERT INTO u VALUES (1)').run();
  });
});

test('the Statement constructor is not for users', () => {
  const db = new Database(':memory:');
  const statement = db.prepare('SELECT 1');
  const Constructor = statement.constructor as new (...args: unknown[]) => unknown;
  assertThrowsExactly(() => new Constructor(), 'TypeError', 'Statements can only be constructed by the db.prepare() method');
  db.close();
});

test('the verbose option logs each statement with its parameters expanded', () => {
  const logged: string[] = [];
  const db = new Database(':memory:', { verbose: (sql) => logged.push(String(sql)) });
  db.prepare("SELECT ?, :x, 'it''s ?' AS q -- ?").get(1, { x: 'a\'b' });
  db.prepare('SELECT ?, ?, ?, ?').get(10n, 0.1, Buffer.from([1, 255]), null);
  db.prepare('SELECT ?').get(1e300);
  assert.deepEqual(logged, [
    "SELECT 1.0, 'a''b', 'it''s ?' AS q -- ?",
    "SELECT 10, 0.1, x'01ff', NULL",
    'SELECT 1.0e+300',
  ]);
  db.close();
});
