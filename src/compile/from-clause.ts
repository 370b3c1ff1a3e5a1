/**
 * The FROM clause: turns each FROM item into a scope item plus the source
 * that produces its rows — a base table read through a TableCursor, or the
 * materialized rows of a view, a subquery, a common table expression or a
 * table-valued function (a recursive CTE streams its rows instead, see
 * cte-reference.ts) — and turns USING/NATURAL into equality terms,
 * merging the right-hand column out of unqualified lookup and `*`.
 */
import { SqliteError } from '../sqlite-error.js';
import type { ColumnRef, Expr, FromItem, Identifier, SelectStmt } from '../sql/ast.js';
import { TableCursor } from '../exec/table-cursor.js';
import { RowBuffer } from '../exec/operators/row-buffer.js';
import { MaterializedRows, collectRows } from '../exec/operators/materialized-rows.js';
import type { Operator } from '../exec/operator.js';
import type { TableSchema } from '../schema/schema-objects.js';
import { Affinity } from '../exec/values/affinity.js';
import { realValue, type SqlValue } from '../exec/values/value.js';
import { Scope, type ScopeColumn, type ScopeItem } from './scope.js';
import type { CompilerContext } from './compiler-context.js';
import { compileSelect, type CompiledQuery } from './select-compiler.js';
import { tableValuedFunction } from './table-valued-functions.js';
import { compileCteReference } from './cte-reference.js';

export type FromSource =
  | { readonly kind: 'table'; readonly table: TableSchema; readonly cursor: TableCursor; readonly indexedBy: string | null; readonly notIndexed: boolean }
  | { readonly kind: 'rows'; readonly operator: Operator; readonly buffer: RowBuffer; readonly description: string; readonly subquery: CompiledQuery | null };

export interface FromEntry {
  readonly item: ScopeItem;
  /** How this entry joins the entries before it. */
  readonly joinType: 'INNER' | 'LEFT';
  /** ON terms and USING/NATURAL equalities of this entry. */
  readonly onTerms: Expr[];
  readonly source: FromSource;
  /** The name EXPLAIN QUERY PLAN shows ("t" or "t AS x"). */
  readonly planName: string;
  setNullRow(on: boolean): void;
}

/** Compiles a FROM list into entries, adding their items to `scope`. */
export function compileFrom(items: readonly FromItem[], scope: Scope, ctx: CompilerContext): FromEntry[] {
  const entries: FromEntry[] = [];
  addItems(items, scope, ctx, entries, false);
  return entries;
}

function addItems(items: readonly FromItem[], scope: Scope, ctx: CompilerContext, entries: FromEntry[], nested: boolean): void {
  items.forEach((fromItem, i) => {
    const join = fromItem.join;
    if (join !== null && (join.type === 'RIGHT' || join.type === 'FULL')) {
      throw new SqliteError('RIGHT and FULL OUTER JOINs are not supported by this engine', 'SQLITE_ERROR');
    }
    const leftJoin = join !== null && join.type === 'LEFT';
    if (fromItem.kind === 'JoinGroup') {
      if (fromItem.alias !== null || leftJoin) {
        throw new SqliteError('parenthesized joins with an alias or on the right of LEFT JOIN are not supported by this engine', 'SQLITE_ERROR');
      }
      const before = entries.length;
      addItems(fromItem.items, scope, ctx, entries, true);
      if (fromItem.constraint !== null) {
        if (fromItem.constraint.kind === 'On') entries[before].onTerms.push(fromItem.constraint.expr);
        else throw new SqliteError('USING on a parenthesized join is not supported by this engine', 'SQLITE_ERROR');
      }
      return;
    }
    const entry = compileItem(fromItem, scope, ctx, entries.length, leftJoin);
    if (i === 0 && !nested && fromItem.constraint !== null && entries.length === 0) {
      const keyword = fromItem.constraint.kind === 'On' ? 'ON' : 'USING';
      throw new SqliteError(`a JOIN clause is required before ${keyword}`, 'SQLITE_ERROR');
    }
    const natural = join !== null && join.natural;
    if (natural && fromItem.constraint !== null) {
      throw new SqliteError('a NATURAL join may not have an ON or USING clause', 'SQLITE_ERROR');
    }
    if (natural || (fromItem.constraint !== null && fromItem.constraint.kind === 'Using')) {
      const names: string[] = natural
        ? entry.item.columns.map((c) => c.name).filter((name) => entries.some((e) => hasVisibleColumn(e.item, name)))
        : (fromItem.constraint as { columns: Identifier[] }).columns.map((c) => c.name);
      for (const name of names) {
        const left = entries.find((e) => hasVisibleColumn(e.item, name));
        const rightIndex = entry.item.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
        if (left === undefined || rightIndex < 0) {
          throw new SqliteError(`cannot join using column ${name} - column not present in both tables`, 'SQLITE_ERROR');
        }
        entry.item.mergedColumns.add(rightIndex);
        entry.onTerms.push(equality(left.item.name, name, entry.item.name, name));
      }
    } else if (fromItem.constraint !== null && fromItem.constraint.kind === 'On') {
      entry.onTerms.push(fromItem.constraint.expr);
    }
    scope.add(entry.item);
    entries.push(entry);
  });
}

function hasVisibleColumn(item: ScopeItem, name: string): boolean {
  const lower = name.toLowerCase();
  return item.columns.some((c, i) => c.name.toLowerCase() === lower && !item.mergedColumns.has(i));
}

function identifier(name: string): Identifier {
  return { kind: 'Identifier', name, quoted: true, start: 0, end: 0 };
}

function columnRef(table: string, column: string): ColumnRef {
  return { kind: 'ColumnRef', schema: null, table: identifier(table), column: identifier(column), start: 0, end: 0 };
}

function equality(leftTable: string, leftColumn: string, rightTable: string, rightColumn: string): Expr {
  return { kind: 'Binary', op: '=', left: columnRef(leftTable, leftColumn), right: columnRef(rightTable, rightColumn), start: 0, end: 0 };
}

function compileItem(fromItem: Exclude<FromItem, { kind: 'JoinGroup' }>, scope: Scope, ctx: CompilerContext, position: number, leftJoin: boolean): FromEntry {
  const joinType = leftJoin ? 'LEFT' : 'INNER';
  if (fromItem.kind === 'SubqueryRef') {
    const alias = fromItem.alias ? fromItem.alias.name : `(subquery-${position + 1})`;
    return correlating(rowsEntry(fromItem.select, ctx, scope.parent, alias, position, joinType, null, `SUBQUERY ${position + 1}`), scope);
  }
  if (fromItem.schema !== null && !['main', 'temp'].includes(fromItem.schema.name.toLowerCase())) {
    throw new SqliteError(`unknown database ${fromItem.schema.name}`, 'SQLITE_ERROR');
  }
  const name = fromItem.name.name;
  const alias = fromItem.alias ? fromItem.alias.name : name;
  if (fromItem.args !== null) {
    const isRelation = (fromItem.schema === null && ctx.ctes?.find(name) !== undefined) || ctx.schema.table(name) !== undefined || ctx.schema.view(name) !== undefined;
    if (isRelation) throw new SqliteError(`'${name}' is not a function`, 'SQLITE_ERROR');
    const fn = tableValuedFunction(name, fromItem.args, scope, ctx);
    return bufferEntry(fn.columns, fn.fill, ctx, alias, position, joinType, false, `SCAN ${name} VIRTUAL TABLE INDEX 0:`, null);
  }
  if (fromItem.schema === null) {
    const cte = ctx.ctes?.find(name);
    if (cte !== undefined) {
      const reference = compileCteReference(cte, fromItem, scope.parent, ctx);
      const description = `CO-ROUTINE ${name}`;
      if (reference.streamed !== null) {
        return correlating(streamedEntry(reference.query, reference.streamed, reference.columnNames, alias, position, joinType, description), scope);
      }
      return correlating(rowsEntry(cte.cte.select, reference.ctx, scope.parent, alias, position, joinType, reference.columnNames, description, reference.query), scope);
    }
  }
  const table = ctx.schema.table(name);
  if (table !== undefined) {
    const cursor = new TableCursor(ctx.storage, table);
    const columns: ScopeColumn[] = table.columns.map((column, ci) => ({
      name: column.name,
      affinity: column.affinity,
      collation: column.collation,
      declaredType: column.declaredType === '' ? null : column.declaredType,
      originTable: table.name,
      originColumn: column.name,
      read: ci === table.rowidAlias ? () => cursor.rowid() : () => cursor.column(ci),
      tableColumn: ci,
    }));
    const item: ScopeItem = {
      name: alias,
      columns,
      mergedColumns: new Set(),
      rowid: table.withoutRowid ? null : () => cursor.rowid(),
      table,
      position,
    };
    return {
      item,
      joinType,
      onTerms: [],
      source: {
        kind: 'table',
        table,
        cursor,
        indexedBy: fromItem.indexedBy ? fromItem.indexedBy.name : null,
        notIndexed: fromItem.notIndexed,
      },
      planName: alias,
      setNullRow: (on) => {
        cursor.nullRow = on;
      },
    };
  }
  const view = ctx.schema.view(name);
  if (view !== undefined) {
    if (ctx.expandingViews.includes(view.name.toLowerCase())) {
      throw new SqliteError(`view ${view.name} is circularly defined`, 'SQLITE_ERROR');
    }
    const viewCtx = ctx.expandingView(view.name, view.source);
    const query = compileSelect(view.select, null, viewCtx);
    if (view.columnNames !== null && view.columnNames.length !== query.columns.length) {
      throw new SqliteError(`expected ${view.columnNames.length} columns for '${view.name}' but got ${query.columns.length}`, 'SQLITE_ERROR');
    }
    return rowsEntry(view.select, viewCtx, null, alias, position, joinType, view.columnNames ? [...view.columnNames] : null, `CO-ROUTINE ${view.name}`, query);
  }
  const qualifier = fromItem.schema ? `${fromItem.schema.name}.` : ctx.expandingViews.length > 0 ? 'main.' : '';
  throw new SqliteError(`no such table: ${qualifier}${name}`, 'SQLITE_ERROR');
}

/**
 * A FROM subquery compiles in a scope beside this query's (its parent is
 * ours), so when it reads an enclosing query's row, this query must be
 * re-run per outer row as well.
 */
function correlating(entry: FromEntry, scope: Scope): FromEntry {
  if (entry.source.kind === 'rows' && entry.source.subquery !== null && entry.source.subquery.correlated && scope.outerReach < 1) scope.outerReach = 1;
  return entry;
}

function rowsEntry(
  select: SelectStmt,
  ctx: CompilerContext,
  outer: Scope | null,
  alias: string,
  position: number,
  joinType: 'INNER' | 'LEFT',
  columnNames: string[] | null,
  description: string,
  compiled: CompiledQuery | null = null,
): FromEntry {
  const sub = compiled ?? compileSelect(select, outer, ctx);
  const columns = subqueryShapes(sub, columnNames, alias);
  const affinities = sub.tableAffinities ?? sub.affinities;
  const reads = sub.tableAffinities === undefined ? sub.columns : sub.columns.map((read, i) => (affinities[i] === Affinity.REAL ? () => integerAsReal(read()) : read));
  return bufferEntry(columns, () => collectRows(sub.operator, reads), ctx, alias, position, joinType, !sub.correlated, description, sub);
}

/** The columns a subquery exposes as a FROM item. */
function subqueryShapes(sub: CompiledQuery, columnNames: string[] | null, alias: string): ColumnShape[] {
  if (columnNames !== null && columnNames.length !== sub.columns.length) {
    throw new SqliteError(`table ${alias} has ${sub.columns.length} values for ${columnNames.length} columns`, 'SQLITE_ERROR');
  }
  const names = uniqueNames(columnNames ?? sub.names);
  const affinities = sub.tableAffinities ?? sub.affinities;
  return names.map((name, i) => ({
    name,
    affinity: affinities[i],
    collation: sub.collations[i] ?? 'BINARY',
    declaredType: sub.descriptions[i].type,
    originTable: sub.descriptions[i].table,
    originColumn: sub.descriptions[i].column,
  }));
}

/** A FROM item whose query streams its rows into `buffer` itself (a recursive CTE). */
function streamedEntry(
  sub: CompiledQuery,
  buffer: RowBuffer,
  columnNames: string[] | null,
  alias: string,
  position: number,
  joinType: 'INNER' | 'LEFT',
  description: string,
): FromEntry {
  return entryOverBuffer(subqueryShapes(sub, columnNames, alias), buffer, sub.operator, alias, position, joinType, description, sub);
}

/** OP_RealAffinity: an INTEGER read from a column of REAL affinity is a REAL. */
function integerAsReal(v: SqlValue): SqlValue {
  if (typeof v === 'bigint') return realValue(Number(v));
  return typeof v === 'number' && Number.isInteger(v) ? realValue(v) : v;
}

/** Names of a subquery's columns as its outer query sees them: duplicates get ":1", ":2", ... */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    let n = 0;
    while (used.has(candidate.toLowerCase())) candidate = `${name}:${++n}`;
    used.add(candidate.toLowerCase());
    return candidate;
  });
}

interface ColumnShape {
  readonly name: string;
  readonly affinity: Affinity;
  readonly collation: string;
  readonly declaredType: string | null;
  readonly originTable: string | null;
  readonly originColumn: string | null;
}

function bufferEntry(
  shapes: readonly ColumnShape[],
  fill: () => import('../exec/values/value.js').SqlValue[][],
  ctx: CompilerContext,
  alias: string,
  position: number,
  joinType: 'INNER' | 'LEFT',
  stable: boolean,
  description: string,
  subquery: CompiledQuery | null,
): FromEntry {
  const buffer = new RowBuffer(shapes.length);
  return entryOverBuffer(shapes, buffer, new MaterializedRows(buffer, fill, ctx.runtime, stable), alias, position, joinType, description, subquery);
}

function entryOverBuffer(
  shapes: readonly ColumnShape[],
  buffer: RowBuffer,
  operator: Operator,
  alias: string,
  position: number,
  joinType: 'INNER' | 'LEFT',
  description: string,
  subquery: CompiledQuery | null,
): FromEntry {
  const nullRow = new Array(shapes.length).fill(null);
  let savedRow = buffer.row;
  const columns: ScopeColumn[] = shapes.map((shape, i) => ({ ...shape, read: buffer.reader(i), tableColumn: -1 }));
  return {
    item: { name: alias, columns, mergedColumns: new Set(), rowid: null, table: null, position },
    joinType,
    onTerms: [],
    source: { kind: 'rows', operator, buffer, description, subquery },
    planName: alias,
    setNullRow: (on) => {
      if (on) {
        savedRow = buffer.row;
        buffer.row = nullRow;
      } else if (buffer.row === nullRow) {
        buffer.row = savedRow;
      }
    },
  };
}
