// Window functions compared with SQLite: built-ins, aggregates over
// ROWS/RANGE/GROUPS frames with EXCLUDE, named windows, FILTER, NULLs and
// ties in ORDER BY, empty inputs, frames beyond the partition ends, window
// functions beside GROUP BY, and SQLite's error messages.
import { test } from 'node:test';
import { OraclePair } from '../engine/oracle.js';

function withPair(run: (pair: OraclePair) => void): void {
  const pair = new OraclePair();
  try {
    pair.setup(`
      CREATE TABLE t(a, b);
      INSERT INTO t VALUES (1, 2), (3, 4);
      CREATE TABLE s(id INTEGER PRIMARY KEY, g TEXT, v, w REAL);
      INSERT INTO s(g, v, w) VALUES
        ('x', 1, 1.5), ('x', 2, NULL), ('x', 2, 2.5), ('x', NULL, 0.5), ('x', 5, 4.0),
        ('y', 10, 1.0), ('y', 10, 2.0), ('y', 7, NULL), ('y', NULL, NULL),
        (NULL, 3, 3.0), (NULL, 3, 3.0), ('z', 'text', 1.0), ('z', 4, 2.0), ('z', x'00', 3.0);
      CREATE TABLE e(x);
    `);
    run(pair);
  } finally {
    pair.close();
  }
}

const RANKING = ['row_number()', 'rank()', 'dense_rank()', 'percent_rank()', 'cume_dist()', 'ntile(3)', 'ntile(10)'];
const VALUE = ['lag(v)', 'lag(v, 2)', 'lag(v, 1, -1)', 'lead(v)', 'lead(v, 2, w)', 'lag(v, -1)', "lag(v, 'x')", 'lag(v, NULL)', 'lag(v, 1.5, 9)', 'first_value(v)', 'last_value(v)', 'nth_value(v, 2)', "nth_value(v, '3')"];
const AGGREGATES = ['count(*)', 'count(v)', 'sum(v)', 'total(v)', 'avg(v)', 'min(v)', 'max(v)', 'group_concat(v)', "group_concat(v, '|')", 'sum(w)', 'max(w)'];
const WINDOWS = [
  '()',
  '(ORDER BY v)',
  '(ORDER BY v DESC)',
  '(ORDER BY v NULLS LAST)',
  '(PARTITION BY g)',
  '(PARTITION BY g ORDER BY v)',
  '(PARTITION BY g ORDER BY v DESC NULLS FIRST, id)',
  '(PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)',
  '(PARTITION BY g ORDER BY id ROWS BETWEEN 3 FOLLOWING AND 5 FOLLOWING)',
  '(PARTITION BY g ORDER BY id ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING)',
  '(ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)',
  '(ORDER BY id ROWS 2 PRECEDING)',
  '(PARTITION BY g ORDER BY v RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)',
  '(PARTITION BY g ORDER BY v RANGE BETWEEN CURRENT ROW AND CURRENT ROW)',
  '(PARTITION BY g ORDER BY w RANGE BETWEEN 1 PRECEDING AND 0.5 FOLLOWING)',
  '(ORDER BY w DESC RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)',
  '(ORDER BY v RANGE BETWEEN 2 FOLLOWING AND 8 FOLLOWING)',
  '(ORDER BY v GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING)',
  '(ORDER BY v GROUPS BETWEEN 2 FOLLOWING AND 3 FOLLOWING)',
  '(ORDER BY v GROUPS BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE TIES)',
  '(ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)',
  '(PARTITION BY g ORDER BY v RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP)',
  '(PARTITION BY g ORDER BY v ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)',
  '(ORDER BY v RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE NO OTHERS)',
];

test('built-in and aggregate window functions over many windows', () => {
  withPair((pair) => {
    for (const window of WINDOWS) {
      const calls = [...RANKING, ...VALUE, ...AGGREGATES].map((f) => `${f} OVER ${window}`);
      pair.same(`SELECT id, ${calls.join(', ')} FROM s ORDER BY id`);
    }
  });
});

test('output order follows the first window when there is no ORDER BY', () => {
  withPair((pair) => {
    pair.same('SELECT id, row_number() OVER (ORDER BY id DESC) FROM s');
    pair.same('SELECT a, count(*) OVER (), max(a) OVER (), group_concat(a) OVER (ORDER BY a DESC) FROM t');
    pair.same('SELECT a FROM t ORDER BY row_number() OVER (ORDER BY a DESC)');
    pair.same('SELECT id, sum(id) OVER (PARTITION BY g ORDER BY id), rank() OVER (ORDER BY v, id) FROM s ORDER BY 1');
  });
});

test('named windows, FILTER, DISTINCT results, GROUP BY and empty inputs', () => {
  withPair((pair) => {
    pair.same('SELECT a, sum(a) OVER w FROM t WINDOW w AS (ORDER BY a)');
    pair.same('SELECT id, sum(v) OVER (w ROWS 1 PRECEDING), count(*) OVER w FROM s WINDOW w AS (PARTITION BY g ORDER BY id) ORDER BY id');
    pair.same('SELECT id, sum(v) OVER (w ORDER BY id) FROM s WINDOW w AS (PARTITION BY g), x AS (w) ORDER BY id');
    pair.same('SELECT a, sum(a) OVER w FROM t WINDOW w AS (ORDER BY a), w AS (ORDER BY b)');
    pair.same('SELECT id, sum(v) FILTER (WHERE id % 2 = 0) OVER (ORDER BY id), count(*) FILTER (WHERE v > 2) OVER () FROM s ORDER BY id');
    pair.same('SELECT DISTINCT g, count(*) OVER (PARTITION BY g) FROM s ORDER BY 1');
    pair.same('SELECT g, sum(v), rank() OVER (ORDER BY sum(v) DESC), sum(sum(v)) OVER (ORDER BY g) FROM s GROUP BY g ORDER BY g');
    pair.same('SELECT g, count(*) OVER () FROM s GROUP BY g HAVING count(*) > 2 ORDER BY g');
    pair.same('SELECT count(*) OVER (), row_number() OVER () FROM e');
    pair.same('SELECT count(*) OVER () FROM t WHERE 0');
    pair.same('SELECT sum(x) OVER (), count(*) FROM e');
    pair.same('SELECT s.*, ntile(2) OVER (PARTITION BY g ORDER BY id) AS tile FROM s ORDER BY id');
    pair.same('SELECT id, v, lag(v) OVER win IS NULL AS first FROM s WINDOW win AS (PARTITION BY g ORDER BY id) ORDER BY id');
    pair.same('SELECT x.id, row_number() OVER (ORDER BY y.id DESC) FROM s AS x JOIN s AS y ON x.id = y.id + 1 ORDER BY 1');
    pair.same('SELECT * FROM (SELECT id, rank() OVER (PARTITION BY g ORDER BY v) AS r FROM s) WHERE r = 1 ORDER BY id');
    pair.same('SELECT id, sum(id) OVER (ORDER BY id ROWS ? PRECEDING) FROM s ORDER BY id', 2);
    pair.same("SELECT id, group_concat(g) OVER (ORDER BY g COLLATE NOCASE, id) FROM s ORDER BY id");
    pair.same('CREATE VIEW wv AS SELECT id, v, rank() OVER (ORDER BY v DESC) AS r FROM s');
    pair.same('SELECT * FROM wv ORDER BY id');
    pair.same('SELECT wv.id, wv.r, t.b FROM wv JOIN t ON t.a = wv.id ORDER BY 1');
    pair.same('SELECT a, json_group_array(a) OVER (ORDER BY a), json_group_object(a, b) OVER () FROM t');
    pair.same('SELECT a, ntile(a) OVER (), ntile(1.5) OVER (), ntile(\'2\') OVER (ORDER BY a) FROM t');
  });
});

test('RANGE bounds and sliding sums use SQLite\'s floating-point arithmetic', () => {
  withPair((pair) => {
    pair.same('CREATE TABLE r(x)');
    pair.same('INSERT INTO r VALUES (0.1), (0.1 + 1), (0.2), (0.2 + 1)');
    pair.same("INSERT INTO r WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 60) SELECT i * 0.1 + 1e15 * (i % 3 = 0) FROM c");
    for (const direction of ['', ' DESC']) {
      for (const frame of ['1 PRECEDING AND CURRENT ROW', 'CURRENT ROW AND 1 FOLLOWING', '2 PRECEDING AND 1 PRECEDING', '1 FOLLOWING AND 2 FOLLOWING', '1 PRECEDING AND 1 PRECEDING', '0.5 FOLLOWING AND 1.5 FOLLOWING']) {
        pair.same(`SELECT x, count(*) OVER w, sum(x) OVER w, group_concat(x, ' ') OVER w FROM r WINDOW w AS (ORDER BY x${direction} RANGE BETWEEN ${frame}) ORDER BY x`);
      }
    }
    for (const frame of ['ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING', 'ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING', 'ROWS BETWEEN 5 FOLLOWING AND 9 FOLLOWING', 'GROUPS BETWEEN 2 PRECEDING AND 1 FOLLOWING']) {
      pair.same(`SELECT x, sum(x) OVER w, total(x) OVER w, avg(x) OVER w, count(x) OVER w FROM r WINDOW w AS (ORDER BY rowid ${frame}) ORDER BY rowid`);
    }
  });
});

test('errors use SQLite wording', () => {
  withPair((pair) => {
    for (const sql of [
      'SELECT a, sum(a) OVER (w ORDER BY b) FROM t WINDOW w AS (ORDER BY a)',
      'SELECT a, sum(a) OVER (w ROWS 1 PRECEDING) FROM t WINDOW w AS (ROWS 2 PRECEDING)',
      'SELECT a, sum(a) OVER (w) FROM t WINDOW w AS (ORDER BY a ROWS 1 PRECEDING)',
      'SELECT a, sum(a) OVER (w PARTITION BY b) FROM t WINDOW w AS (ORDER BY a)',
      'SELECT a, sum(a) OVER (x) FROM t',
      'SELECT a, sum(a) OVER x FROM t',
      'SELECT a, row_number() FROM t',
      'SELECT a, row_number(a) OVER () FROM t',
      'SELECT a, rank(1) OVER () FROM t',
      'SELECT a, lag() OVER () FROM t',
      'SELECT a, lag(a, 1, 2, 3) OVER () FROM t',
      'SELECT a, ntile(0) OVER () FROM t',
      'SELECT a, ntile(NULL) OVER () FROM t',
      'SELECT a, nth_value(a, 0) OVER () FROM t',
      'SELECT a, nth_value(a, 1.5) OVER () FROM t',
      'SELECT a, sum(a) OVER (ROWS -1 PRECEDING) FROM t',
      'SELECT a, sum(a) OVER (ROWS 1.5 PRECEDING) FROM t',
      'SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND -1 FOLLOWING) FROM t',
      'SELECT a, sum(a) OVER (ORDER BY a GROUPS BETWEEN 1 PRECEDING AND NULL FOLLOWING) FROM t',
      'SELECT a, sum(a) OVER (ORDER BY a RANGE 1.5 PRECEDING) FROM t',
      "SELECT a, sum(a) OVER (ORDER BY a RANGE 'x' PRECEDING) FROM t",
      'SELECT a, sum(a) OVER (RANGE 1 PRECEDING) FROM t',
      'SELECT a, sum(a) OVER (ORDER BY a, b RANGE 1 PRECEDING) FROM t',
      'SELECT a, sum(a) OVER (ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t',
      'SELECT a, sum(a) OVER (ROWS 1 FOLLOWING) FROM t',
      'SELECT a, sum(a) OVER (ROWS BETWEEN 2 FOLLOWING AND CURRENT ROW) FROM t',
      'SELECT a FROM t WHERE sum(a) OVER () > 1',
      'SELECT a, sum(sum(a) OVER ()) FROM t',
      'SELECT a, sum(a) OVER (ORDER BY sum(a) OVER ()) FROM t',
      'SELECT a, row_number() OVER () FROM t GROUP BY row_number() OVER ()',
      'SELECT a FROM t GROUP BY a HAVING row_number() OVER () > 0',
      'SELECT a, row_number() FILTER (WHERE a > 1) OVER () FROM t',
      'SELECT a, sum(DISTINCT a) OVER () FROM t',
      'SELECT a, abs(a) OVER () FROM t',
      'SELECT a, nosuch(a) OVER () FROM t',
      'SELECT a, sum(a, a) OVER () FROM t',
      'SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN a PRECEDING AND CURRENT ROW) FROM t',
      'SELECT sum(a) OVER (ROWS 100000000000000000000 PRECEDING) FROM t',
    ]) {
      pair.same(sql);
    }
  });
});
