/**
 * The values a table's columns read as in a short record: a row written
 * before `ALTER TABLE ... ADD COLUMN` (by SQLite or by Shoal) has fewer
 * fields than the table has columns, and SQLite reads each missing column
 * as that column's DEFAULT, with the column's affinity applied. ADD COLUMN
 * only accepts constant defaults (a literal, possibly signed), so the values
 * are computed once per table schema; other defaults read as NULL, as they
 * can never be missing from a record.
 */
import type { Expr } from '../sql/ast.js';
import type { TableSchema } from '../schema/schema-objects.js';
import { applyAffinity } from './values/affinity.js';
import { literalValue, negatedLiteralValue } from './values/literal-value.js';
import type { SqlValue } from './values/value.js';

const computed = new WeakMap<TableSchema, SqlValue[] | null>();

/** Per column (schema order) the value a missing field reads as, or null when every column reads NULL. */
export function shortRecordDefaults(table: TableSchema): SqlValue[] | null {
  let defaults = computed.get(table);
  if (defaults === undefined) {
    defaults = table.columns.some((column) => constantDefault(column.defaultExpr) !== null)
      ? table.columns.map((column) => {
          const value = constantDefault(column.defaultExpr);
          return value === null ? null : applyAffinity(value, column.affinity);
        })
      : null;
    computed.set(table, defaults);
  }
  return defaults;
}

function constantDefault(expr: Expr | null): SqlValue {
  if (expr === null) return null;
  if (expr.kind === 'Literal') return literalValue(expr);
  if (expr.kind === 'Unary' && expr.operand.kind === 'Literal') {
    if (expr.op === '-') return negatedLiteralValue(expr.operand);
    if (expr.op === '+') return literalValue(expr.operand);
  }
  return null;
}
