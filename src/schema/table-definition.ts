/**
 * Builds the schema model of a table from its CREATE TABLE tree, applying
 * SQLite's rules: column affinity from the declared type, the INTEGER
 * PRIMARY KEY rowid alias (not for `INTEGER PRIMARY KEY DESC` written as a
 * column constraint, a documented SQLite quirk), AUTOINCREMENT only on a
 * rowid alias, one PRIMARY KEY per table, WITHOUT ROWID tables that need a
 * PRIMARY KEY, and the automatic indexes of PRIMARY KEY / UNIQUE
 * constraints, named `sqlite_autoindex_<table>_<n>` where n counts every
 * index the table had when the constraint was met (a constraint identical to
 * an earlier one creates no index). A declared type that is one of SQLite's
 * standard names (ANY, BLOB, INT, INTEGER, REAL, TEXT) in any case is kept
 * upper-cased, as SQLite reports it in table_info and column types.
 */
import { SqliteError } from '../sqlite-error.js';
import type {
  ConflictResolution,
  CreateTableStmt,
  Expr,
  OrderingTerm,
} from '../sql/ast.js';
import { sqlText } from '../sql/ast.js';
import { affinityOfDeclaredType } from '../exec/values/affinity.js';
import { checkCollationName } from './collation-names.js';
import type { CheckConstraint, ColumnSchema, IndexSchema, IndexTerm, TableSchema } from './schema-objects.js';

const STANDARD_TYPE_NAMES = new Set(['ANY', 'BLOB', 'INT', 'INTEGER', 'REAL', 'TEXT']);

/** SQLite stores a standard type name in its canonical (upper-case) spelling, any other type as written. */
function standardTypeName(text: string): string {
  const upper = text.toUpperCase();
  return STANDARD_TYPE_NAMES.has(upper) ? upper : text;
}

interface MutableColumn {
  name: string;
  declaredType: string;
  collation: string;
  notNull: boolean;
  notNullConflict: ConflictResolution | null;
  defaultExpr: Expr | null;
  defaultText: string | null;
  primaryKeyPosition: number;
  hidden: boolean;
}

interface PendingIndex {
  terms: IndexTerm[];
  unique: true;
  onConflict: ConflictResolution | null;
  origin: 'u' | 'pk';
  name: string;
}

/**
 * Builds a table from `stmt` (whose spans index into `source`). Root pages
 * are filled in by the caller (0 here). `sql` is the text stored in
 * sqlite_schema.
 */
export function buildTableSchema(stmt: CreateTableStmt, source: string, sql: string): TableSchema {
  const tableName = stmt.name.name;
  const columns: MutableColumn[] = [];
  const seen = new Set<string>();
  for (const def of stmt.columns) {
    const lower = def.name.name.toLowerCase();
    if (seen.has(lower)) throw new SqliteError(`duplicate column name: ${def.name.name}`, 'SQLITE_ERROR');
    seen.add(lower);
    columns.push({
      name: def.name.name,
      declaredType: def.type ? standardTypeName(def.type.text) : '',
      collation: 'BINARY',
      notNull: false,
      notNullConflict: null,
      defaultExpr: null,
      defaultText: null,
      primaryKeyPosition: 0,
      hidden: false,
    });
  }
  if (columns.length > 2000) throw new SqliteError(`too many columns on ${tableName}`, 'SQLITE_ERROR');

  const checks: CheckConstraint[] = [];
  const pending: PendingIndex[] = [];
  let primaryKey: number[] | null = null;
  let primaryKeyTerms: IndexTerm[] | null = null;
  let primaryKeyConflict: ConflictResolution | null = null;
  let primaryKeyDescColumnConstraint = false;
  let autoincrement = false;
  let indexCounter = 0;

  const columnIndex = (name: string): number => {
    const lower = name.toLowerCase();
    return columns.findIndex((c) => c.name.toLowerCase() === lower);
  };

  const addIndex = (terms: IndexTerm[], origin: 'u' | 'pk', onConflict: ConflictResolution | null): void => {
    for (const existing of pending) {
      if (sameTerms(existing.terms, terms)) {
        if (origin === 'pk') existing.origin = 'pk';
        return;
      }
    }
    indexCounter++;
    pending.push({ terms, unique: true, onConflict, origin, name: `sqlite_autoindex_${tableName}_${indexCounter}` });
  };

  const setPrimaryKey = (terms: IndexTerm[], conflict: ConflictResolution | null, auto: boolean, descColumn: boolean): void => {
    if (primaryKey !== null) throw new SqliteError(`table "${tableName}" has more than one primary key`, 'SQLITE_ERROR');
    primaryKey = terms.map((t) => t.column);
    primaryKeyTerms = terms;
    primaryKeyConflict = conflict;
    primaryKeyDescColumnConstraint = descColumn;
    autoincrement = auto;
    terms.forEach((t, i) => {
      columns[t.column].primaryKeyPosition = i + 1;
    });
    const alias = rowidAliasCandidate();
    if (alias < 0 || stmt.withoutRowid) addIndex(terms, 'pk', conflict);
  };

  const rowidAliasCandidate = (): number => {
    if (primaryKey === null || primaryKey.length !== 1 || primaryKeyDescColumnConstraint) return -1;
    const column = columns[primaryKey[0]];
    return column.declaredType.toUpperCase() === 'INTEGER' ? primaryKey[0] : -1;
  };

  stmt.columns.forEach((def, ci) => {
    for (const constraint of def.constraints) {
      if (constraint.kind === 'Collate') columns[ci].collation = checkCollationName(constraint.collation.name);
    }
  });
  stmt.columns.forEach((def, ci) => {
    const column = columns[ci];
    for (const constraint of def.constraints) {
      switch (constraint.kind) {
        case 'PrimaryKey':
          setPrimaryKey(
            [{ column: ci, expr: null, collation: column.collation, descending: constraint.direction === 'DESC', name: column.name }],
            constraint.onConflict,
            constraint.autoincrement,
            constraint.direction === 'DESC',
          );
          break;
        case 'NotNull':
          column.notNull = true;
          column.notNullConflict = constraint.onConflict;
          break;
        case 'Null':
          break;
        case 'Unique':
          addIndex(
            [{ column: ci, expr: null, collation: column.collation, descending: false, name: column.name }],
            'u',
            constraint.onConflict,
          );
          break;
        case 'Check':
          checks.push({ name: constraint.name ? constraint.name.name : null, expr: constraint.expr, text: sqlText(source, constraint.expr) });
          break;
        case 'Default':
          column.defaultExpr = constraint.expr;
          column.defaultText = sqlText(source, constraint.exprText);
          break;
        case 'Collate':
        case 'References':
          break;
        case 'Generated':
          throw new SqliteError('generated columns are not supported by this engine', 'SQLITE_ERROR');
      }
    }
  });

  for (const constraint of stmt.constraints) {
    switch (constraint.kind) {
      case 'TablePrimaryKey':
        setPrimaryKey(indexTermsOf(constraint.columns, columns, columnIndex), constraint.onConflict, constraint.autoincrement, false);
        break;
      case 'TableUnique':
        addIndex(indexTermsOf(constraint.columns, columns, columnIndex), 'u', constraint.onConflict);
        break;
      case 'TableCheck':
        checks.push({ name: constraint.name ? constraint.name.name : null, expr: constraint.expr, text: sqlText(source, constraint.expr) });
        break;
      case 'TableForeignKey':
        break;
    }
  }

  const rowidAlias = stmt.withoutRowid ? -1 : rowidAliasCandidate();
  if (autoincrement && rowidAlias < 0) {
    throw new SqliteError('AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY', 'SQLITE_ERROR');
  }
  if (stmt.withoutRowid && primaryKey === null) throw new SqliteError(`PRIMARY KEY missing on table ${tableName}`, 'SQLITE_ERROR');

  // Record layout: declaration order, or primary-key columns first for WITHOUT ROWID.
  const storage = columns.map((_, i) => i);
  let primaryIndex: IndexSchema | null = null;
  const indexes: IndexSchema[] = [];
  const pkColumns: number[] = primaryKey ?? [];
  if (stmt.withoutRowid) {
    const pkDistinct: number[] = [];
    for (const c of pkColumns) if (!pkDistinct.includes(c)) pkDistinct.push(c);
    let position = 0;
    for (const c of pkDistinct) storage[c] = position++;
    for (let c = 0; c < columns.length; c++) if (!pkDistinct.includes(c)) storage[c] = position++;
  }

  const finalColumns: ColumnSchema[] = columns.map((c, i) => ({
    name: c.name,
    declaredType: c.declaredType,
    affinity: affinityOfDeclaredType(c.declaredType),
    collation: c.collation,
    notNull: c.notNull || (stmt.withoutRowid && c.primaryKeyPosition > 0),
    notNullConflict: c.notNullConflict,
    defaultExpr: c.defaultExpr,
    defaultText: c.defaultText,
    defaultSource: source,
    primaryKeyPosition: c.primaryKeyPosition,
    storage: storage[i],
    hidden: c.hidden,
  }));

  const pkTermList: IndexTerm[] = primaryKeyTerms ?? [];
  for (const p of pending) {
    const isPrimary = stmt.withoutRowid && p.origin === 'pk' && sameTerms(p.terms, pkTermList);
    const keyTerms = isPrimary ? dedupeTerms(p.terms) : withRowKey(p.terms, stmt.withoutRowid, pkTermList, finalColumns);
    const index: IndexSchema = {
      name: p.name,
      tableName,
      terms: isPrimary ? dedupeTerms(p.terms) : p.terms,
      keyTerms,
      unique: true,
      onConflict: p.onConflict,
      origin: p.origin,
      where: null,
      source,
      rootPage: 0,
      sql: null,
    };
    if (isPrimary) primaryIndex = index;
    else indexes.push(index);
  }

  return {
    name: tableName,
    columns: finalColumns,
    rowidAlias,
    withoutRowid: stmt.withoutRowid,
    autoincrement,
    primaryKey: pkColumns,
    primaryKeyConflict,
    checks,
    indexes,
    primaryIndex,
    rootPage: 0,
    sql,
    internal: false,
    definition: stmt,
  };
}

/**
 * The full key of an index record: its terms plus the row key (the rowid, or
 * the primary-key columns of a WITHOUT ROWID table not already present).
 */
export function withRowKey(
  terms: readonly IndexTerm[],
  withoutRowid: boolean,
  primaryKey: readonly IndexTerm[],
  columns: readonly ColumnSchema[],
): IndexTerm[] {
  const out = terms.slice();
  if (!withoutRowid) {
    out.push({ column: -1, expr: null, collation: 'BINARY', descending: false, name: null });
    return out;
  }
  for (const pk of primaryKey) {
    if (out.some((t) => t.column === pk.column && t.collation === pk.collation)) continue;
    out.push({ column: pk.column, expr: null, collation: pk.collation, descending: pk.descending, name: columns[pk.column].name });
  }
  return out;
}

function dedupeTerms(terms: readonly IndexTerm[]): IndexTerm[] {
  const out: IndexTerm[] = [];
  for (const t of terms) if (!out.some((o) => o.column === t.column)) out.push(t);
  return out;
}

function sameTerms(a: readonly IndexTerm[], b: readonly IndexTerm[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].column !== b[i].column || a[i].collation !== b[i].collation) return false;
  }
  return true;
}

/** Resolves the column list of a table PRIMARY KEY/UNIQUE constraint. */
function indexTermsOf(
  terms: readonly OrderingTerm[],
  columns: readonly MutableColumn[],
  columnIndex: (name: string) => number,
): IndexTerm[] {
  return terms.map((term) => {
    let expr = term.expr;
    let collation: string | null = null;
    while (expr.kind === 'Collate') {
      collation ??= checkCollationName(expr.collation.name);
      expr = expr.expr;
    }
    if (expr.kind !== 'ColumnRef' || expr.table !== null) {
      throw new SqliteError('expressions prohibited in PRIMARY KEY and UNIQUE constraints', 'SQLITE_ERROR');
    }
    const ci = columnIndex(expr.column.name);
    if (ci < 0) throw new SqliteError(`no such column: ${expr.column.name}`, 'SQLITE_ERROR');
    return {
      column: ci,
      expr: null,
      collation: collation ?? columns[ci].collation,
      descending: term.direction === 'DESC',
      name: columns[ci].name,
    };
  });
}
