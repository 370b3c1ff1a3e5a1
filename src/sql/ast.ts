/**
 * AST: the tree the SQL parser produces for SQLite's dialect.
 *
 * Every node is a plain object with a `kind` discriminant and the half-open
 * source range `[start, end)` it was parsed from, as UTF-16 offsets into the
 * string handed to the parser (the whole script, not just one statement).
 * `sqlText(sql, node)` recovers the exact text of any node; that is how
 * callers get what SQLite keeps verbatim: the text of CREATE statements for
 * `sqlite_schema`, declared type names, and the names of unaliased result
 * columns (see `ResultExpr.nameEnd`).
 *
 * Span conventions:
 * - A parenthesised expression has no node of its own; the inner node's span
 *   is widened to cover the parentheses, so `(a+1)` spans all five chars.
 * - A statement's span excludes its terminating `;`.
 *
 * What the parser does and does not decide:
 * - Names are kept as written (dequoted, case preserved) with a `quoted` flag;
 *   nothing is resolved. `true` and `false` parse as `ColumnRef`s, exactly as
 *   in SQLite, where they mean the boolean constants only when no column of
 *   that name is in scope (`ColumnRef.column.quoted === false` and the name
 *   matches case-insensitively). Only in `DEFAULT true` is the boolean
 *   decided by the parser (a `Literal` of type `boolean`).
 * - Literals keep their source text; numeric values are not converted.
 * - `x IS NULL` / `x IS NOT NULL` become `NullTest`, as in SQLite.
 * - `x IN ((SELECT ...))` becomes `InSelect`, as in SQLite.
 * - Parameters are numbered the way SQLite numbers them (see `Parameter`).
 * - `==` is reported as `=`, `<>` as `!=`, `IS NOT DISTINCT FROM` as `IS` and
 *   `IS DISTINCT FROM` as `IS NOT`: the source text still shows the spelling.
 */

/** A half-open range of source offsets. */
export interface Span {
  start: number;
  end: number;
}

/** The exact source text of a node (or any span) within the parsed string. */
export function sqlText(sql: string, span: Span): string {
  return sql.slice(span.start, span.end);
}

// ---------------------------------------------------------------------------
// Names

/**
 * A name: table, column, index, collation, function, savepoint, ...
 * `name` is dequoted (`"a""b"` → `a"b`, `[x y]` → `x y`) with its case kept.
 * A name written as a string literal (`CREATE TABLE 'x'`) has `quoted: true`.
 */
export interface Identifier extends Span {
  kind: 'Identifier';
  name: string;
  quoted: boolean;
}

// ---------------------------------------------------------------------------
// Expressions

export type Expr =
  | Literal
  | CurrentTime
  | ColumnRef
  | Parameter
  | UnaryExpr
  | BinaryExpr
  | LikeExpr
  | BetweenExpr
  | NullTest
  | InList
  | InSelect
  | InTable
  | ExistsExpr
  | SubqueryExpr
  | CaseExpr
  | CastExpr
  | CollateExpr
  | FunctionCall
  | VectorExpr
  | RaiseExpr;

/**
 * A literal value. `text` is the token exactly as written (`0x1F`, `1_000`,
 * `'it''s'`, `X'AB'`, `NULL`). `value` is the decoded form: strings dequoted,
 * blobs as their hex digits, numbers with digit separators removed, `NULL`
 * for null, `true`/`false` for booleans.
 */
export interface Literal extends Span {
  kind: 'Literal';
  type: 'integer' | 'float' | 'string' | 'blob' | 'null' | 'boolean';
  text: string;
  value: string;
}

/** CURRENT_DATE, CURRENT_TIME or CURRENT_TIMESTAMP (evaluated once per statement). */
export interface CurrentTime extends Span {
  kind: 'CurrentTime';
  keyword: 'CURRENT_DATE' | 'CURRENT_TIME' | 'CURRENT_TIMESTAMP';
}

/** `column`, `table.column` or `schema.table.column`. */
export interface ColumnRef extends Span {
  kind: 'ColumnRef';
  schema: Identifier | null;
  table: Identifier | null;
  column: Identifier;
}

/**
 * A bound parameter. `index` is SQLite's 1-based parameter number: `?` takes
 * the next number, `?NNN` takes NNN, and a named parameter (`:a`, `@a`, `$a`)
 * reuses the number of an earlier one with the same text or else takes the
 * next. `name` is the full text for named and `?NNN` parameters, null for `?`.
 */
export interface Parameter extends Span {
  kind: 'Parameter';
  text: string;
  index: number;
  name: string | null;
}

export interface UnaryExpr extends Span {
  kind: 'Unary';
  op: '-' | '+' | '~' | 'NOT';
  operand: Expr;
}

export type BinaryOperator =
  | 'OR' | 'AND'
  | '=' | '!=' | 'IS' | 'IS NOT'
  | '<' | '<=' | '>' | '>='
  | '&' | '|' | '<<' | '>>'
  | '+' | '-'
  | '*' | '/' | '%'
  | '||' | '->' | '->>';

export interface BinaryExpr extends Span {
  kind: 'Binary';
  op: BinaryOperator;
  left: Expr;
  right: Expr;
}

/** `left [NOT] LIKE|GLOB|MATCH|REGEXP right [ESCAPE escape]`. */
export interface LikeExpr extends Span {
  kind: 'Like';
  op: 'LIKE' | 'GLOB' | 'MATCH' | 'REGEXP';
  not: boolean;
  left: Expr;
  right: Expr;
  escape: Expr | null;
}

/** `expr [NOT] BETWEEN low AND high`. */
export interface BetweenExpr extends Span {
  kind: 'Between';
  not: boolean;
  expr: Expr;
  low: Expr;
  high: Expr;
}

/** `expr ISNULL`, `expr IS NULL` (not = false); `NOTNULL`, `NOT NULL`, `IS NOT NULL` (not = true). */
export interface NullTest extends Span {
  kind: 'NullTest';
  not: boolean;
  expr: Expr;
}

/**
 * `expr [NOT] IN (list)`; `list` may be empty. SQLite evaluates a list of
 * one constant item as `expr = +item` (so no affinity is applied to the
 * item) and an empty list as false (true for NOT IN) without evaluating
 * `expr` unless it contains a function call; the compiler should match.
 */
export interface InList extends Span {
  kind: 'InList';
  not: boolean;
  expr: Expr;
  list: Expr[];
}

/** `expr [NOT] IN (SELECT ...)`. */
export interface InSelect extends Span {
  kind: 'InSelect';
  not: boolean;
  expr: Expr;
  select: SelectStmt;
}

/** `expr [NOT] IN [schema.]table` or `IN [schema.]tablefunc(args)`. */
export interface InTable extends Span {
  kind: 'InTable';
  not: boolean;
  expr: Expr;
  schema: Identifier | null;
  table: Identifier;
  /** Arguments of a table-valued function, null when written without parentheses. */
  args: Expr[] | null;
}

/** `EXISTS (SELECT ...)`; `NOT EXISTS` is a `Unary` NOT around it. */
export interface ExistsExpr extends Span {
  kind: 'Exists';
  select: SelectStmt;
}

/** A scalar subquery `(SELECT ...)`. */
export interface SubqueryExpr extends Span {
  kind: 'Subquery';
  select: SelectStmt;
}

export interface CaseWhen extends Span {
  kind: 'CaseWhen';
  when: Expr;
  then: Expr;
}

export interface CaseExpr extends Span {
  kind: 'Case';
  operand: Expr | null;
  whens: CaseWhen[];
  else: Expr | null;
}

export interface CastExpr extends Span {
  kind: 'Cast';
  expr: Expr;
  /** Null for `CAST(x AS)` (an empty type name, which SQLite accepts). */
  type: TypeName | null;
}

export interface CollateExpr extends Span {
  kind: 'Collate';
  expr: Expr;
  collation: Identifier;
}

/**
 * A function call, including aggregate and window forms:
 * `f(args)`, `f(DISTINCT x)`, `count(*)`, `f(x ORDER BY y)`,
 * `f(x) FILTER (WHERE c)`, `f(x) OVER w`, `f(x) OVER (...)`.
 * Infix LIKE/GLOB and `->` are not FunctionCalls here (see LikeExpr, BinaryExpr).
 */
export interface FunctionCall extends Span {
  kind: 'FunctionCall';
  name: Identifier;
  /** `DISTINCT`, `ALL`, or null when neither keyword was written. */
  quantifier: 'DISTINCT' | 'ALL' | null;
  /** True for `f(*)`; `args` is then empty. */
  star: boolean;
  args: Expr[];
  orderBy: OrderingTerm[] | null;
  filter: Expr | null;
  /** `OVER name` gives an Identifier, `OVER (...)` a WindowSpec. */
  over: WindowSpec | Identifier | null;
}

/** A row value `(a, b, ...)` with at least two elements. */
export interface VectorExpr extends Span {
  kind: 'Vector';
  items: Expr[];
}

/** `RAISE(IGNORE)` or `RAISE(ROLLBACK|ABORT|FAIL, message)`. */
export interface RaiseExpr extends Span {
  kind: 'Raise';
  action: 'IGNORE' | 'ROLLBACK' | 'ABORT' | 'FAIL';
  message: Expr | null;
}

// ---------------------------------------------------------------------------
// Shared clauses

/**
 * A declared type (`INTEGER`, `VARCHAR(10)`, `DOUBLE PRECISION`,
 * `DECIMAL(10, -2)`). `text` is the source text from the first to the last
 * token including any size arguments, exactly as SQLite stores it as the
 * column's declared type; `name` is the part before the parenthesis.
 */
export interface TypeName extends Span {
  kind: 'TypeName';
  text: string;
  name: string;
  /** The signed-number arguments as written (`['10']`, `['10', '-2']`). */
  args: string[];
}

/**
 * An item of a sort list: ORDER BY terms, index columns, PRIMARY KEY and
 * UNIQUE column lists, upsert targets. A COLLATE clause is part of `expr`.
 */
export interface OrderingTerm extends Span {
  kind: 'OrderingTerm';
  expr: Expr;
  direction: 'ASC' | 'DESC' | null;
  nulls: 'FIRST' | 'LAST' | null;
}

export type ConflictResolution = 'ROLLBACK' | 'ABORT' | 'FAIL' | 'IGNORE' | 'REPLACE';

/** `WITH [RECURSIVE] cte, ...`. */
export interface WithClause extends Span {
  kind: 'With';
  recursive: boolean;
  ctes: CommonTableExpr[];
}

export interface CommonTableExpr extends Span {
  kind: 'CommonTableExpr';
  name: Identifier;
  columns: Identifier[] | null;
  /** `AS MATERIALIZED` → true, `AS NOT MATERIALIZED` → false, plain `AS` → null. */
  materialized: boolean | null;
  select: SelectStmt;
}

/** A window: `OVER (...)` body or a named `WINDOW name AS (...)` body. */
export interface WindowSpec extends Span {
  kind: 'WindowSpec';
  /** The window this one is based on: `OVER (w ORDER BY x)`. */
  base: Identifier | null;
  partitionBy: Expr[] | null;
  orderBy: OrderingTerm[] | null;
  frame: WindowFrame | null;
}

export interface WindowFrame extends Span {
  kind: 'WindowFrame';
  units: 'ROWS' | 'RANGE' | 'GROUPS';
  startBound: FrameBound;
  /** Null for the one-bound form (`ROWS 2 PRECEDING`), which ends at CURRENT ROW. */
  endBound: FrameBound | null;
  exclude: 'NO OTHERS' | 'CURRENT ROW' | 'GROUP' | 'TIES' | null;
}

export interface FrameBound extends Span {
  kind: 'FrameBound';
  type: 'UNBOUNDED PRECEDING' | 'PRECEDING' | 'CURRENT ROW' | 'FOLLOWING' | 'UNBOUNDED FOLLOWING';
  /** The offset for `expr PRECEDING` / `expr FOLLOWING`. */
  expr: Expr | null;
}

export interface WindowDefinition extends Span {
  kind: 'WindowDefinition';
  name: Identifier;
  spec: WindowSpec;
}

// ---------------------------------------------------------------------------
// SELECT

export type ResultColumn = ResultExpr | ResultStar | ResultTableStar;

/**
 * An expression in a result list. SQLite names an unaliased result column
 * by its source text: `sql.slice(start, nameEnd)`. That text runs from the
 * expression's first token up to the next token, minus trailing whitespace,
 * so it includes a trailing comment exactly as SQLite does.
 */
export interface ResultExpr extends Span {
  kind: 'ResultExpr';
  expr: Expr;
  alias: Identifier | null;
  nameEnd: number;
}

/** `*`. */
export interface ResultStar extends Span {
  kind: 'ResultStar';
}

/** `table.*`. */
export interface ResultTableStar extends Span {
  kind: 'ResultTableStar';
  table: Identifier;
}

/**
 * How a FROM item joins the items before it. A comma is `INNER` with
 * `comma: true`. `FULL` is LEFT and RIGHT together. `OUTER` is implied by
 * LEFT/RIGHT/FULL and not recorded.
 */
export interface JoinOperator extends Span {
  kind: 'JoinOperator';
  comma: boolean;
  natural: boolean;
  type: 'INNER' | 'CROSS' | 'LEFT' | 'RIGHT' | 'FULL';
}

export type JoinConstraint =
  | { kind: 'On'; start: number; end: number; expr: Expr }
  | { kind: 'Using'; start: number; end: number; columns: Identifier[] };

export type FromItem = TableRef | SubqueryRef | JoinGroup;

interface FromItemBase extends Span {
  /** Null for the first item of a FROM list. */
  join: JoinOperator | null;
  alias: Identifier | null;
  /** The ON/USING clause written after this item (never on the first item: the parser rejects that, as SQLite does). */
  constraint: JoinConstraint | null;
}

/** `[schema.]name [AS alias] [INDEXED BY i | NOT INDEXED]`, or a table-valued function `name(args)`. */
export interface TableRef extends FromItemBase {
  kind: 'TableRef';
  schema: Identifier | null;
  name: Identifier;
  /** Arguments of a table-valued function (`pragma_table_info('t')`), else null. */
  args: Expr[] | null;
  indexedBy: Identifier | null;
  notIndexed: boolean;
}

/** `(SELECT ...) [AS alias]`. */
export interface SubqueryRef extends FromItemBase {
  kind: 'SubqueryRef';
  select: SelectStmt;
}

/** A parenthesised join `(a JOIN b ON ...) [AS alias]`. */
export interface JoinGroup extends FromItemBase {
  kind: 'JoinGroup';
  items: FromItem[];
}

/** One `SELECT ...` without WITH, compound operators, ORDER BY or LIMIT. */
export interface SelectCore extends Span {
  kind: 'SelectCore';
  quantifier: 'DISTINCT' | 'ALL' | null;
  columns: ResultColumn[];
  from: FromItem[] | null;
  where: Expr | null;
  groupBy: Expr[] | null;
  having: Expr | null;
  windows: WindowDefinition[] | null;
}

/** `VALUES (..), (..)`: every row has at least one expression. */
export interface ValuesClause extends Span {
  kind: 'Values';
  rows: Expr[][];
}

export interface CompoundPart extends Span {
  kind: 'CompoundPart';
  op: 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT';
  select: SelectCore | ValuesClause;
}

/**
 * A full SELECT: `first op1 part1 op2 part2 ...` evaluated left to right,
 * then ORDER BY and LIMIT on the whole result.
 */
export interface SelectStmt extends Span {
  kind: 'Select';
  with: WithClause | null;
  first: SelectCore | ValuesClause;
  compounds: CompoundPart[];
  orderBy: OrderingTerm[] | null;
  limit: Expr | null;
  /** From `LIMIT n OFFSET m` or `LIMIT m, n`. */
  offset: Expr | null;
}

// ---------------------------------------------------------------------------
// Data modification

/** The target of UPDATE/DELETE/INSERT: `[schema.]name [AS alias]` plus index hints (UPDATE/DELETE only). */
export interface QualifiedTableName extends Span {
  kind: 'QualifiedTableName';
  schema: Identifier | null;
  name: Identifier;
  alias: Identifier | null;
  indexedBy: Identifier | null;
  notIndexed: boolean;
}

/** `col = expr` (one column) or `(a, b) = expr`. */
export interface SetClause extends Span {
  kind: 'SetClause';
  columns: Identifier[];
  /** True for the parenthesised column-list form. */
  parenthesized: boolean;
  value: Expr;
}

export interface UpsertClause extends Span {
  kind: 'Upsert';
  /** `ON CONFLICT (terms) [WHERE ...]`, null for a bare `ON CONFLICT`. */
  target: OrderingTerm[] | null;
  targetWhere: Expr | null;
  /** `DO NOTHING` → null; `DO UPDATE SET ...` → the assignments. */
  set: SetClause[] | null;
  where: Expr | null;
}

export interface InsertStmt extends Span {
  kind: 'Insert';
  with: WithClause | null;
  /** `REPLACE INTO` is `INSERT` with `orConflict: 'REPLACE'` and `replaceKeyword: true`. */
  replaceKeyword: boolean;
  orConflict: ConflictResolution | null;
  table: QualifiedTableName;
  columns: Identifier[] | null;
  /** The rows: VALUES or a SELECT; null for DEFAULT VALUES. */
  select: SelectStmt | null;
  upsert: UpsertClause[];
  returning: ResultColumn[] | null;
}

export interface UpdateStmt extends Span {
  kind: 'Update';
  with: WithClause | null;
  orConflict: ConflictResolution | null;
  table: QualifiedTableName;
  set: SetClause[];
  from: FromItem[] | null;
  where: Expr | null;
  returning: ResultColumn[] | null;
  orderBy: OrderingTerm[] | null;
  limit: Expr | null;
  offset: Expr | null;
}

export interface DeleteStmt extends Span {
  kind: 'Delete';
  with: WithClause | null;
  table: QualifiedTableName;
  where: Expr | null;
  returning: ResultColumn[] | null;
  orderBy: OrderingTerm[] | null;
  limit: Expr | null;
  offset: Expr | null;
}

// ---------------------------------------------------------------------------
// CREATE TABLE

export type ForeignKeyAction = 'SET NULL' | 'SET DEFAULT' | 'CASCADE' | 'RESTRICT' | 'NO ACTION';

export interface ForeignKeyClause extends Span {
  kind: 'ForeignKeyClause';
  table: Identifier;
  columns: Identifier[] | null;
  onDelete: ForeignKeyAction | null;
  onUpdate: ForeignKeyAction | null;
  /** `MATCH name` (parsed, ignored by SQLite). */
  match: Identifier | null;
  /** `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`: true only for DEFERRABLE INITIALLY DEFERRED. */
  deferred: boolean;
}

export type ColumnConstraint =
  | ColumnPrimaryKey
  | ColumnNotNull
  | ColumnNull
  | ColumnUnique
  | ColumnCheck
  | ColumnDefault
  | ColumnCollate
  | ColumnReferences
  | ColumnGenerated;

interface ConstraintBase extends Span {
  /**
   * The constraint's name: the most recent `CONSTRAINT name` before it within
   * the same column definition, or among table constraints since the last
   * comma (SQLite's rule; it matters for CHECK failure messages). Its span is
   * not part of the constraint's span.
   */
  name: Identifier | null;
}

export interface ColumnPrimaryKey extends ConstraintBase {
  kind: 'PrimaryKey';
  direction: 'ASC' | 'DESC' | null;
  onConflict: ConflictResolution | null;
  autoincrement: boolean;
}

export interface ColumnNotNull extends ConstraintBase {
  kind: 'NotNull';
  onConflict: ConflictResolution | null;
}

/** An explicit `NULL` constraint (accepted and ignored by SQLite). */
export interface ColumnNull extends ConstraintBase {
  kind: 'Null';
  onConflict: ConflictResolution | null;
}

export interface ColumnUnique extends ConstraintBase {
  kind: 'Unique';
  onConflict: ConflictResolution | null;
}

export interface ColumnCheck extends ConstraintBase {
  kind: 'Check';
  expr: Expr;
}

/**
 * `DEFAULT value`. `expr` is the value: a literal, a signed number (a Unary
 * around a Literal), a parenthesised expression, CURRENT_* or, for
 * `DEFAULT name`, a string Literal holding the name (a boolean Literal for
 * true/false). `exprText` is the span SQLite stores as the default's text:
 * the inner expression for `DEFAULT (expr)`, otherwise the value as written.
 */
export interface ColumnDefault extends ConstraintBase {
  kind: 'Default';
  expr: Expr;
  exprText: Span;
}

export interface ColumnCollate extends ConstraintBase {
  kind: 'Collate';
  collation: Identifier;
}

export interface ColumnReferences extends ConstraintBase {
  kind: 'References';
  foreignKey: ForeignKeyClause;
}

/** `[GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL]`. */
export interface ColumnGenerated extends ConstraintBase {
  kind: 'Generated';
  expr: Expr;
  /** The word after the parenthesis as written (SQLite accepts STORED or VIRTUAL, checked by the compiler), or null. */
  storage: Identifier | null;
}

export interface ColumnDef extends Span {
  kind: 'ColumnDef';
  name: Identifier;
  type: TypeName | null;
  constraints: ColumnConstraint[];
}

export type TableConstraint =
  | TablePrimaryKey
  | TableUnique
  | TableCheck
  | TableForeignKey;

export interface TablePrimaryKey extends ConstraintBase {
  kind: 'TablePrimaryKey';
  columns: OrderingTerm[];
  autoincrement: boolean;
  onConflict: ConflictResolution | null;
}

export interface TableUnique extends ConstraintBase {
  kind: 'TableUnique';
  columns: OrderingTerm[];
  onConflict: ConflictResolution | null;
}

export interface TableCheck extends ConstraintBase {
  kind: 'TableCheck';
  expr: Expr;
}

export interface TableForeignKey extends ConstraintBase {
  kind: 'TableForeignKey';
  columns: Identifier[];
  foreignKey: ForeignKeyClause;
}

export interface CreateTableStmt extends Span {
  kind: 'CreateTable';
  temp: boolean;
  ifNotExists: boolean;
  schema: Identifier | null;
  name: Identifier;
  /** Empty for CREATE TABLE ... AS SELECT. */
  columns: ColumnDef[];
  constraints: TableConstraint[];
  withoutRowid: boolean;
  strict: boolean;
  asSelect: SelectStmt | null;
}

export interface CreateVirtualTableStmt extends Span {
  kind: 'CreateVirtualTable';
  ifNotExists: boolean;
  schema: Identifier | null;
  name: Identifier;
  module: Identifier;
  /** Module arguments as source text, trimmed (SQLite passes them through verbatim). */
  args: string[];
}

// ---------------------------------------------------------------------------
// Other DDL

export interface CreateIndexStmt extends Span {
  kind: 'CreateIndex';
  unique: boolean;
  ifNotExists: boolean;
  schema: Identifier | null;
  name: Identifier;
  table: Identifier;
  columns: OrderingTerm[];
  where: Expr | null;
}

export interface CreateViewStmt extends Span {
  kind: 'CreateView';
  temp: boolean;
  ifNotExists: boolean;
  schema: Identifier | null;
  name: Identifier;
  columns: Identifier[] | null;
  select: SelectStmt;
}

/** A statement inside a trigger body. */
export type TriggerStep = InsertStmt | UpdateStmt | DeleteStmt | SelectStmt;

export interface CreateTriggerStmt extends Span {
  kind: 'CreateTrigger';
  temp: boolean;
  ifNotExists: boolean;
  schema: Identifier | null;
  name: Identifier;
  /** Null when no time was written (SQLite treats that as BEFORE). */
  time: 'BEFORE' | 'AFTER' | 'INSTEAD OF' | null;
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  /** `UPDATE OF a, b` columns, else null. */
  updateOf: Identifier[] | null;
  tableSchema: Identifier | null;
  table: Identifier;
  forEachRow: boolean;
  when: Expr | null;
  body: TriggerStep[];
}

export interface DropStmt extends Span {
  kind: 'Drop';
  objectType: 'TABLE' | 'INDEX' | 'VIEW' | 'TRIGGER';
  ifExists: boolean;
  schema: Identifier | null;
  name: Identifier;
}

/**
 * What ALTER TABLE does. Besides the classic forms, SQLite 3.53 accepts
 * `ADD [CONSTRAINT name] CHECK (expr) [ON CONFLICT ...]`, `DROP CONSTRAINT
 * name`, and `ALTER [COLUMN] name SET NOT NULL [ON CONFLICT ...]` /
 * `DROP NOT NULL`.
 */
export type AlterTableAction =
  | { kind: 'RenameTable'; start: number; end: number; newName: Identifier }
  | { kind: 'RenameColumn'; start: number; end: number; column: Identifier; newName: Identifier }
  | { kind: 'AddColumn'; start: number; end: number; column: ColumnDef }
  | { kind: 'DropColumn'; start: number; end: number; column: Identifier }
  | { kind: 'AddCheck'; start: number; end: number; check: TableCheck }
  | { kind: 'DropConstraint'; start: number; end: number; name: Identifier }
  | { kind: 'SetNotNull'; start: number; end: number; column: Identifier; onConflict: ConflictResolution | null }
  | { kind: 'DropNotNull'; start: number; end: number; column: Identifier };

export interface AlterTableStmt extends Span {
  kind: 'AlterTable';
  schema: Identifier | null;
  table: Identifier;
  action: AlterTableAction;
}

// ---------------------------------------------------------------------------
// Maintenance, transactions, pragmas

/** `REINDEX`, `REINDEX name`, `REINDEX schema.name`. */
export interface ReindexStmt extends Span {
  kind: 'Reindex';
  schema: Identifier | null;
  name: Identifier | null;
}

/** `ANALYZE`, `ANALYZE name`, `ANALYZE schema.name`. */
export interface AnalyzeStmt extends Span {
  kind: 'Analyze';
  schema: Identifier | null;
  name: Identifier | null;
}

export interface VacuumStmt extends Span {
  kind: 'Vacuum';
  schema: Identifier | null;
  into: Expr | null;
}

export interface AttachStmt extends Span {
  kind: 'Attach';
  file: Expr;
  schema: Expr;
  key: Expr | null;
}

export interface DetachStmt extends Span {
  kind: 'Detach';
  schema: Expr;
}

export interface BeginStmt extends Span {
  kind: 'Begin';
  mode: 'DEFERRED' | 'IMMEDIATE' | 'EXCLUSIVE' | null;
}

/** COMMIT or END. */
export interface CommitStmt extends Span {
  kind: 'Commit';
}

/** `ROLLBACK` or `ROLLBACK TO [SAVEPOINT] name`. */
export interface RollbackStmt extends Span {
  kind: 'Rollback';
  savepoint: Identifier | null;
}

export interface SavepointStmt extends Span {
  kind: 'Savepoint';
  name: Identifier;
}

export interface ReleaseStmt extends Span {
  kind: 'Release';
  name: Identifier;
}

/**
 * `PRAGMA [schema.]name [= value | (value)]`. `value` is the argument as
 * SQLite hands it to the pragma: dequoted, with a leading `-` for negative
 * numbers (`PRAGMA x = -5` → `"-5"`), keywords ON/DELETE/DEFAULT as written.
 */
export interface PragmaStmt extends Span {
  kind: 'Pragma';
  schema: Identifier | null;
  name: Identifier;
  value: string | null;
  /** Source range of the value, null when there is none. */
  valueSpan: Span | null;
}

export type Statement =
  | SelectStmt
  | InsertStmt
  | UpdateStmt
  | DeleteStmt
  | CreateTableStmt
  | CreateVirtualTableStmt
  | CreateIndexStmt
  | CreateViewStmt
  | CreateTriggerStmt
  | DropStmt
  | AlterTableStmt
  | ReindexStmt
  | AnalyzeStmt
  | VacuumStmt
  | AttachStmt
  | DetachStmt
  | BeginStmt
  | CommitStmt
  | RollbackStmt
  | SavepointStmt
  | ReleaseStmt
  | PragmaStmt;

/**
 * One parsed statement of a script, with what `prepare()` needs beside the
 * tree: its exact text, the EXPLAIN prefix, and its parameters.
 */
export interface ParsedStatement extends Span {
  kind: 'ParsedStatement';
  /** `EXPLAIN` → 'EXPLAIN', `EXPLAIN QUERY PLAN` → 'QUERY PLAN'. The span starts at EXPLAIN. */
  explain: 'EXPLAIN' | 'QUERY PLAN' | null;
  stmt: Statement;
  /** The statement's source text, from its first token to its last (no `;`). */
  text: string;
  /** Highest parameter number used (SQLite's sqlite3_bind_parameter_count). */
  parameterCount: number;
  /** Index i holds the name of parameter i+1 (null for `?` and unused numbers). */
  parameterNames: (string | null)[];
}
