/**
 * The row-finding half of UPDATE and DELETE: the target table as the only
 * FROM item (so its columns resolve in WHERE, SET and RETURNING, under its
 * alias if it has one), the WHERE clause planned like a SELECT's (index and
 * rowid access paths, EXPLAIN QUERY PLAN lines), and the row key of each
 * matching row: its rowid, or its primary-key values for WITHOUT ROWID.
 *
 * Keys are collected before anything is changed, so the statement never
 * sees its own changes while searching (SQLite's two-pass plan); the second
 * pass positions the table cursor on each key (`seek`) and reads the row
 * through the same closures WHERE and SET compiled against.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr, QualifiedTableName, TableRef } from '../sql/ast.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Operator } from '../exec/operator.js';
import { RecordBuilder } from '../exec/record-values.js';
import type { TableCursor } from '../exec/table-cursor.js';
import type { SqlValue } from '../exec/values/value.js';
import type { TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import type { ExpressionContext } from './expression-compiler.js';
import { compileFrom } from './from-clause.js';
import { planJoin, type PlanLine } from './query-planner.js';
import { Scope } from './scope.js';

export interface TargetScan {
  readonly table: TableSchema;
  readonly scope: Scope;
  readonly cursor: TableCursor;
  readonly plan: readonly PlanLine[];
  /** Runs the search and returns the key of every matching row. */
  collectKeys(): SqlValue[][];
  /** Positions the cursor on the row with `key`; false when it no longer exists. */
  seek(key: readonly SqlValue[]): boolean;
  /** Column `i` (declaration order) of the row the cursor is on. */
  readonly columns: readonly Evaluate[];
}

/** The FROM-clause item that names the target table of an UPDATE or DELETE. */
export function targetTableRef(target: QualifiedTableName): TableRef {
  return {
    kind: 'TableRef',
    join: null,
    alias: target.alias,
    constraint: null,
    schema: target.schema,
    name: target.name,
    args: null,
    indexedBy: target.indexedBy,
    notIndexed: target.notIndexed,
    start: target.start,
    end: target.end,
  };
}

export function compileTargetScan(target: QualifiedTableName, table: TableSchema, where: Expr | null, ctx: CompilerContext, exprCtx: ExpressionContext): TargetScan {
  const scope = new Scope(ctx.outerScope);
  const entries = compileFrom([targetTableRef(target)], scope, ctx);
  const entry = entries[0];
  if (entry.source.kind !== 'table') throw new SqliteError(`no such table: ${target.name.name}`, 'SQLITE_ERROR');
  const cursor = entry.source.cursor;
  const joined = planJoin(entries, where, scope, exprCtx);
  const operator: Operator = joined.operator;
  const item = entry.item;
  const keyReads: Evaluate[] = table.withoutRowid ? table.primaryIndex!.keyTerms.map((t) => item.columns[t.column].read) : [item.rowid!];
  const builder = new RecordBuilder();
  return {
    table,
    scope,
    cursor,
    plan: joined.lines,
    columns: item.columns.map((c) => c.read),
    collectKeys(): SqlValue[][] {
      const keys: SqlValue[][] = [];
      operator.open();
      try {
        while (operator.next()) keys.push(keyReads.map((read) => read()));
      } finally {
        operator.close();
      }
      return keys;
    },
    seek(key: readonly SqlValue[]): boolean {
      cursor.open();
      if (!table.withoutRowid) return cursor.seekRowid(key[0] as number | bigint, 'eq');
      return cursor.seekKey(builder.encode(key), 'eq');
    },
  };
}
