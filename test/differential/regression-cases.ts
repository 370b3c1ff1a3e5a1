/**
 * Every mismatch the differential test found between Shoal and SQLite, as a
 * statement over the fixture database (fixture-schema.ts) and SQLite's
 * answer, rows in outcome.ts's encoding (`12` INTEGER, `12.0` REAL, `"12"`
 * TEXT, `x'..'` BLOB, `NULL`) in the order the statement fixes, or the error
 * as `CODE: message`. `cause` says what Shoal did wrong.
 *
 * Cases marked `sqliteBug` are ones where SQLite 3.53.0 itself is wrong:
 * `expected` is the correct answer (Shoal's), and the generator steers clear
 * of the shape so the differential test does not trip on it.
 */

export interface RegressionCase {
  readonly cause: string;
  readonly sql: string;
  readonly expected: readonly string[] | { readonly error: string };
  /** SQLite 3.53.0 answers this statement wrongly; `expected` is the correct answer. */
  readonly sqliteBug?: true;
}

export const regressionCases: readonly RegressionCase[] = [
  {
    cause: 'A negative integer literal is one constant: -9223372036854775808 is the smallest INTEGER (was REAL)',
    sql: 'SELECT -9223372036854775808, typeof(-9223372036854775808), -(9223372036854775808), - -9223372036854775808',
    expected: ['-9223372036854775808 | "integer" | -9223372036854775808 | 9223372036854776000.0'],
  },
  {
    cause: '-0.0 is a negative-zero REAL literal (was 0.0)',
    sql: 'SELECT -0.0, typeof(-0.0), -0.0 = 0',
    expected: ['-0.0 | "real" | 1'],
  },
  {
    cause: "Negating the smallest hex literal is SQLite's 'hex literal too big'",
    sql: 'SELECT -0x8000000000000000',
    expected: { error: 'SQLITE_ERROR: hex literal too big: -0x8000000000000000' },
  },
  {
    cause: 'Rows inserted with -9223372036854775808 store the INTEGER',
    sql: 'SELECT t1.a, typeof(t1.a), t2.x, typeof(t2.x) FROM t1, t2 WHERE t1.rowid = 6 AND t2.id = 55',
    expected: ['-9223372036854775808 | "integer" | -9223372036854775808 | "integer"'],
  },
  {
    cause: 'Integer literals beyond 32 bits in ORDER BY are expressions, not ordinals',
    sql: 'SELECT 5 ORDER BY 4294967296',
    expected: ['5'],
  },
  {
    cause: 'A negative-zero literal beyond 32 bits in ORDER BY is an expression too',
    sql: 'SELECT 5 ORDER BY -9223372036854775808',
    expected: ['5'],
  },
  {
    cause: 'Signs stack on an ORDER BY ordinal (+-1 is -1: out of range)',
    sql: 'SELECT 5 ORDER BY +-1',
    expected: { error: 'SQLITE_ERROR: 1st ORDER BY term out of range - should be between 1 and 1' },
  },
  {
    cause: "A literal IS NULL is folded to 0 by SQLite's parser, which makes it an ORDER BY ordinal",
    sql: "SELECT 5 ORDER BY ('a' ISNULL)",
    expected: { error: 'SQLITE_ERROR: 1st ORDER BY term out of range - should be between 1 and 1' },
  },
  {
    cause: '... and a GROUP BY ordinal',
    sql: 'SELECT 5 GROUP BY (1 IS NULL)',
    expected: { error: 'SQLITE_ERROR: 1st GROUP BY term out of range - should be between 1 and 1' },
  },
  {
    cause: 'A qualified column is ambiguous when two FROM items share the name',
    sql: 'SELECT t1.a FROM t1, t1',
    expected: { error: 'SQLITE_ERROR: ambiguous column name: t1.a' },
  },
  {
    cause: '... unless only one of them has the column',
    sql: 'SELECT count(x.b) FROM t1 AS x, t2 AS x',
    expected: ['168'],
  },
  {
    cause: '* over two FROM tables with one name is ambiguous (main.t.col)',
    sql: 'SELECT * FROM t1, t1',
    expected: { error: 'SQLITE_ERROR: ambiguous column name: main.t1.a' },
  },
  {
    cause: '* over two subqueries with one name is ambiguous (*.x.col)',
    sql: 'SELECT * FROM (SELECT 1 AS a) AS x, (SELECT 2 AS a) AS x',
    expected: { error: 'SQLITE_ERROR: ambiguous column name: *.x.a' },
  },
  {
    cause: '* over a subquery and a table with one name is not ambiguous',
    sql: 'SELECT count(*) FROM (SELECT * FROM (SELECT 1 AS a) AS x, t1 AS x)',
    expected: ['16'],
  },
  {
    cause: "A WHERE term whose subquery reads a later join loop's table waits for that loop (was a crash reading an unpositioned cursor)",
    sql: 'SELECT count(*) FROM t1 JOIN t3 ON t1.g >= t3.v WHERE 12 IN (SELECT sq0.a FROM t3 AS sq0 WHERE sq0.a <= t3.a)',
    expected: ['23'],
  },
  {
    cause: 'USING columns count as read when choosing a covering index (was a read past the index record)',
    sql: 'SELECT t2.x, t1.b FROM t2 JOIN t1 USING (c, a) ORDER BY t2.id',
    expected: ['-3 | 12.0', '1 | 1.5', '1 | -2.5', '12 | 0.5'],
  },
  {
    cause: 'NATURAL joins read every column when choosing a covering index',
    sql: 'SELECT DISTINCT t1.c FROM t2 NATURAL JOIN t1 ORDER BY 1',
    expected: ['"12"', '"ABC"', '"abc"', '"x_y"'],
  },
  {
    cause: "A BINARY column on the left of a comparison decides its collation over the right column's NOCASE",
    sql: 'SELECT count(*) FROM t1 x, t1 y WHERE x.c = y.f',
    expected: ['11'],
  },
  {
    cause: '... through unary + as well',
    sql: 'SELECT count(*) FROM t1 x, t1 y WHERE +x.c = y.f',
    expected: ['11'],
  },
  {
    cause: '... and through CAST',
    sql: 'SELECT count(*) FROM t1 x, t1 y WHERE CAST(x.c AS TEXT) = y.f',
    expected: ['11'],
  },
  {
    cause: 'A scalar subquery carries no collation',
    sql: "SELECT count(*) FROM t1 x WHERE (SELECT y.f FROM t1 y WHERE y.rowid = 1) = 'ABC'",
    expected: ['0'],
  },
  {
    cause: "x IN (list) compares under x's affinity only",
    sql: "SELECT '12' IN (a), a IN ('12', b), '12' = a FROM t1 WHERE rowid = 9",
    expected: ['0 | 1 | 1'],
  },
  {
    cause: "x IN (list) compares under x's collation only",
    sql: "SELECT 'abc' IN (f, 1), 'abc' = f FROM t1 WHERE rowid = 2",
    expected: ['0 | 1'],
  },
  {
    cause: "x IN (constant) is x = +constant, so the constant's COLLATE counts",
    sql: "SELECT c IN ('abc' COLLATE NOCASE), c IN ('abc' COLLATE NOCASE, 1) FROM t1 WHERE rowid = 2",
    expected: ['1 | 0'],
  },
  {
    cause: "An IN list on an indexed column probes with the column's affinity",
    sql: 'SELECT rowid FROM t1 WHERE c IN (12, 0) ORDER BY rowid',
    expected: ['3', '13'],
  },
  {
    cause: 'Text with an embedded NUL: arithmetic reads the number before the NUL as REAL, numeric affinity as the number',
    sql: "SELECT ('5' || x'00') + 0, sum('5' || x'00'), 13 % ('100' || x'00' || '1e2'), ('5' || x'00' || 'a') + 0",
    expected: ['5.0 | 5 | 13.0 | 5.0'],
  },
  {
    cause: 'replace() treats a pattern starting with NUL as empty',
    sql: "SELECT replace('abc', x'00', NULL), replace('abc', x'0061', 'z')",
    expected: ['"abc" | "abc"'],
  },
  {
    cause: 'A compound subquery column of REAL affinity hands out integers as REAL',
    sql: "SELECT p FROM (SELECT t3.v AS p FROM t3 WHERE k = 'a' UNION ALL SELECT 2)",
    expected: ['1.5', '2.0'],
  },
  {
    cause: '... whichever arm supplies the affinity',
    sql: "WITH u(p) AS (SELECT 2 UNION ALL SELECT t3.v FROM t3 WHERE k = 'a') SELECT p FROM u",
    expected: ['2.0', '1.5'],
  },
  {
    cause: '... but not when a text arm demotes it to BLOB',
    sql: "SELECT p FROM (SELECT t3.v AS p FROM t3 WHERE k = 'a' UNION ALL SELECT '2')",
    expected: ['1.5', '"2"'],
  },
  {
    cause: '... nor after a multi-row VALUES arm, which may yield anything',
    sql: "SELECT p FROM (SELECT t3.v AS p FROM t3 WHERE k = 'a' UNION ALL VALUES (12), (13))",
    expected: ['1.5', '12', '13'],
  },
  {
    cause: "... and a CASE arm's kinds come from its branches' columns",
    sql: "SELECT p FROM (SELECT CASE WHEN k = 'a' THEN 100 ELSE t3.w END AS p FROM t3 WHERE k IN ('a', 'b') UNION ALL SELECT t3.v FROM t3 WHERE k = 'a')",
    expected: ['100.0', 'NULL', '1.5'],
  },
  {
    cause: 'A table or CTE called with arguments is not a function',
    sql: 'WITH d AS (SELECT 1) SELECT * FROM d(1)',
    expected: { error: "SQLITE_ERROR: 'd' is not a function" },
  },
  {
    cause: '... nor is a table',
    sql: 'SELECT * FROM t1(1)',
    expected: { error: "SQLITE_ERROR: 't1' is not a function" },
  },
  {
    cause: 'An unknown ORDER BY collation is SQLITE_ERROR_MISSING_COLLSEQ',
    sql: 'SELECT a FROM t1 ORDER BY a COLLATE nosuch',
    expected: { error: 'SQLITE_ERROR_MISSING_COLLSEQ: no such collation sequence: nosuch' },
  },
  {
    cause: '... a leading multi-row VALUES counts row by row',
    sql: 'WITH u(p) AS (VALUES (1e300), (12) UNION ALL SELECT CAST(-1 AS FLOAT)) SELECT p FROM u',
    expected: ['1e+300', '12.0', '-1.0'],
  },
  {
    cause: '... and only a left-most CAST makes it FLEXNUM',
    sql: 'WITH u(p) AS (SELECT 7 UNION ALL SELECT CAST(NULL AS REAL)) SELECT p FROM u',
    expected: ['7.0', 'NULL'],
  },
  {
    cause: '... a LIKE arm may yield any kind of value (it is a function call)',
    sql: "SELECT p FROM (SELECT t3.v AS p FROM t3 WHERE k = 'a' UNION ALL SELECT 'a' LIKE 'a')",
    expected: ['1.5', '1'],
  },
  {
    cause: "An explicit COLLATE on the subquery column of x IN (SELECT ...) outranks x's column collation",
    sql: 'SELECT c IN (SELECT (g COLLATE RTRIM) FROM t1 WHERE rowid = 2) FROM t1 WHERE rowid = 1',
    expected: ['1'],
  },
  {
    cause: "AND with a literal 0 or an empty IN list is folded to 0 by SQLite's parser, an ORDER BY ordinal",
    sql: 'SELECT 5 ORDER BY (7 AND (1 IN ()))',
    expected: { error: 'SQLITE_ERROR: 1st ORDER BY term out of range - should be between 1 and 1' },
  },
  {
    cause: 'x IS TRUE / IS FALSE is a truth test (was a comparison with 1 / 0)',
    sql: "SELECT 100 IS TRUE, 100 IS NOT TRUE, 'abc' IS FALSE, 100 IS (1 IN ())",
    expected: ['1 | 0 | 1 | 0'],
  },
  {
    cause: '... and an empty NOT IN () on the right of IS is TRUE',
    sql: 'SELECT count(*) FROM t3 LEFT JOIN t2 ON t3.v >= t2.id WHERE 100 IS NOT DISTINCT FROM (t2.z NOT IN ())',
    expected: ['45'],
  },
  {
    cause: "SQLite 3.53.0 drops the unmatched rows of a LEFT JOIN whose ON clause has a LIKE it can answer from a NOCASE index (only t3 row '12' matches; all 10 must stay)",
    sql: "SELECT count(*) FROM t3 LEFT JOIN t1 ON t3.a IS t1.c AND t1.f LIKE 'a%'",
    expected: ['10'],
    sqliteBug: true,
  },
  {
    cause: "SQLite 3.53.0 ignores OFFSET when it turns a correlated EXISTS into a join (it answers '' and ' 3', the first two rows)",
    sql: 'SELECT t3.k FROM t3 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.id < t3.w) ORDER BY t3.k LIMIT 2 OFFSET 2',
    expected: ['"12"', '"1e2"'],
    sqliteBug: true,
  },
];
