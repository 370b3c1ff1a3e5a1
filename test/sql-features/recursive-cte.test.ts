// Recursive common table expressions compared with SQLite: UNION vs UNION
// ALL queues, ORDER BY priority queues, LIMIT/OFFSET inside the CTE,
// several recursive terms, CTEs referring to each other, and SQLite's
// error messages for circular and misplaced recursive references.
import { test } from 'node:test';
import { OraclePair } from '../engine/oracle.js';

function withPair(run: (pair: OraclePair) => void): void {
  const pair = new OraclePair();
  try {
    pair.setup(`
      CREATE TABLE t(a, b);
      INSERT INTO t VALUES (1, 2), (3, 4);
      CREATE TABLE edge(src INTEGER, dst INTEGER);
      INSERT INTO edge VALUES (1, 2), (2, 3), (3, 1), (3, 4), (4, 5), (6, 7);
      CREATE TABLE org(name TEXT PRIMARY KEY, boss TEXT);
      INSERT INTO org VALUES ('Alice', NULL), ('Bob', 'Alice'), ('Cindy', 'Alice'), ('Dave', 'Bob'), ('Emma', 'Bob'), ('Fred', 'Cindy'), ('Gail', 'Cindy');
    `);
    run(pair);
  } finally {
    pair.close();
  }
}

test('counting, with and without RECURSIVE, and as a later CTE input', () => {
  withPair((pair) => {
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT x, typeof(x) FROM c');
    pair.same('WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT n FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3), d AS (SELECT x * 2 AS y FROM c) SELECT * FROM d, c');
    pair.same('WITH RECURSIVE a(x) AS (SELECT * FROM b), b(y) AS (SELECT 1) SELECT * FROM a');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c AS a, c AS b ORDER BY 1, 2');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT (SELECT group_concat(x) FROM c)');
    pair.same('WITH RECURSIVE c(x) AS MATERIALIZED (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT sum(x) FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT CAST(1 AS TEXT) UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT x, typeof(x) FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT CAST(1 AS TEXT) UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT x FROM c WHERE x = 1');
    pair.same('WITH RECURSIVE c(x) AS (VALUES (1) UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c');
    pair.same('SELECT a, (WITH RECURSIVE c(x) AS (SELECT a UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT count(*) FROM c) FROM t');
  });
});

test('an infinite recursion stops at an outer LIMIT', () => {
  withPair((pair) => {
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 5');
    pair.same('WITH RECURSIVE fib(a, b) AS (SELECT 0, 1 UNION ALL SELECT b, a + b FROM fib) SELECT a FROM fib LIMIT 20');
  });
});

test('UNION discards rows already queued; UNION ALL keeps them', () => {
  withPair((pair) => {
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT x % 3 + 1 FROM c) SELECT * FROM c');
    pair.same("WITH RECURSIVE c(x) AS (SELECT 'a' UNION SELECT x || 'A' FROM c WHERE length(x) < 3) SELECT * FROM c");
    pair.same('WITH RECURSIVE reach(n) AS (SELECT 1 UNION SELECT dst FROM edge JOIN reach ON src = n) SELECT n FROM reach');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT 2 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT x + 1 FROM c WHERE x < 3 UNION SELECT x + 10 FROM c WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 UNION ALL SELECT x + 10 FROM c WHERE x < 3) SELECT * FROM c');
    pair.same("WITH RECURSIVE c(x) AS (SELECT 'A' UNION SELECT lower(x) FROM c UNION SELECT upper(x) COLLATE NOCASE FROM c) SELECT * FROM c");
  });
});

test('ORDER BY makes the queue a priority queue; LIMIT and OFFSET apply to the queue', () => {
  withPair((pair) => {
    pair.same(`WITH RECURSIVE under(name, level) AS (SELECT 'Alice', 0 UNION ALL SELECT org.name, under.level + 1 FROM org JOIN under ON org.boss = under.name ORDER BY 2 DESC)
      SELECT substr('..........', 1, level * 3) || name FROM under`);
    pair.same(`WITH RECURSIVE under(name, level) AS (SELECT 'Alice', 0 UNION ALL SELECT org.name, under.level + 1 FROM org JOIN under ON org.boss = under.name ORDER BY 2)
      SELECT name, level FROM under`);
    pair.same('WITH RECURSIVE c(x, y) AS (SELECT 1, \'b\' UNION ALL SELECT x + 1, \'a\' FROM c WHERE x < 4 ORDER BY 2, 1) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY x + 1) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c ORDER BY 1 DESC LIMIT 5) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5 OFFSET 2) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 LIMIT -1) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 LIMIT 0) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ?) SELECT * FROM c', 4);
    pair.same("WITH RECURSIVE c(x) AS (SELECT 5 UNION ALL SELECT x - 1 FROM c WHERE x > 0 LIMIT 'a') SELECT * FROM c");
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY x) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY 2) SELECT * FROM c');
  });
});

test('recursive references inside joins', () => {
  withPair((pair) => {
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LEFT JOIN t ON 0 WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM t LEFT JOIN c ON 1 WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM (c JOIN t) WHERE x < 3) SELECT count(*) FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 AND (SELECT count(*) FROM t WHERE a > x)) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT DISTINCT x + 1 FROM c, t WHERE x < 3) SELECT * FROM c');
  });
});

test('views and correlated subqueries over recursive CTEs', () => {
  withPair((pair) => {
    pair.same('CREATE VIEW cv AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 4) SELECT i FROM c');
    pair.same('SELECT * FROM cv');
    pair.same('SELECT a, (SELECT count(*) FROM cv WHERE i <= t.a) FROM t');
    pair.same('SELECT cv.i, t.b FROM cv LEFT JOIN t ON t.a = cv.i ORDER BY 1');
  });
});

test('errors use SQLite wording', () => {
  withPair((pair) => {
    pair.same('WITH x AS (SELECT * FROM x) SELECT * FROM x');
    pair.same('WITH t AS (SELECT * FROM t) SELECT * FROM t');
    pair.same('WITH RECURSIVE c(x) AS (SELECT x FROM c UNION ALL SELECT 1) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 INTERSECT SELECT x + 1 FROM c) SELECT * FROM c');
    pair.same('WITH RECURSIVE a(x) AS (SELECT * FROM b), b(y) AS (SELECT * FROM a) SELECT * FROM a');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT 2 WHERE (SELECT 1 FROM c)) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x IN (SELECT x FROM c)) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c, (SELECT * FROM c) WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c, d WHERE x < 3), d AS (SELECT * FROM c) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT c.x + 1 FROM c, c AS d WHERE c.x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT count(*) FROM c) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 GROUP BY x) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x, y) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1, 2 FROM c) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM main.c WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT c.x + 1 FROM c AS c2 WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 UNION SELECT 9) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT (SELECT 1 FROM c) UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 LIMIT (SELECT 1 FROM c)) SELECT * FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT (SELECT x FROM c) FROM t) SELECT * FROM c');
    pair.same('WITH a AS (SELECT 1), a AS (SELECT 2) SELECT * FROM a');
    pair.same('WITH a AS (SELECT 1 AS x) SELECT * FROM (WITH a AS (SELECT x + 1 AS x FROM a) SELECT * FROM a)');
    pair.same('WITH a AS (SELECT 1 AS x) SELECT * FROM (WITH b AS (SELECT x + 1 AS x FROM a), a AS (SELECT 5 AS x) SELECT * FROM b)');
  });
});

test('recursive CTEs drive INSERT, UPDATE and DELETE', () => {
  withPair((pair) => {
    pair.same('CREATE TABLE n(v)');
    pair.same('INSERT INTO n WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50) SELECT x FROM c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x * 2 FROM c WHERE x < 32) DELETE FROM n WHERE v IN c');
    pair.same('WITH RECURSIVE c(x) AS (SELECT 3 UNION ALL SELECT x + 3 FROM c WHERE x < 30) UPDATE n SET v = -v WHERE v IN (SELECT x FROM c)');
    pair.same('SELECT * FROM n ORDER BY v');
  });
});
