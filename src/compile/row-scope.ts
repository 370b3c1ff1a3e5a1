/**
 * A scope item over a row held in a `RowSlot` (the values of one table row
 * in declaration order, and its rowid). Expressions evaluated
 * against a row that is being written compile against it: DEFAULT values,
 * CHECK constraints, index expressions and partial-index predicates, the
 * NEW and OLD rows of triggers, and RETURNING.
 */
import type { TableSchema } from '../schema/schema-objects.js';
import type { RowSlot } from '../exec/row-slot.js';
import type { ScopeColumn, ScopeItem } from './scope.js';

/** A scope item named `name` whose columns read `slot`. */
export function rowSlotItem(table: TableSchema, slot: RowSlot, name: string, position = 0): ScopeItem {
  const columns: ScopeColumn[] = table.columns.map((column, i) => ({
    name: column.name,
    affinity: column.affinity,
    collation: column.collation,
    declaredType: column.declaredType === '' ? null : column.declaredType,
    originTable: table.name,
    originColumn: column.name,
    read: i === table.rowidAlias ? () => slot.rowid : () => slot.values[i],
    tableColumn: i,
  }));
  return {
    name,
    columns,
    mergedColumns: new Set(),
    rowid: table.withoutRowid ? null : () => slot.rowid,
    table,
    position,
  };
}
