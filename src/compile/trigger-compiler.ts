/**
 * Row triggers: the BEFORE and AFTER triggers of one table and event,
 * compiled into the DML statement that fires them.
 *
 * Each trigger body compiles in a context whose outer scope holds the NEW
 * and OLD rows (reachable only as `new.x` / `old.x`), where RAISE() is
 * allowed; its steps are ordinary INSERT/UPDATE/DELETE/SELECT programs run
 * inside the firing statement's transaction. A trigger never fires from
 * within its own body (SQLite's default, recursive_triggers off). UPDATE
 * triggers with `UPDATE OF cols` fire only when a listed column is set.
 *
 * Per row: WHEN is evaluated, then the steps run in order. RAISE(IGNORE)
 * abandons the rest of the trigger and, from a BEFORE trigger, the row's
 * change; RAISE(ABORT|FAIL|ROLLBACK, msg) fails the statement with
 * SQLITE_CONSTRAINT_TRIGGER and the matching undo. changes() and
 * last_insert_rowid() seen after the trigger are those from before it.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Program } from '../exec/program.js';
import { RowSlot } from '../exec/row-slot.js';
import { truthValue, toText } from '../exec/values/conversions.js';
import type { SqlValue } from '../exec/values/value.js';
import type { TableSchema, TriggerSchema } from '../schema/schema-objects.js';
import type { CompilerContext, RaiseFactory } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { compileScalar } from './expression-compiler.js';
import { rowSlotItem } from './row-scope.js';
import { Scope } from './scope.js';
import { compileSelect, expressionContext } from './select-compiler.js';
import { selectProgram } from './select-program.js';
// Trigger steps are DML statements whose compilers compile triggers in turn:
// the cycle is only followed at compile time, never while modules load.
import { deleteProgram } from './delete-compiler.js';
import { insertProgram } from './insert-compiler.js';
import { updateProgram } from './update-compiler.js';

/** Thrown by RAISE(IGNORE); caught by the trigger that is running. */
class TriggerIgnore extends Error {}

export interface RowTriggers {
  /** Runs the BEFORE triggers; false when RAISE(IGNORE) skips the row. */
  before(oldValues: SqlValue[] | null, oldRowid: SqlValue, newValues: SqlValue[] | null, newRowid: SqlValue): boolean;
  /** Runs the AFTER triggers. */
  after(oldValues: SqlValue[] | null, oldRowid: SqlValue, newValues: SqlValue[] | null, newRowid: SqlValue): void;
}

interface CompiledTrigger {
  readonly when: Evaluate | null;
  readonly steps: readonly Program[];
}

type TriggerEvent = 'INSERT' | 'UPDATE' | 'DELETE';

/** The triggers to fire for `event` on `table`, or null when there are none. */
export function compileRowTriggers(
  table: TableSchema,
  event: TriggerEvent,
  changedColumns: ReadonlySet<number> | null,
  ctx: CompilerContext,
  services: ConnectionServices,
): RowTriggers | null {
  const active = ctx.trigger !== null ? ctx.trigger.active : [];
  const chosen = ctx.schema.triggersOn(table.name).filter((trigger) => {
    const definition = trigger.definition;
    if (definition.event !== event || definition.time === 'INSTEAD OF') return false;
    if (active.includes(trigger.name.toLowerCase())) return false;
    if (definition.updateOf !== null && changedColumns !== null) {
      return definition.updateOf.some((c) => {
        const lower = c.name.toLowerCase();
        const i = table.columns.findIndex((col) => col.name.toLowerCase() === lower);
        return i >= 0 ? changedColumns.has(i) : false;
      });
    }
    return true;
  });
  if (chosen.length === 0) return null;
  const oldSlot = new RowSlot(table.columns.length);
  const newSlot = new RowSlot(table.columns.length);
  const scope = new Scope(null);
  if (event !== 'INSERT') scope.add({ ...rowSlotItem(table, oldSlot, 'old'), qualifiedOnly: true });
  if (event !== 'DELETE') scope.add({ ...rowSlotItem(table, newSlot, 'new', 1), qualifiedOnly: true });
  const before: CompiledTrigger[] = [];
  const after: CompiledTrigger[] = [];
  for (const trigger of chosen) {
    const compiled = compileTrigger(trigger, scope, [...active, trigger.name.toLowerCase()], ctx, services);
    if (trigger.definition.time === 'AFTER') after.push(compiled);
    else before.push(compiled);
  }
  const counters = services.counters;
  const load = (oldValues: SqlValue[] | null, oldRowid: SqlValue, newValues: SqlValue[] | null, newRowid: SqlValue): void => {
    if (oldValues !== null) {
      oldSlot.values = oldValues;
      oldSlot.rowid = oldRowid;
    }
    if (newValues !== null) {
      newSlot.values = newValues;
      newSlot.rowid = newRowid;
    }
  };
  const fire = (triggers: readonly CompiledTrigger[]): boolean => {
    const savedChanges = counters.changes;
    const savedRowid = counters.lastInsertRowid;
    try {
      for (const trigger of triggers) {
        if (trigger.when !== null && truthValue(trigger.when()) !== true) continue;
        for (const step of trigger.steps) {
          const run = step.start();
          try {
            while (run.next() !== null);
          } finally {
            run.close();
          }
        }
      }
      return true;
    } catch (error) {
      if (error instanceof TriggerIgnore) return false;
      throw error;
    } finally {
      counters.changes = savedChanges;
      counters.lastInsertRowid = savedRowid;
    }
  };
  return {
    before(oldValues, oldRowid, newValues, newRowid) {
      if (before.length === 0) return true;
      load(oldValues, oldRowid, newValues, newRowid);
      return fire(before);
    },
    after(oldValues, oldRowid, newValues, newRowid) {
      if (after.length === 0) return;
      load(oldValues, oldRowid, newValues, newRowid);
      fire(after);
    },
  };
}

function compileTrigger(trigger: TriggerSchema, scope: Scope, active: readonly string[], parent: CompilerContext, services: ConnectionServices): CompiledTrigger {
  const raise: RaiseFactory = (action, message) => {
    if (action === 'IGNORE') {
      return () => {
        throw new TriggerIgnore();
      };
    }
    return () => {
      const text = message !== null ? toText(message()) ?? '' : '';
      if (action !== 'ABORT') services.transactions.failMode = action === 'FAIL' ? 'fail' : 'rollback';
      throw new SqliteError(text, 'SQLITE_CONSTRAINT_TRIGGER');
    };
  };
  const ctx = parent.inTrigger(trigger.source, { scope, raise, active });
  const definition = trigger.definition;
  const when = definition.when !== null ? compileScalar(definition.when, new Scope(scope), expressionContext(ctx)).evaluate : null;
  const steps = definition.body.map((step): Program => {
    switch (step.kind) {
      case 'Select':
        return selectProgram(compileSelect(step, scope, ctx), ctx.schema);
      case 'Insert':
        return insertProgram(step, ctx, services);
      case 'Update':
        return updateProgram(step, ctx, services);
      case 'Delete':
        return deleteProgram(step, ctx, services);
    }
  });
  return { when, steps };
}
