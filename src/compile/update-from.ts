/**
 * The search half of `UPDATE ... FROM` (SQLite 3.33): the target table is
 * joined with the FROM items under WHERE, and every SET expression is
 * evaluated during the join, while the FROM row it may read is current.
 * Each target row is changed at most once: when several join rows match
 * it, the last one's values win (SQLite keys its temporary table by the
 * target's row key). Rows are then changed in row-key order.
 *
 * An unaliased target may not appear unaliased in FROM as well ("target
 * object/alias may not appear in FROM clause: t"). SET and WHERE see the
 * target's and the FROM items' columns; RETURNING sees the target only.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr, FromItem, QualifiedTableName } from '../sql/ast.js';
import type { Evaluate } from '../exec/evaluate.js';
import { RecordBuilder } from '../exec/record-values.js';
import { keyCollation, rowKey } from '../exec/value-key.js';
import { compareValues } from '../exec/values/compare.js';
import type { SqlValue } from '../exec/values/value.js';
import type { TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import type { ExpressionContext } from './expression-compiler.js';
import { compileFrom } from './from-clause.js';
import { planJoin } from './query-planner.js';
import { Scope } from './scope.js';
import { targetTableRef, type TargetScan } from './target-scan.js';

/** A target scan whose keys carry the SET values computed with them (`key.length` = key width + assignments). */
export interface UpdateFromScan extends TargetScan {
  readonly keyWidth: number;
}

export function compileUpdateFromScan(
  target: QualifiedTableName,
  table: TableSchema,
  from: readonly FromItem[],
  where: Expr | null,
  ctx: CompilerContext,
  exprCtx: ExpressionContext,
  compileAssignments: (scope: Scope) => readonly Evaluate[],
): UpdateFromScan {
  const targetName = target.name.name;
  for (const item of from) {
    if (target.alias === null && item.kind === 'TableRef' && item.alias === null && item.name.name.toLowerCase() === targetName.toLowerCase()) {
      throw new SqliteError(`target object/alias may not appear in FROM clause: ${targetName}`, 'SQLITE_ERROR');
    }
  }
  const scope = new Scope(ctx.outerScope);
  const entries = compileFrom([targetTableRef(target), ...from], scope, ctx);
  const entry = entries[0];
  if (entry.source.kind !== 'table') throw new SqliteError(`no such table: ${target.name.name}`, 'SQLITE_ERROR');
  const cursor = entry.source.cursor;
  const item = entry.item;
  const assignments = compileAssignments(scope);
  const joined = planJoin(entries, where, scope, exprCtx);
  const operator = joined.operator;
  const keyColumns = table.withoutRowid ? table.primaryIndex!.keyTerms.map((t) => t.column) : [-1];
  const keyReads: Evaluate[] = keyColumns.map((c) => (c < 0 ? item.rowid! : item.columns[c].read));
  const keyCollations = keyColumns.map((c) => keyCollation(c < 0 ? null : table.columns[c].collation));
  const keyWidth = keyReads.length;
  const builder = new RecordBuilder();
  return {
    table,
    scope,
    cursor,
    plan: joined.lines,
    keyWidth,
    columns: item.columns.map((c) => c.read),
    collectKeys(): SqlValue[][] {
      const byKey = new Map<string, SqlValue[]>();
      operator.open();
      try {
        while (operator.next()) {
          const row: SqlValue[] = new Array(keyWidth + assignments.length);
          for (let i = 0; i < keyWidth; i++) row[i] = keyReads[i]();
          for (let k = 0; k < assignments.length; k++) row[keyWidth + k] = assignments[k]();
          byKey.set(rowKey(row.slice(0, keyWidth), keyCollations), row);
        }
      } finally {
        operator.close();
      }
      return [...byKey.values()].sort((a, b) => {
        for (let i = 0; i < keyWidth; i++) {
          const c = compareValues(a[i], b[i]);
          if (c !== 0) return c;
        }
        return 0;
      });
    },
    seek(key: readonly SqlValue[]): boolean {
      cursor.open();
      if (!table.withoutRowid) return cursor.seekRowid(key[0] as number | bigint, 'eq');
      return cursor.seekKey(builder.encode(key.slice(0, keyWidth)), 'eq');
    },
  };
}
