// drizzle-orm (the real package) on Shoal through its better-sqlite3
// driver, with the same code run on better-sqlite3 for comparison: tables,
// inserts with RETURNING, joins, relational queries (nested JSON
// subqueries), upserts, nested and immediate transactions, the migrator,
// and Shoal installed under the name better-sqlite3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { and, asc, count, desc, eq, gt, relations, sql, TransactionRollbackError } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import Database from '../../src/index.js';

const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  email: text('email').unique(),
  meta: text('meta', { mode: 'json' }).$type<{ tags: string[] }>(),
  createdAt: integer('created_at', { mode: 'timestamp' }),
});

const posts = sqliteTable('posts', {
  id: integer('id').primaryKey(),
  title: text('title').notNull(),
  authorId: integer('author_id')
    .notNull()
    .references(() => users.id),
});

const comments = sqliteTable('comments', {
  id: integer('id').primaryKey(),
  body: text('body').notNull(),
  postId: integer('post_id')
    .notNull()
    .references(() => posts.id),
});

const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));
const postsRelations = relations(posts, ({ one, many }) => ({
  author: one(users, { fields: [posts.authorId], references: [users.id] }),
  comments: many(comments),
}));
const commentsRelations = relations(comments, ({ one }) => ({ post: one(posts, { fields: [comments.postId], references: [posts.id] }) }));

const schema = { users, posts, comments, usersRelations, postsRelations, commentsRelations };
type Db = BetterSQLite3Database<typeof schema> & { $client: Sqlite.Database };

/** Shoal's Database stands in for better-sqlite3's (the type drizzle's driver names). */
function shoalClient(path: string): Sqlite.Database {
  return new Database(path) as unknown as Sqlite.Database;
}

function createTables(db: Db): void {
  db.run(sql`create table users (id integer primary key autoincrement, name text not null, email text unique, meta text, created_at integer)`);
  db.run(sql`create table posts (id integer primary key, title text not null, author_id integer not null references users(id))`);
  db.run(sql`create table comments (id integer primary key, body text not null, post_id integer not null references posts(id))`);
}

function seed(db: Db): void {
  db.insert(users)
    .values([
      { name: 'Ann', email: 'ann@example.com', meta: { tags: ['admin'] }, createdAt: new Date(1700000000000) },
      { name: 'Bob', email: 'bob@example.com' },
      { name: 'Cy', email: 'cy@example.com' },
    ])
    .run();
  db.insert(posts)
    .values([
      { title: 'Hello', authorId: 1 },
      { title: 'Again', authorId: 1 },
      { title: 'Mine', authorId: 2 },
    ])
    .run();
  db.insert(comments)
    .values([
      { body: 'first!', postId: 1 },
      { body: 'nice', postId: 1 },
      { body: 'hm', postId: 3 },
    ])
    .run();
}

/** Runs `scenario` on a fresh in-memory database of each engine; asserts both give the same result and returns Shoal's. */
async function sameOnBoth<T>(scenario: (db: Db) => T | Promise<T>): Promise<T> {
  const results: T[] = [];
  for (const client of [shoalClient(':memory:'), new Sqlite(':memory:')]) {
    try {
      results.push(await scenario(drizzle(client, { schema })));
    } finally {
      client.close();
    }
  }
  assert.deepEqual(results[0], results[1]);
  return results[0];
}

test('tables, inserts with RETURNING, and selects with joins, where, order and limit', async () => {
  const result = await sameOnBoth(async (db) => {
    createTables(db);
    const ann = db.insert(users).values({ name: 'Ann', email: 'ann@example.com', meta: { tags: ['admin'] }, createdAt: new Date(1700000000000) }).returning().get();
    const ids = db.insert(users).values([{ name: 'Bob' }, { name: 'Cy', email: 'cy@example.com' }]).returning({ id: users.id }).all();
    const run = db.insert(posts).values([{ title: 'Hello', authorId: 1 }, { title: 'Again', authorId: 1 }, { title: 'Mine', authorId: 2 }]).run();
    const joined = db
      .select({ name: users.name, title: posts.title })
      .from(users)
      .innerJoin(posts, eq(posts.authorId, users.id))
      .where(and(gt(users.id, 0), sql`${posts.title} <> 'Nope'`))
      .orderBy(desc(posts.id))
      .limit(2)
      .offset(0)
      .all();
    const leftJoined = db.select().from(users).leftJoin(posts, eq(posts.authorId, users.id)).orderBy(asc(users.id), asc(posts.id)).all();
    const grouped = db
      .select({ authorId: posts.authorId, posts: count() })
      .from(posts)
      .groupBy(posts.authorId)
      .having(({ posts }) => gt(posts, 1))
      .all();
    const updated = db.update(users).set({ name: 'Robert' }).where(eq(users.id, 2)).returning({ id: users.id, name: users.name }).all();
    const deleted = db.delete(posts).where(eq(posts.id, 3)).returning().all();
    const total = await db.$count(users);
    const prepared = db
      .select({ name: users.name })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare();
    const byPlaceholder = [prepared.get({ id: 1 }), prepared.get({ id: 3 })];
    return { ann, ids, run, joined, leftJoined, grouped, updated, deleted, total, byPlaceholder };
  });
  assert.deepEqual(result.ann, { id: 1, name: 'Ann', email: 'ann@example.com', meta: { tags: ['admin'] }, createdAt: new Date(1700000000000) });
  assert.deepEqual(result.ids, [{ id: 2 }, { id: 3 }]);
  assert.deepEqual(result.run, { changes: 3, lastInsertRowid: 3 });
  assert.deepEqual(result.joined, [{ name: 'Bob', title: 'Mine' }, { name: 'Ann', title: 'Again' }]);
  assert.equal(result.leftJoined.length, 4);
  assert.equal(result.leftJoined[3].posts, null);
  assert.deepEqual(result.grouped, [{ authorId: 1, posts: 2 }]);
  assert.deepEqual(result.updated, [{ id: 2, name: 'Robert' }]);
  assert.deepEqual(result.deleted, [{ id: 3, title: 'Mine', authorId: 2 }]);
  assert.equal(result.total, 3);
  assert.deepEqual(result.byPlaceholder, [{ name: 'Ann' }, { name: 'Cy' }]);
});

test('relational queries nest related rows through JSON subqueries', async () => {
  const result = await sameOnBoth(async (db) => {
    createTables(db);
    seed(db);
    const withPosts = await db.query.users.findMany({ with: { posts: true } });
    const nested = await db.query.users.findMany({ columns: { name: true }, with: { posts: { columns: { title: true }, with: { comments: { columns: { body: true } } } } } });
    const limited = await db.query.users.findMany({
      columns: { name: true },
      with: { posts: { columns: { title: true }, orderBy: desc(posts.id), limit: 1, with: { comments: { orderBy: desc(comments.id) } } } },
      orderBy: asc(users.id),
      limit: 2,
    });
    const upward = await db.query.comments.findMany({ with: { post: { with: { author: { columns: { name: true, meta: true } } } } } });
    const first = await db.query.posts.findFirst({ where: eq(posts.id, 3), with: { author: true } });
    const extras = await db.query.users.findFirst({ extras: { lower: sql<string>`lower(${users.name})`.as('lower') }, with: { posts: { where: eq(posts.title, 'Again') } } });
    return { withPosts, nested, limited, upward, first, extras };
  });
  assert.deepEqual(
    result.withPosts.map((u) => [u.name, u.posts.map((p) => p.title)]),
    [['Ann', ['Hello', 'Again']], ['Bob', ['Mine']], ['Cy', []]],
  );
  assert.deepEqual(result.withPosts[0].meta, { tags: ['admin'] });
  assert.deepEqual(result.withPosts[0].createdAt, new Date(1700000000000));
  assert.deepEqual(result.nested, [
    { name: 'Ann', posts: [{ title: 'Hello', comments: [{ body: 'first!' }, { body: 'nice' }] }, { title: 'Again', comments: [] }] },
    { name: 'Bob', posts: [{ title: 'Mine', comments: [{ body: 'hm' }] }] },
    { name: 'Cy', posts: [] },
  ]);
  assert.deepEqual(result.limited, [
    { name: 'Ann', posts: [{ title: 'Again', comments: [] }] },
    { name: 'Bob', posts: [{ title: 'Mine', comments: [{ id: 3, body: 'hm', postId: 3 }] }] },
  ]);
  assert.deepEqual(result.upward[2].post.author, { name: 'Bob', meta: null });
  assert.deepEqual(result.upward[0].post.author, { name: 'Ann', meta: { tags: ['admin'] } });
  assert.equal(result.first?.author.name, 'Bob');
  assert.deepEqual(result.extras && [result.extras.lower, result.extras.posts.map((p) => p.title)], ['ann', ['Again']]);
});

test('upserts: onConflictDoUpdate with excluded values and a where, onConflictDoNothing', async () => {
  const result = await sameOnBoth((db) => {
    createTables(db);
    seed(db);
    const updated = db
      .insert(users)
      .values({ name: 'Ann Again', email: 'ann@example.com' })
      .onConflictDoUpdate({ target: users.email, set: { name: sql`excluded.name` } })
      .returning({ id: users.id, name: users.name })
      .all();
    const byId = db
      .insert(users)
      .values({ id: 2, name: 'Bobby' })
      .onConflictDoUpdate({ target: users.id, set: { name: sql`${users.name} || '+' || excluded.name` }, setWhere: sql`${users.name} = 'Bob'` })
      .returning()
      .get();
    const notMatched = db
      .insert(users)
      .values({ id: 2, name: 'Never' })
      .onConflictDoUpdate({ target: users.id, set: { name: 'Never' }, setWhere: sql`${users.name} = 'Bob'` })
      .returning()
      .all();
    const ignored = db.insert(users).values({ name: 'Dup', email: 'cy@example.com' }).onConflictDoNothing().returning().all();
    const targeted = db.insert(users).values({ name: 'Dup', email: 'cy@example.com' }).onConflictDoNothing({ target: users.email }).run();
    const inserted = db.insert(users).values({ name: 'Dee', email: 'dee@example.com' }).onConflictDoNothing().returning({ id: users.id }).all();
    const names = db.select({ name: users.name }).from(users).orderBy(users.id).all();
    return { updated, byId, notMatched, ignored, targeted, inserted, names };
  });
  assert.deepEqual(result.updated, [{ id: 1, name: 'Ann Again' }]);
  assert.equal(result.byId?.name, 'Bob+Bobby');
  assert.deepEqual(result.notMatched, []);
  assert.deepEqual(result.ignored, []);
  assert.equal(result.targeted.changes, 0);
  // Every attempted insert drew a new AUTOINCREMENT rowid, as in SQLite.
  assert.deepEqual(result.inserted, [{ id: 7 }]);
  assert.deepEqual(result.names.map((n) => n.name), ['Ann Again', 'Bob+Bobby', 'Cy', 'Dee']);
});

test('transactions: nested tx.transaction() savepoints, rollback by throwing or tx.rollback()', async () => {
  const result = await sameOnBoth((db) => {
    createTables(db);
    const names = (): string[] => db.select({ name: users.name }).from(users).orderBy(users.id).all().map((r) => r.name);
    const committed = db.transaction((tx) => {
      tx.insert(users).values({ name: 'Outer' }).run();
      tx.transaction((inner) => {
        inner.insert(users).values({ name: 'Inner' }).run();
      });
      try {
        tx.transaction((inner) => {
          inner.insert(users).values({ name: 'Dropped' }).run();
          inner.rollback();
        });
      } catch (error) {
        tx.insert(users).values({ name: error instanceof TransactionRollbackError ? 'caught the rollback' : 'caught something else' }).run();
      }
      return tx.select({ n: count() }).from(users).get();
    });
    let thrown = '';
    try {
      db.transaction((tx) => {
        tx.insert(users).values({ name: 'Lost' }).run();
        tx.transaction((inner) => inner.insert(users).values({ name: 'Lost too' }).run());
        throw new Error('boom');
      });
    } catch (error) {
      thrown = (error as Error).message;
    }
    let rolledBack = false;
    try {
      db.transaction((tx) => {
        tx.insert(users).values({ name: 'Rolled back' }).run();
        tx.rollback();
      });
    } catch (error) {
      rolledBack = error instanceof TransactionRollbackError;
    }
    const inTransaction = db.$client.inTransaction;
    return { committed, thrown, rolledBack, inTransaction, names: names() };
  });
  assert.deepEqual(result.committed, { n: 3 });
  assert.equal(result.thrown, 'boom');
  assert.equal(result.rolledBack, true);
  assert.equal(result.inTransaction, false);
  assert.deepEqual(result.names, ['Outer', 'Inner', 'caught the rollback']);
});

test("an 'immediate' transaction holds the write lock from its start", () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-drizzle-'));
  const path = join(dir, 'app.db');
  const client = shoalClient(path);
  const other = new Database(path, { timeout: 1 });
  try {
    const db = drizzle(client, { schema });
    createTables(db);
    const attempt = (): string => {
      try {
        other.prepare("insert into users (name) values ('Other')").run();
        return 'written';
      } catch (error) {
        return (error as { code?: string }).code ?? 'no code';
      }
    };
    const duringDeferred = db.transaction((tx) => {
      tx.select().from(users).all();
      return attempt();
    });
    const duringImmediate = db.transaction(
      (tx) => {
        const seen = attempt();
        tx.insert(users).values({ name: 'Mine' }).run();
        return seen;
      },
      { behavior: 'immediate' },
    );
    assert.equal(duringDeferred, 'written');
    assert.equal(duringImmediate, 'SQLITE_BUSY');
    assert.deepEqual(db.select({ name: users.name }).from(users).all(), [{ name: 'Other' }, { name: 'Mine' }]);
  } finally {
    other.close();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("drizzle's migrator applies a migrations folder once", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-drizzle-'));
  const folder = join(dir, 'drizzle');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const migrations = [
    {
      tag: '0000_init',
      sql: 'CREATE TABLE `users` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,\n\t`name` text NOT NULL,\n\t`email` text\n);\n--> statement-breakpoint\nCREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);',
    },
    { tag: '0001_seed', sql: "INSERT INTO `users` (`name`, `email`) VALUES ('Ann', 'ann@example.com');" },
    {
      // drizzle-kit's way of changing a column: rebuild the table and rename it into place.
      tag: '0002_rebuild',
      sql: [
        'PRAGMA foreign_keys=OFF;',
        'CREATE TABLE `__new_users` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,\n\t`name` text NOT NULL,\n\t`email` text,\n\t`age` integer DEFAULT 0 NOT NULL\n);',
        'INSERT INTO `__new_users`("id", "name", "email") SELECT "id", "name", "email" FROM `users`;',
        'DROP TABLE `users`;',
        'ALTER TABLE `__new_users` RENAME TO `users`;',
        'PRAGMA foreign_keys=ON;',
        'CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);',
      ].join('--> statement-breakpoint\n'),
    },
    { tag: '0003_nickname', sql: "ALTER TABLE `users` ADD `nickname` text DEFAULT 'none' NOT NULL;" },
  ];
  writeFileSync(
    join(folder, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'sqlite', entries: migrations.map((m, idx) => ({ idx, version: '6', when: 1700000000000 + idx, tag: m.tag, breakpoints: true })) }),
  );
  for (const m of migrations) writeFileSync(join(folder, `${m.tag}.sql`), m.sql);
  try {
    const result = await sameOnBoth((db) => {
      migrate(db, { migrationsFolder: folder });
      migrate(db, { migrationsFolder: folder });
      const applied = db.all<{ hash: string; created_at: number }>(sql`select hash, created_at from __drizzle_migrations order by id`);
      const rows = db.all(sql`select * from users`);
      db.run(sql`insert into users (name) values ('Bob')`);
      const ids = db.all(sql`select id from users order by id`);
      const indexes = db.all<{ name: string }>(sql`select name from sqlite_schema where type = 'index' order by name`);
      return { applied: applied.map((a) => a.created_at), rows, ids, indexes };
    });
    assert.deepEqual(result.applied, [1700000000000, 1700000000001, 1700000000002, 1700000000003]);
    assert.deepEqual(result.rows, [{ id: 1, name: 'Ann', email: 'ann@example.com', age: 0, nickname: 'none' }]);
    assert.deepEqual(result.ids, [{ id: 1 }, { id: 2 }]);
    // The migrations table's `id SERIAL PRIMARY KEY` is no rowid alias, so it has an automatic index.
    assert.deepEqual(result.indexes, [{ name: 'sqlite_autoindex___drizzle_migrations_1' }, { name: 'users_email_unique' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('installed under the name better-sqlite3, Shoal is what drizzle(path) opens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-drizzle-'));
  const path = join(dir, 'aliased.db');
  try {
    const child = spawnSync(process.execPath, [fileURLToPath(new URL('./drizzle-alias-child.js', import.meta.url)), path], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      shoalClient: true,
      inserted: [{ id: 1, body: 'one' }, { id: 2, body: 'two' }],
      count: { n: 2 },
    });
    const sqlite = new Sqlite(path, { readonly: true });
    try {
      assert.deepEqual(sqlite.prepare('select body from notes order by id').pluck().all(), ['one', 'two']);
    } finally {
      sqlite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
