// Child process for drizzle.test.ts: with `better-sqlite3` resolving to
// Shoal, drizzle-orm's better-sqlite3 driver opens the database file given
// as argv[2] itself (`drizzle(path)`), writes and reads it, and prints what
// it found as JSON.
import { register } from 'node:module';

register('./better-sqlite3-alias-hooks.js', import.meta.url);
const { drizzle } = await import('drizzle-orm/better-sqlite3');
const { sql } = await import('drizzle-orm');
const { sqliteTable, integer, text } = await import('drizzle-orm/sqlite-core');

const notes = sqliteTable('notes', { id: integer('id').primaryKey(), body: text('body').notNull() });
const db = drizzle(process.argv[2]);
db.run(sql`create table notes (id integer primary key, body text not null)`);
const inserted = db.insert(notes).values([{ body: 'one' }, { body: 'two' }]).returning().all();
const client = db.$client as unknown as { onCommit?: unknown; coordination?: unknown };
process.stdout.write(
  JSON.stringify({
    shoalClient: typeof client.onCommit === 'function' && typeof client.coordination === 'function',
    inserted,
    count: db.get<{ n: number }>(sql`select count(*) as n from notes`),
  }),
);
db.$client.close();
