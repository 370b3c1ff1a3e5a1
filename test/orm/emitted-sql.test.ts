// The SQL that Kysely and drizzle-orm emit, statement by statement, side by
// side with better-sqlite3 (SQLite 3.53): JSON values nesting through the
// expressions that keep SQLite's JSON subtype, the -> and ->> operators,
// collating min/max/nullif, FROM subqueries that read the enclosing row,
// upserts, table_info as the introspection queries read it, and the ALTER
// TABLE forms migrations use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import Database from '../../src/index.js';

type Outcome = string;

/** What running `sql` gave: its rows or run() result, or its error. Several statements (setup) go through exec(). */
function outcome(db: Database, sql: string): Outcome {
  try {
    if (sql.includes('; ')) return JSON.stringify(db.exec(sql) === db);
    const statement = db.prepare(sql);
    return JSON.stringify(statement.reader ? statement.raw().all() : statement.run());
  } catch (error) {
    const e = error as { code?: string; message: string };
    return `error ${e.code} ${e.message}`;
  }
}

/** Runs `statements` on a fresh Shoal and a fresh better-sqlite3 database; returns Shoal's outcomes after asserting they are SQLite's. */
function sameAsSqlite(statements: readonly string[]): Outcome[] {
  const shoal = new Database(':memory:');
  const sqlite = new Sqlite(':memory:');
  try {
    return statements.map((sql) => {
      const ours = outcome(shoal, sql);
      assert.equal(ours, outcome(sqlite as unknown as Database, sql), sql);
      return ours;
    });
  } finally {
    shoal.close();
    sqlite.close();
  }
}

const JSON_TABLE = `create table t(a text collate nocase, b text, j text); insert into t values ('B', 'a', '[1]'), ('a', 'B', '{"x":2}'), ('c', 'c', null)`;

test('JSON function results nest as JSON through the expressions that keep the subtype, and as text elsewhere', () => {
  const statements = [
    JSON_TABLE,
    `select json_object('a', json_array(1))`,
    `select json_array(json_object('a', 1), '[2]', json('[3]'))`,
    `select json_object('a', (json_array(1))), json_object('a', +json_array(1)), json_object('a', json_array(1) collate nocase)`,
    `select json_object('a', cast(json_array(1) as text)), json_object('a', cast(json_array(1) as blob))`,
    `select json_object('a', case when 1 then json_array(1) else 'x' end), json_object('a', case 2 when 1 then 'x' else json_array(2) end)`,
    `select json_object('a', case 2 when 1 then 'x' end), json_object('a', iif(1, json_array(1), 'x')), json_object('a', iif(0, 'x', json_array(1)))`,
    `select json_object('a', coalesce(null, json_array(1))), json_object('a', ifnull(null, json_array(1))), json_object('a', nullif(json_array(1), 'x'))`,
    `select json_object('a', min(json_array(1), json_array(2))), json_object('a', max(json_array(1), '[0]')), json_object('a', likely(json_array(1)))`,
    `select json_object('a', (select json_array(1))), json_object('a', (select json_group_array(a) from t))`,
    `select json_object('a', (select json_array(1) from t order by a limit 1))`,
    `select json_object('a', x) from (select json_array(1) as x)`,
    `with c(x) as (select json_array(1)) select json_object('a', x) from c`,
    `create view v as select json_array(1) as x`,
    `select json_object('a', x) from v`,
    `select json_group_array(json_object('a', a)), json_group_array(json_object('a', json_array(a))), json_group_object(a, json_array(b)) from t`,
    `select json_object('k', json_group_array(a)), json_object('k', max(json_array(a))), json_object('k', min(json_array(a))) from t`,
    `select json_array(coalesce(json_group_array(json_array(a, b)), json_array())) from t`,
    `select json_object('k', json_group_array(a)) from t where 0`,
    `select json_object('a', j), json_object('a', json(j)) from t`,
    `select json_array(json_extract('{"a":[1]}', '$.a')), json_array(json_set('{}', '$.a', json_array(1))), json_array(json_quote(json_array(1)))`,
    `select json_array(printf('%s', json_array(1))), json_array(json_array(1) || ''), json_array(upper(json_array(1)))`,
  ];
  const results = sameAsSqlite(statements);
  assert.equal(results[1], JSON.stringify([['{"a":[1]}']]));
  assert.equal(results[15], JSON.stringify([['[{"a":"B"},{"a":"a"},{"a":"c"}]', '[{"a":["B"]},{"a":["a"]},{"a":["c"]}]', '{"B":["a"],"a":["B"],"c":["c"]}']]));
});

test('the -> and ->> operators', () => {
  const results = sameAsSqlite([
    JSON_TABLE,
    `select '{"a":[1,2]}' -> '$.a', '{"a":[1,2]}' ->> '$.a[1]', '{"a":"x"}' ->> 'a', '{"a":"x"}' -> 'a', '[5,6]' -> 1, '[5,6]' ->> -1`,
    `select json_object('a', '{"a":[1,2]}' -> '$.a'), json_object('a', '{"a":[1,2]}' ->> '$.a')`,
    `select j -> '$.x', j ->> 0, j -> 'nope' from t`,
    `select a from t where j ->> '$.x' = 2`,
    `select 'not json' -> '$'`,
  ]);
  assert.equal(results[1], JSON.stringify([['[1,2]', 2, 'x', '"x"', '6', 6]]));
});

test('min, max and nullif compare with the collation of their first argument that has one', () => {
  sameAsSqlite([
    JSON_TABLE,
    `select min(a, b), max(a, b), nullif(a, 'b'), min(b, a), nullif(b, 'b') from t`,
    `select min(a), max(a), min(b), max(b) from t`,
    `select max(a collate binary), min(b collate nocase) from t`,
    `select min('B', 'a' collate nocase), nullif('A', 'a' collate nocase), max(b, a), max('a', 'B') from t`,
  ]);
});

test('a FROM subquery or CTE inside a scalar subquery reads the enclosing row afresh for each row', () => {
  const results = sameAsSqlite([
    `create table u(id integer primary key, n text); create table p(id integer primary key, uid int, t text)`,
    `insert into u values (1, 'a'), (2, 'b'); insert into p values (1, 1, 'x'), (2, 1, 'y'), (3, 2, 'z')`,
    `select id, (select group_concat(t) from (select * from p where p.uid = u.id)) from u`,
    `select id, (select group_concat(t) from (select * from p where p.uid = u.id order by id desc limit 1)) from u`,
    `select id, (select t from (select * from p where p.uid = u.id) q where q.id > 1) from u`,
    `select id, (select max(t) from (select t from (select * from p where p.uid = u.id))) from u`,
    `select id, (with c as (select * from p where p.uid = u.id) select count(*) from c) from u`,
  ]);
  assert.equal(results[2], JSON.stringify([[1, 'x,y'], [2, 'z']]));
});

test('upsert: ON CONFLICT targets, DO NOTHING, DO UPDATE with excluded, WHERE, RETURNING and errors', () => {
  const results = sameAsSqlite([
    `create table t(id integer primary key, name text unique, n int default 0)`,
    `insert into t(id, name) values (1, 'a'), (2, 'b')`,
    `insert into t(id, name) values (1, 'x') on conflict(id) do update set name = excluded.name returning *`,
    `insert into t(id, name) values (5, 'b') on conflict(name) do update set n = n + 1 returning id, name, n`,
    `insert into t(id, name) values (5, 'b') on conflict(name) do update set n = t.n + 10 where excluded.id > 100 returning *`,
    `insert into t(id, name) values (5, 'b') on conflict do nothing returning *`,
    `insert into t(id, name) values (5, 'b') on conflict(name) do nothing`,
    `insert into t(id, name) values (5, 'b') on conflict(id) do nothing`,
    `insert into t(id, name) values (6, 'q'), (7, 'q'), (1, 'z') on conflict(name) do update set n = n + 1 on conflict do update set name = 'dup' || excluded.name returning *`,
    `insert into t(id, name) values (8, 'x') on conflict(n) do nothing`,
    `insert into t(id, name) values (8, 'x') on conflict(name collate nocase) do nothing`,
    `insert into t(id, name) values (8, 'x') on conflict(name collate binary) do update set name = excluded.name || '!' returning *`,
    `insert into t(id, name) values (9, 'b') on conflict(name) do update set name = 'x!' returning *`,
    `insert into t(id, name) values (9, 'b') on conflict(rowid) do nothing`,
    `insert into t(id, name) values (2, 'new') on conflict(rowid) do update set name = excluded.name returning rowid, *`,
    `insert into t(id, name) values (2, 'new2') on conflict(t.id) do update set (name, n) = (excluded.name, 42) returning *`,
    `insert into t as u(id, name) values (2, 'new3') on conflict(id) do update set name = u.name || excluded.name returning *`,
    `insert into t(id, name) values (2, 'zz') on conflict(id) do update set nosuch = 1`,
    `insert into t(id, name) values (2, 'zz') on conflict(id) do update set name = excluded.nosuch`,
    `insert into t(id, name) values (2, 'zz') on conflict(id) do update set name = name where name = 'nomatch' returning *`,
    `insert into t select id, name, 7 from t where true on conflict(id) do update set n = excluded.n returning id, n`,
    `select changes(), last_insert_rowid(), total_changes()`,
    `select * from t order by id`,
  ]);
  assert.equal(results[2], JSON.stringify([[1, 'x', 0]]));
  assert.equal(results[3], JSON.stringify([[2, 'b', 1]]));
  assert.equal(results[5], JSON.stringify([]));
});

test('upsert on WITHOUT ROWID tables, composite and partial unique indexes, with constraint failures', () => {
  sameAsSqlite([
    `create table kv(k text, v text, primary key(k)) without rowid`,
    `insert into kv values ('a', '1') on conflict(k) do update set v = v || excluded.v returning *`,
    `insert into kv values ('a', '2') on conflict(k) do update set v = v || excluded.v returning *`,
    `insert into kv values ('a', '3') on conflict do update set k = 'b' returning *`,
    `insert into kv values ('b', '3') on conflict(v) do nothing`,
    `select * from kv`,
    `create table p(a int, b int, c int, unique(a, b))`,
    `create unique index p_c on p(c) where c > 0`,
    `insert into p values (1, 2, 3)`,
    `insert into p values (2, 1, 3) on conflict(b, a) do update set c = 9 returning *`,
    `insert into p values (1, 2, 4) on conflict(b, a) do update set c = excluded.c returning *`,
    `insert into p values (7, 7, 4) on conflict(c) do nothing`,
    `insert into p values (7, 7, 4) on conflict(c) where c > 0 do update set a = 100 returning rowid, *`,
    `insert into p values (1, 2, 100) on conflict(a, b) do update set c = null returning *`,
    `select rowid, * from p`,
    `create table q(id integer primary key autoincrement, name text not null unique, cnt int check (cnt < 3))`,
    `insert into q(name, cnt) values ('a', 0), ('b', 0)`,
    `insert into q(name, cnt) values ('a', 0) on conflict(name) do update set cnt = cnt + 1 returning *`,
    `insert into q(name, cnt) values ('a', 0) on conflict(name) do update set cnt = cnt + 2 returning *`,
    `insert into q(name, cnt) values (null, 0) on conflict do nothing`,
    `insert into q(name, cnt) values ('c', 5) on conflict do nothing`,
    `insert into q(name, cnt) values ('b', 1) on conflict(name) do update set name = 'a'`,
    `insert or replace into q(name, cnt) values ('b', 1) on conflict(name) do update set cnt = 2 returning *`,
    `select * from q`,
    `select * from sqlite_sequence`,
  ]);
});

test('upsert fires BEFORE INSERT triggers, then UPDATE triggers for DO UPDATE', () => {
  const results = sameAsSqlite([
    `create table tr(id integer primary key, v text); create table log(x text)`,
    `create trigger tu after update on tr begin insert into log values ('u:' || old.v || '>' || new.v); end`,
    `create trigger ti before insert on tr begin insert into log values ('i:' || new.v); end`,
    `insert into tr values (1, 'a')`,
    `insert into tr values (1, 'b') on conflict(id) do update set v = excluded.v`,
    `insert into tr values (1, 'c') on conflict do nothing`,
    `select * from log`,
  ]);
  assert.equal(results[6], JSON.stringify([['i:a'], ['i:b'], ['u:a>b'], ['i:c']]));
});

test('table_info reports standard type names upper-cased, and the columns of views', () => {
  const results = sameAsSqlite([
    `create table t(a integer, b int, c Text, d real, e blob, f any, g varchar(3), h integer primary key, i boolean)`,
    `select type from pragma_table_info('t')`,
    `create view v as select h, g, a + 1 as x, 'k' from t`,
    `create view w(p, q) as select c, d from t`,
    `select * from pragma_table_info('v')`,
    `select * from pragma_table_info('w')`,
    `pragma table_info(v)`,
  ]);
  assert.equal(results[1], JSON.stringify([['INTEGER'], ['INT'], ['TEXT'], ['REAL'], ['BLOB'], ['ANY'], ['varchar(3)'], ['INTEGER'], ['boolean']]));
});

test('ALTER TABLE ADD COLUMN and RENAME TO, as schema migrations emit them', () => {
  const results = sameAsSqlite([
    `create table t(id integer primary key autoincrement, a text, unique(a)); create index t_a on t(a desc)`,
    `create table w(k text primary key, v int) without rowid; create view v as select 1 as one`,
    `insert into t(a) values ('x'), ('y'), (null); insert into w values ('a', 1), ('b', 2)`,
    `alter table t add column b int`,
    `alter table t add c text default 'dflt' not null`,
    `alter table t add column d real default -1.5`,
    `alter table t add column f text collate nocase`,
    `alter table w add column x text default 'xx'`,
    `alter table t add column e int not null`,
    `alter table t add column e int primary key`,
    `alter table t add column e int unique`,
    `alter table t add column e int default (1+1)`,
    `alter table t add column e text default current_timestamp`,
    `alter table t add column a int`,
    `alter table v add column z int`,
    `alter table nope add column z int`,
    `alter table sqlite_schema add column z int`,
    `select * from t`,
    `select * from w`,
    `insert into t(a, f) values ('z', 'Q')`,
    `insert into t(a, f) values ('zz', 'Q')`,
    `select a, b, c, d from t where f = 'q'`,
    `update t set b = 7 where a = 'x' returning *`,
    `select * from pragma_table_info('t')`,
    `create table "__new_t"(id integer primary key autoincrement, a text unique, n int)`,
    `insert into "__new_t"(id, a, n) select id, a, b from t`,
    `drop table t`,
    `alter table "__new_t" rename to t`,
    `alter table w rename to "W W"`,
    `alter table t rename to "W W"`,
    `alter table t rename to sqlite_t`,
    `alter table nope rename to z`,
    `select type, name, tbl_name, sql from sqlite_schema order by name`,
    `select * from sqlite_sequence`,
    `insert into t(a, n) values ('y', 0) on conflict(a) do update set n = n + 1 returning *`,
    `insert into t(a) values ('new') returning id`,
    `pragma integrity_check`,
  ]);
  assert.equal(results[33], JSON.stringify([['t', 5]]));
});

test('RENAME TO refuses, rather than leave them stale, while views or triggers refer to the table', () => {
  const db = new Database(':memory:');
  try {
    db.exec('create table t(a); create view v as select a from t; create table u(b)');
    assert.throws(() => db.exec('alter table t rename to t2'), { code: 'SQLITE_ERROR', message: 'ALTER TABLE ... RENAME TO is not supported by this engine for a table that views or triggers refer to' });
    db.exec("create trigger tu after insert on u begin select 1; end");
    assert.throws(() => db.exec('alter table u rename to u2'), { code: 'SQLITE_ERROR' });
    assert.deepEqual(db.prepare('select name from sqlite_schema order by name').pluck().all(), ['t', 'tu', 'u', 'v']);
  } finally {
    db.close();
  }
});
