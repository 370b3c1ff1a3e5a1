// UPDATE ... FROM compared with SQLite: joins with tables, subqueries and
// CTEs, several matching rows per target row, aliases, RETURNING, triggers,
// WITHOUT ROWID targets, and SQLite's errors.
import { test } from 'node:test';
import { OraclePair } from '../engine/oracle.js';

function withPair(run: (pair: OraclePair) => void): void {
  const pair = new OraclePair();
  try {
    pair.setup(`
      CREATE TABLE t(id INTEGER PRIMARY KEY, v, note TEXT);
      INSERT INTO t VALUES (1, 0, 'a'), (2, 0, 'b'), (3, 0, 'c'), (4, NULL, 'd');
      CREATE TABLE f(id, x);
      INSERT INTO f VALUES (1, 10), (1, 20), (2, 5), (9, 99);
      CREATE TABLE w(k TEXT PRIMARY KEY COLLATE NOCASE, n INTEGER) WITHOUT ROWID;
      INSERT INTO w VALUES ('a', 1), ('B', 2), ('c', 3);
      CREATE TABLE log(msg);
      CREATE TRIGGER tu AFTER UPDATE ON t BEGIN INSERT INTO log VALUES (old.id || ':' || old.v || '->' || new.v); END;
    `);
    run(pair);
  } finally {
    pair.close();
  }
}

const ROWS = 'SELECT * FROM t ORDER BY id';

test('SET reads the FROM row; each target row changes once, the last match winning', () => {
  withPair((pair) => {
    pair.same('UPDATE t SET v = x FROM f WHERE f.id = t.id');
    pair.same(ROWS);
    pair.same('UPDATE t SET v = v + x FROM f WHERE f.id = t.id');
    pair.same(ROWS);
    pair.same('SELECT * FROM log ORDER BY rowid');
    pair.same('UPDATE t SET v = x, note = note || x FROM f WHERE f.id = t.id RETURNING id, v, note');
    pair.same('UPDATE t AS z SET v = f.x FROM f WHERE f.id = z.id AND f.x > 10');
    pair.same(ROWS);
  });
});

test('FROM subqueries, CTEs, joins and row values', () => {
  withPair((pair) => {
    pair.same('UPDATE t SET v = s FROM (SELECT id AS k, sum(x) AS s FROM f GROUP BY id) AS agg WHERE agg.k = t.id');
    pair.same(ROWS);
    pair.same('WITH m(k, y) AS (SELECT id, max(x) FROM f GROUP BY id) UPDATE t SET (v, note) = (y, k) FROM m WHERE m.k = t.id');
    pair.same(ROWS);
    pair.same('UPDATE t SET v = 1 FROM t AS u WHERE u.id = t.id');
    pair.same('UPDATE t SET v = f.id FROM f LEFT JOIN t AS g ON g.id = f.x WHERE f.id = t.id');
    pair.same('UPDATE t SET v = 9 FROM f JOIN f AS f2 USING (id) WHERE t.id = f.id');
    pair.same('UPDATE t SET v = 7 FROM (SELECT 1 AS k) WHERE k = id');
    pair.same('UPDATE t SET v = -1 FROM f WHERE 0');
    pair.same('UPDATE t SET note = \'all\' FROM (SELECT 1)');
    pair.same(ROWS);
    pair.same('UPDATE w SET n = n + f.x FROM f WHERE f.id = w.n');
    pair.same("UPDATE w SET n = 0 FROM (VALUES ('b'), ('B')) AS q WHERE q.column1 = w.k RETURNING *");
    pair.same('SELECT * FROM w ORDER BY k');
  });
});

test('UPDATE ... FROM inside a trigger body sees NEW', () => {
  withPair((pair) => {
    pair.same('CREATE TRIGGER tl AFTER INSERT ON log WHEN new.msg > 0 BEGIN UPDATE t SET v = f.x + new.msg FROM f WHERE f.id = t.id; END');
    pair.same('INSERT INTO log VALUES (100)');
    pair.same(ROWS);
  });
});

test('errors use SQLite wording', () => {
  withPair((pair) => {
    pair.same('UPDATE t SET v = 1 FROM t');
    pair.same('UPDATE t AS z SET v = 1 FROM f AS z');
    pair.same('UPDATE t AS z SET v = 2 FROM t');
    pair.same('UPDATE t AS z SET v = 1 FROM z');
    pair.same('UPDATE t SET v = id FROM f');
    pair.same('UPDATE t SET v = 9 FROM f WHERE id = 1');
    pair.same('UPDATE t SET v = x FROM f WHERE f.id = t.id RETURNING x');
    pair.same('UPDATE t SET nosuch = 1 FROM f');
    pair.same('UPDATE t SET v = 1 FROM nosuch');
  });
});
