/**
 * The schema model: what the compiler knows about each table, index, view
 * and trigger of one database, built from the CREATE statements stored in
 * `sqlite_schema`.
 *
 * The model mirrors SQLite's own bookkeeping so the compiler can lay out
 * records exactly as SQLite does:
 *  - a rowid table stores every column in declaration order; an INTEGER
 *    PRIMARY KEY column is an alias of the rowid and is stored as NULL;
 *  - a WITHOUT ROWID table is its primary-key index: the record holds the
 *    primary-key columns first, then the remaining columns in declaration
 *    order (`ColumnSchema.storage` gives each column's record position);
 *  - an index record holds the indexed terms, then the row's key: the rowid
 *    for a rowid table, or the primary-key columns not already indexed for a
 *    WITHOUT ROWID table (`IndexSchema.keyColumns`).
 * Objects are immutable once built; a schema change builds a new `Schema`.
 */
import type { CreateTableStmt, CreateTriggerStmt, Expr, SelectStmt } from '../sql/ast.js';
import type { Affinity } from '../exec/values/affinity.js';
import type { ConflictResolution } from '../sql/ast.js';

export interface ColumnSchema {
  readonly name: string;
  /** Declared type text as written (`VARCHAR(10)`), or '' when none. */
  readonly declaredType: string;
  readonly affinity: Affinity;
  /** Collation name (`BINARY` unless declared). */
  readonly collation: string;
  readonly notNull: boolean;
  readonly notNullConflict: ConflictResolution | null;
  /** DEFAULT expression, or null. */
  readonly defaultExpr: Expr | null;
  /** Source text of the DEFAULT value as pragma table_info reports it. */
  readonly defaultText: string | null;
  /** SQL text the defaultExpr was parsed from (spans index into it). */
  readonly defaultSource: string;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly primaryKeyPosition: number;
  /** Position of this column in the table's record. */
  readonly storage: number;
  /** Generated column (`AS (expr)`): not supported for writes beyond being hidden from INSERT. */
  readonly hidden: boolean;
}

export interface CheckConstraint {
  /** `CONSTRAINT name`, or null (the message then shows the expression text). */
  readonly name: string | null;
  readonly expr: Expr;
  /** The expression's source text, used in "CHECK constraint failed: ..." */
  readonly text: string;
}

/** One term of an index: a table column, the rowid, or an expression. */
export interface IndexTerm {
  /** Table column index; -1 for the rowid; -2 for an expression term. */
  readonly column: number;
  readonly expr: Expr | null;
  readonly collation: string;
  readonly descending: boolean;
  /** Name shown by pragma index_info (null for expressions). */
  readonly name: string | null;
}

export interface IndexSchema {
  readonly name: string;
  readonly tableName: string;
  /** The user-visible terms (what the index is "on"). */
  readonly terms: readonly IndexTerm[];
  /**
   * Every term of the index record: `terms` followed by the row key (the
   * rowid, or the primary-key columns of a WITHOUT ROWID table not in terms).
   */
  readonly keyTerms: readonly IndexTerm[];
  readonly unique: boolean;
  readonly onConflict: ConflictResolution | null;
  /** 'c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' PRIMARY KEY constraint (pragma index_list origin). */
  readonly origin: 'c' | 'u' | 'pk';
  readonly where: Expr | null;
  /** Text the `where`/expression terms were parsed from. */
  readonly source: string;
  rootPage: number;
  /** Stored SQL (null for automatic indexes). */
  readonly sql: string | null;
}

export interface TableSchema {
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  /** Index of the INTEGER PRIMARY KEY column (rowid alias), or -1. */
  readonly rowidAlias: number;
  readonly withoutRowid: boolean;
  readonly autoincrement: boolean;
  /** Primary key column indexes in key order (empty for an implicit rowid key). */
  readonly primaryKey: readonly number[];
  readonly primaryKeyConflict: ConflictResolution | null;
  readonly checks: readonly CheckConstraint[];
  /** Indexes on this table, in creation order (for WITHOUT ROWID, the PK index is `primaryIndex`). */
  readonly indexes: IndexSchema[];
  /** For WITHOUT ROWID tables: the primary-key index whose b-tree holds the rows. */
  readonly primaryIndex: IndexSchema | null;
  rootPage: number;
  readonly sql: string;
  /** True for sqlite_schema and sqlite_sequence-like internal tables created by the engine. */
  readonly internal: boolean;
  /** The AST the table came from (null for the built-in sqlite_schema). */
  readonly definition: CreateTableStmt | null;
}

export interface ViewSchema {
  readonly name: string;
  readonly columnNames: readonly string[] | null;
  readonly select: SelectStmt;
  /** The SQL text the select's spans index into. */
  readonly source: string;
  readonly sql: string;
}

export interface TriggerSchema {
  readonly name: string;
  readonly tableName: string;
  readonly definition: CreateTriggerStmt;
  readonly source: string;
  readonly sql: string;
}
