/**
 * The fixed database every differential query runs against, and what the
 * query generator knows about it.
 *
 * Three small tables cover each column affinity (INTEGER, REAL, TEXT,
 * BLOB/none, NUMERIC), NOCASE and RTRIM collations, an INTEGER PRIMARY KEY
 * table, a WITHOUT ROWID table, single-column, multi-column, DESC and
 * partial indexes, and rows holding NULLs, int64 edges, reals, texts that
 * look like numbers and blobs. The data never changes: regression cases
 * replay against exactly this script.
 *
 * Beside the SQL, each column carries the facts the generator needs to keep
 * results deterministic: whether two values that compare equal in the column
 * are always identical (`canonical`), how integral numbers are stored
 * (`domain`), and whether summing it is independent of row order
 * (`summable`: no int64 edges whose partial sums could overflow).
 */

/** How integral numbers appear in an expression's results: as INTEGER, as REAL, never, or either. */
export type NumericDomain = 'int' | 'real' | 'other' | 'mixed';

export type Collation = 'BINARY' | 'NOCASE' | 'RTRIM';

export interface ColumnInfo {
  readonly name: string;
  readonly collation: Collation;
  /** Equal values under the column's collation are identical values of one storage class. */
  readonly canonical: boolean;
  readonly domain: NumericDomain;
  readonly summable: boolean;
  /** Leads an index (or is the rowid/primary key), so predicates on it exercise the planner. */
  readonly indexed: boolean;
}

export interface TableInfo {
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  /** A column (or `rowid`) whose values are unique and identical when equal: the ordering tiebreaker. */
  readonly key: string;
}

function column(name: string, collation: Collation, canonical: boolean, domain: NumericDomain, summable: boolean, indexed: boolean): ColumnInfo {
  return { name, collation, canonical, domain, summable, indexed };
}

export const tables: readonly TableInfo[] = [
  {
    name: 't1',
    key: 'rowid',
    columns: [
      column('a', 'BINARY', true, 'int', false, true),
      column('b', 'BINARY', true, 'real', true, true),
      column('c', 'BINARY', true, 'other', true, true),
      column('d', 'BINARY', true, 'int', false, false),
      column('e', 'BINARY', true, 'int', true, false),
      column('f', 'NOCASE', false, 'other', true, true),
      column('g', 'RTRIM', false, 'other', true, true),
    ],
  },
  {
    name: 't2',
    key: 'id',
    columns: [
      column('id', 'BINARY', true, 'int', false, true),
      column('a', 'BINARY', true, 'int', true, true),
      column('c', 'BINARY', true, 'other', true, false),
      column('x', 'BINARY', true, 'int', false, false),
      column('y', 'NOCASE', false, 'other', true, true),
      column('z', 'BINARY', false, 'mixed', true, true),
    ],
  },
  {
    name: 't3',
    key: 'k',
    columns: [
      column('k', 'BINARY', true, 'other', true, true),
      column('a', 'BINARY', true, 'int', true, true),
      column('v', 'BINARY', true, 'real', true, true),
      column('w', 'BINARY', true, 'int', true, false),
      column('s', 'RTRIM', false, 'other', true, false),
    ],
  },
];

export const schemaSql = `
CREATE TABLE t1(a INTEGER, b REAL, c TEXT, d BLOB, e NUMERIC, f TEXT COLLATE NOCASE, g TEXT COLLATE RTRIM);
CREATE INDEX t1_a ON t1(a);
CREATE INDEX t1_ce ON t1(c, e);
CREATE INDEX t1_f ON t1(f);
CREATE INDEX t1_g ON t1(g DESC, a);
CREATE INDEX t1_b_positive ON t1(b) WHERE b > 0;
INSERT INTO t1 VALUES
  (1, 1.5, 'abc', 1, 12, 'abc', 'abc'),
  (2, -2.5, 'ABC', 'abc', '12', 'ABC', 'abc '),
  (3, 0.5, '12', '12', ' 3', 'Abc', 'ABC'),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (9223372036854775807, 1e300, ' 3', x'00', '1e2', 'x_y', 'x_y'),
  (-9223372036854775808, -1e300, '1e2', x'616263', 3.0, '', ''),
  (0, 0.0, '', '', 'abc', 'a%b', ' '),
  (-1, 100, 'a%b', 2.5, 100, 'ABC ', 'abc'),
  (12, '12', 'x_y', -7, -0.5, '12', '12 '),
  (' 3', ' 3', '3.0', ' 3', '3.0', ' 3', ' 3'),
  ('1e2', '1e2', 'abc ', 9223372036854775807, x'01', 'abc ', 'Abc'),
  (1.5, 3, NULL, NULL, 4294967296, NULL, NULL),
  ('abc', 'abc', '0', 0, 0, 'B', 'b'),
  (4294967296, 3.14, 'b', 'b', -1, 'b', 'B'),
  (100, NULL, 'B', 1, NULL, 'a', 'a  '),
  (7, 7.0, '7', 'x', '7.0', '7', '7');

CREATE TABLE t2(id INTEGER PRIMARY KEY, a INT, c VARCHAR(10), x NUMERIC, y TEXT COLLATE NOCASE, z);
CREATE INDEX t2_ax ON t2(a, x);
CREATE INDEX t2_y ON t2(y);
CREATE INDEX t2_z_present ON t2(z) WHERE z IS NOT NULL;
INSERT INTO t2 VALUES
  (1, 1, 'abc', 1, 'abc', 1),
  (2, 2, 'ABC', '1', 'ABC', '1'),
  (3, 3, '12', 12, 'x', 1.0),
  (5, NULL, NULL, NULL, NULL, NULL),
  (8, -1, ' 3', 2.5, ' 3', 'abc'),
  (13, 100, '1e2', '1e2', 'b', x'00'),
  (-5, 12, 'x_y', -3, 'B', 12),
  (100, 7, '', 0, '', ''),
  (9223372036854775807, 0, 'abc ', 'abc', 'abc ', 'ABC'),
  (21, 3, 'b', 3.5, 'a', -2.5),
  (34, 1, '0', 9223372036854775807, 'Abc', '12'),
  (55, 2, 'a%b', -9223372036854775808, 'a%b', 2);

CREATE TABLE t3(k TEXT PRIMARY KEY, a INTEGER, v DOUBLE, w NUMERIC, s TEXT COLLATE RTRIM) WITHOUT ROWID;
CREATE INDEX t3_a ON t3(a);
CREATE INDEX t3_vw ON t3(v, w);
INSERT INTO t3 VALUES
  ('a', 1, 1.5, 1, 'a'),
  ('A', 2, 2, '2', 'A '),
  ('b', NULL, NULL, NULL, NULL),
  ('12', 12, 12.0, '12.0', '12'),
  (' 3', 3, ' 3', ' 3', ' 3'),
  ('', 0, -0.5, 'abc', ''),
  ('abc', 100, 1e2, 1e2, 'abc  '),
  ('x_y', -1, 3.25, -1, 'x_y'),
  ('zz', 7, NULL, 7.5, 'zz'),
  ('1e2', 2, 'abc', x'00', 'b');
`;
