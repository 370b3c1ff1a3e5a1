// Kysely (the real package) on Shoal through its stock SqliteDialect, with
// the same code run on better-sqlite3 for comparison: the schema builder,
// inserts with RETURNING, joins, transactions (with savepoints and BEGIN
// IMMEDIATE), stream(), introspection, upserts and the JSON helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated, type SqliteDatabase } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/sqlite';
import Database from '../../src/index.js';

interface PersonTable {
  id: Generated<number>;
  first_name: string;
  last_name: string | null;
  age: number;
  created_at: Generated<string>;
}

interface PetTable {
  id: Generated<number>;
  name: string;
  owner_id: number;
  species: string;
}

interface Tables {
  person: PersonTable;
  pet: PetTable;
}

type Open = (path: string) => SqliteDatabase;
const openShoal: Open = (path) => new Database(path);
const openSqlite: Open = (path) => new Sqlite(path);

function kysely(database: SqliteDatabase): Kysely<Tables> {
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
}

/** Runs `scenario` on a fresh in-memory database of each engine; asserts both give the same result and returns Shoal's. */
async function sameOnBoth<T>(scenario: (db: Kysely<Tables>, database: SqliteDatabase) => Promise<T>): Promise<T> {
  const results: T[] = [];
  for (const open of [openShoal, openSqlite]) {
    const database = open(':memory:');
    const db = kysely(database);
    try {
      results.push(await scenario(db, database));
    } finally {
      await db.destroy();
    }
  }
  assert.deepEqual(results[0], results[1]);
  return results[0];
}

async function createSchema(db: Kysely<Tables>): Promise<void> {
  await db.schema
    .createTable('person')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('first_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('last_name', 'text')
    .addColumn('age', 'integer', (c) => c.notNull().check(sql`age >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo('2024-01-01'))
    .execute();
  await db.schema
    .createTable('pet')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('species', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pet_owner_id_index').on('pet').column('owner_id').execute();
  await db.schema.createView('adult').as(db.selectFrom('person').select(['id', 'first_name']).where('age', '>=', 18)).execute();
}

async function seed(db: Kysely<Tables>): Promise<void> {
  await db
    .insertInto('person')
    .values([
      { first_name: 'Jennifer', last_name: 'Aniston', age: 40 },
      { first_name: 'Arnold', last_name: 'Schwarzenegger', age: 70 },
      { first_name: 'Sylvester', last_name: null, age: 17 },
    ])
    .execute();
  await db
    .insertInto('pet')
    .values([
      { name: 'Catto', owner_id: 1, species: 'cat' },
      { name: 'Doggo', owner_id: 2, species: 'dog' },
      { name: 'Hammo', owner_id: 2, species: 'hamster' },
    ])
    .execute();
}

test('schema builder, inserts with RETURNING, and selects with where, joins, order and limit', async () => {
  const result = await sameOnBoth(async (db) => {
    await createSchema(db);
    const first = await db.insertInto('person').values({ first_name: 'Jennifer', age: 40 }).returning(['id', 'first_name', 'created_at']).executeTakeFirstOrThrow();
    const many = await db
      .insertInto('person')
      .values([
        { first_name: 'Arnold', last_name: 'Schwarzenegger', age: 70 },
        { first_name: 'Sylvester', age: 17 },
      ])
      .returningAll()
      .execute();
    const plain = await db.insertInto('pet').values({ name: 'Catto', owner_id: first.id, species: 'cat' }).executeTakeFirst();
    await db.insertInto('pet').values([{ name: 'Doggo', owner_id: 2, species: 'dog' }, { name: 'Hammo', owner_id: 2, species: 'hamster' }]).execute();
    const joined = await db
      .selectFrom('person')
      .innerJoin('pet', 'pet.owner_id', 'person.id')
      .select(['person.first_name', 'pet.name as pet_name', 'pet.species'])
      .where('person.age', '>', 18)
      .where((eb) => eb.or([eb('pet.species', '=', 'dog'), eb('pet.name', 'like', 'C%')]))
      .orderBy('pet.name', 'desc')
      .limit(2)
      .execute();
    const leftJoined = await db
      .selectFrom('person')
      .leftJoin('pet', 'pet.owner_id', 'person.id')
      .select(['person.id', 'pet.name'])
      .orderBy('person.id')
      .orderBy('pet.name')
      .execute();
    const counted = await db
      .selectFrom('pet')
      .innerJoin('person', 'person.id', 'pet.owner_id')
      .select(['person.first_name', db.fn.count<number>('pet.id').as('pets'), db.fn.max('pet.name').as('last')])
      .groupBy('person.first_name')
      .having(db.fn.count('pet.id'), '>', 1)
      .execute();
    const adults = await db.selectFrom('adult' as 'person').selectAll().orderBy('id').execute();
    const updated = await db.updateTable('person').set((eb) => ({ age: eb('age', '+', 1) })).where('last_name', 'is', null).returning(['id', 'age']).execute();
    const deleted = await db.deleteFrom('person').where('id', '=', 3).returning('first_name').execute();
    const remaining = await db.selectFrom('person').select('first_name').orderBy('first_name').execute();
    const failed = await db
      .insertInto('person')
      .values({ first_name: 'Negative', age: -1 })
      .execute()
      .then(
        () => 'inserted',
        (error: { code?: string; message: string }) => `${error.code}: ${error.message}`,
      );
    return { first, many, plain, joined, leftJoined, counted, adults, updated, deleted, remaining, failed };
  });
  assert.deepEqual(result.first, { id: 1, first_name: 'Jennifer', created_at: '2024-01-01' });
  assert.equal(result.many.length, 2);
  assert.deepEqual(result.many[1], { id: 3, first_name: 'Sylvester', last_name: null, age: 17, created_at: '2024-01-01' });
  assert.equal(result.plain.insertId, 1n);
  assert.equal(result.plain.numInsertedOrUpdatedRows, 1n);
  assert.deepEqual(result.joined, [
    { first_name: 'Arnold', pet_name: 'Doggo', species: 'dog' },
    { first_name: 'Jennifer', pet_name: 'Catto', species: 'cat' },
  ]);
  assert.deepEqual(result.counted, [{ first_name: 'Arnold', pets: 2, last: 'Hammo' }]);
  assert.deepEqual(result.adults, [{ id: 1, first_name: 'Jennifer' }, { id: 2, first_name: 'Arnold' }]);
  assert.deepEqual(result.updated, [{ id: 1, age: 41 }, { id: 3, age: 18 }]);
  assert.deepEqual(result.deleted, [{ first_name: 'Sylvester' }]);
  assert.deepEqual(result.remaining, [{ first_name: 'Arnold' }, { first_name: 'Jennifer' }]);
  assert.equal(result.failed, 'SQLITE_CONSTRAINT_CHECK: CHECK constraint failed: age >= 0');
});

test('transactions commit, roll back when the callback throws, and nest through savepoints', async () => {
  const result = await sameOnBoth(async (db) => {
    await createSchema(db);
    const committed = await db.transaction().execute(async (trx) => {
      await trx.insertInto('person').values({ first_name: 'Kept', age: 1 }).execute();
      return trx.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    });
    const thrown = await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('person').values({ first_name: 'Lost', age: 2 }).execute();
        throw new Error('boom');
      })
      .catch((error: Error) => error.message);
    const trx = await db.startTransaction().execute();
    await trx.insertInto('person').values({ first_name: 'Outer', age: 3 }).execute();
    const inner = await trx.savepoint('inner').execute();
    await inner.insertInto('person').values({ first_name: 'Inner', age: 4 }).execute();
    const insideSavepoint = await inner.selectFrom('person').select('first_name').orderBy('id').execute();
    const afterRollback = await inner.rollbackToSavepoint('inner').execute();
    const kept = await afterRollback.savepoint('second').execute();
    await kept.insertInto('person').values({ first_name: 'Second', age: 5 }).execute();
    await (await kept.releaseSavepoint('second').execute()).commit().execute();
    const names = await db.selectFrom('person').select('first_name').orderBy('id').execute();
    const rolledBack = await db.startTransaction().execute();
    await rolledBack.deleteFrom('person').execute();
    await rolledBack.rollback().execute();
    const count = await db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { committed, thrown, insideSavepoint, names, count };
  });
  assert.deepEqual(result.committed, { n: 1 });
  assert.equal(result.thrown, 'boom');
  assert.deepEqual(result.insideSavepoint.map((r) => r.first_name), ['Kept', 'Outer', 'Inner']);
  assert.deepEqual(result.names.map((r) => r.first_name), ['Kept', 'Outer', 'Second']);
  assert.deepEqual(result.count, { n: 3 });
});

test('BEGIN IMMEDIATE through a Kysely connection takes the write lock at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-kysely-'));
  const path = join(dir, 'app.db');
  const db = kysely(new Database(path));
  const other = new Database(path, { timeout: 1 });
  try {
    await createSchema(db);
    const seen = await db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      const blocked = (() => {
        try {
          other.prepare("insert into person (first_name, age) values ('Other', 9)").run();
          return 'written';
        } catch (error) {
          return (error as { code?: string }).code;
        }
      })();
      await connection.insertInto('person').values({ first_name: 'Mine', age: 1 }).execute();
      await sql`commit`.execute(connection);
      return blocked;
    });
    assert.equal(seen, 'SQLITE_BUSY');
    other.prepare("insert into person (first_name, age) values ('Other', 9)").run();
    const names = await db.selectFrom('person').select('first_name').orderBy('id').execute();
    assert.deepEqual(names, [{ first_name: 'Mine' }, { first_name: 'Other' }]);
  } finally {
    other.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stream() yields the rows one by one, and other statements run between them', async () => {
  const result = await sameOnBoth(async (db, database) => {
    await createSchema(db);
    await db
      .insertInto('person')
      .values(Array.from({ length: 50 }, (_, i) => ({ first_name: `p${i}`, age: i })))
      .execute();
    const ids: number[] = [];
    let between = '';
    for await (const row of db.selectFrom('person').select(['id', 'age']).where('age', '>=', 10).orderBy('age', 'desc').stream()) {
      ids.push(row.id);
      if (ids.length === 1) {
        between = JSON.stringify(database.prepare('select count(*) as n from person').all([]));
      }
      if (ids.length === 30) break;
    }
    const after = await db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { ids, between, after };
  });
  assert.deepEqual(result.ids, Array.from({ length: 30 }, (_, i) => 50 - i));
  assert.equal(result.between, '[{"n":50}]');
  assert.deepEqual(result.after, { n: 50 });
});

test('introspection lists tables, views and their columns as on SQLite, after ALTER TABLE', async () => {
  const result = await sameOnBoth(async (db) => {
    await createSchema(db);
    await db.schema.alterTable('person').addColumn('nickname', 'text', (c) => c.notNull().defaultTo('none')).execute();
    await db.schema.alterTable('pet').renameTo('animal').execute();
    const tables = await db.introspection.getTables();
    const schemas = await db.introspection.getSchemas();
    return { tables, schemas };
  });
  const person = result.tables.find((t) => t.name === 'person');
  assert.deepEqual(person?.columns.map((c) => [c.name, c.dataType, c.isNullable, c.isAutoIncrementing, c.hasDefaultValue]), [
    ['id', 'INTEGER', true, true, false],
    ['first_name', 'varchar(255)', false, false, false],
    ['last_name', 'TEXT', true, false, false],
    ['age', 'INTEGER', false, false, false],
    ['created_at', 'TEXT', false, false, true],
    ['nickname', 'TEXT', false, false, true],
  ]);
  assert.deepEqual(result.tables.map((t) => t.name), ['adult', 'animal', 'person']);
  const adult = result.tables.find((t) => t.name === 'adult');
  assert.equal(adult?.isView, true);
  assert.deepEqual(adult?.columns.map((c) => [c.name, c.dataType]), [['id', 'INTEGER'], ['first_name', 'varchar(255)']]);
});

test('upserts with onConflict: doUpdateSet with excluded values, and doNothing', async () => {
  const result = await sameOnBoth(async (db) => {
    await createSchema(db);
    await seed(db);
    const updated = await db
      .insertInto('pet')
      .values({ name: 'Catto', owner_id: 3, species: 'tiger' })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ species: eb.ref('excluded.species'), owner_id: eb.ref('excluded.owner_id') })))
      .returningAll()
      .execute();
    const skipped = await db
      .insertInto('pet')
      .values({ name: 'Doggo', owner_id: 1, species: 'wolf' })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .execute();
    const filtered = await db
      .insertInto('pet')
      .values([{ name: 'Hammo', owner_id: 1, species: 'rat' }, { name: 'Newbie', owner_id: 1, species: 'fish' }])
      .onConflict((oc) => oc.columns(['name']).doUpdateSet({ species: 'never' }).where('pet.owner_id', '=', 99))
      .returning(['name', 'species'])
      .execute();
    const pets = await db.selectFrom('pet').select(['name', 'owner_id', 'species']).orderBy('name').execute();
    return { updated, skipped, filtered, pets };
  });
  assert.deepEqual(result.updated, [{ id: 1, name: 'Catto', owner_id: 3, species: 'tiger' }]);
  assert.deepEqual(result.skipped, []);
  assert.deepEqual(result.filtered, [{ name: 'Newbie', species: 'fish' }]);
  assert.deepEqual(result.pets.map((p) => p.species), ['tiger', 'dog', 'hamster', 'fish']);
});

test('the JSON helpers nest related rows as JSON', async () => {
  const result = await sameOnBoth(async (db) => {
    await createSchema(db);
    await seed(db);
    return db
      .selectFrom('person')
      .select((eb) => [
        'person.first_name',
        jsonArrayFrom(eb.selectFrom('pet').select(['pet.name', 'pet.species']).whereRef('pet.owner_id', '=', 'person.id').orderBy('pet.name', 'desc')).as('pets'),
        jsonObjectFrom(eb.selectFrom('pet').select(['pet.name']).whereRef('pet.owner_id', '=', 'person.id').orderBy('pet.name').limit(1)).as('firstPet'),
      ])
      .orderBy('person.id')
      .execute();
  });
  assert.deepEqual(
    result.map((r) => ({ name: r.first_name, pets: JSON.parse(r.pets as unknown as string) as unknown, firstPet: JSON.parse(r.firstPet as unknown as string) as unknown })),
    [
      { name: 'Jennifer', pets: [{ name: 'Catto', species: 'cat' }], firstPet: { name: 'Catto' } },
      { name: 'Arnold', pets: [{ name: 'Hammo', species: 'hamster' }, { name: 'Doggo', species: 'dog' }], firstPet: { name: 'Doggo' } },
      { name: 'Sylvester', pets: [], firstPet: null },
    ],
  );
});

test('what Kysely writes to a file, SQLite reads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-kysely-'));
  const path = join(dir, 'app.db');
  try {
    const db = kysely(new Database(path));
    await createSchema(db);
    await seed(db);
    await db.destroy();
    const sqlite = new Sqlite(path, { readonly: true });
    try {
      assert.deepEqual(sqlite.prepare('select name, species from pet order by id').all(), [
        { name: 'Catto', species: 'cat' },
        { name: 'Doggo', species: 'dog' },
        { name: 'Hammo', species: 'hamster' },
      ]);
      assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      sqlite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
