/**
 * INSERT (and REPLACE INTO): compiles the target and its column list, the
 * row source, the table's DEFAULT values and CHECK constraints, and the
 * RETURNING clause into a write Program.
 *
 * Rows come from a plain VALUES list (each row's expressions evaluated in
 * turn, nothing materialized), from any other SELECT (read completely before
 * the first write, so a query over the target table does not see its own
 * inserts), or from DEFAULT VALUES. Each row is completed with the column
 * defaults and handed to TableModifier, which enforces the constraints and
 * conflict resolution; AUTOINCREMENT tables keep sqlite_sequence in step.
 * A row that hits a conflict an ON CONFLICT clause handles goes to the
 * upsert (upsert-clause.ts): DO NOTHING skips it, DO UPDATE changes the
 * existing row, which then counts as a change and is what RETURNING shows.
 * The statement sets changes() and, per row inserted into a rowid table,
 * last_insert_rowid().
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr, InsertStmt } from '../sql/ast.js';
import { AutoincrementSequence } from '../exec/autoincrement.js';
import type { Evaluate } from '../exec/evaluate.js';
import { collectRows } from '../exec/operators/materialized-rows.js';
import type { Program } from '../exec/program.js';
import { RowSlot } from '../exec/row-slot.js';
import { TableModifier } from '../exec/table-modifier.js';
import type { SqlValue } from '../exec/values/value.js';
import type { TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { compileScalar } from './expression-compiler.js';
import { modifierSetup, targetTable } from './modification-target.js';
import { compileReturning, modificationProgram } from './returning-clause.js';
import { Scope } from './scope.js';
import { compileSelect, expressionContext } from './select-compiler.js';
import { compileRowTriggers } from './trigger-compiler.js';
import { compileUpsert } from './upsert-clause.js';

/** Where each source value goes: a column index, or -1 for the rowid. */
function targetColumns(stmt: InsertStmt, table: TableSchema): number[] {
  if (stmt.columns === null) return table.columns.map((_, i) => i);
  return stmt.columns.map((identifier) => {
    const lower = identifier.name.toLowerCase();
    const i = table.columns.findIndex((c) => c.name.toLowerCase() === lower);
    if (i >= 0) return i;
    if (!table.withoutRowid && (lower === 'rowid' || lower === 'oid' || lower === '_rowid_')) return table.rowidAlias >= 0 ? table.rowidAlias : -1;
    throw new SqliteError(`table ${table.name} has no column named ${identifier.name}`, 'SQLITE_ERROR');
  });
}

function countError(stmt: InsertStmt, table: TableSchema, supplied: number, expected: number): SqliteError {
  if (stmt.columns === null) return new SqliteError(`table ${table.name} has ${expected} columns but ${supplied} values were supplied`, 'SQLITE_ERROR');
  return new SqliteError(`${supplied} values for ${expected} columns`, 'SQLITE_ERROR');
}

/** A source of rows: `start` begins an execution whose `next` fills `into` and returns false when done. */
interface RowSource {
  readonly start: () => (into: SqlValue[]) => boolean;
  /** True when every execution yields at most one row. */
  readonly singleRow: boolean;
}

export function insertProgram(stmt: InsertStmt, parentCtx: CompilerContext, services: ConnectionServices): Program {
  const ctx = parentCtx.withClause(stmt.with);
  const table = targetTable(stmt.table, ctx.schema);
  const targets = stmt.select === null ? [] : targetColumns(stmt, table);
  const source = rowSource(stmt, table, targets.length, ctx);
  const slot = new RowSlot(table.columns.length);
  const setup = modifierSetup(table, slot, stmt.orConflict, ctx, services);
  const defaults = setup.defaults;
  const returning = stmt.returning === null ? null : compileReturning(stmt.returning, table, table.name, slot, ctx);
  const counters = services.counters;
  const storage = services.storage;
  const width = table.columns.length;
  const assigned = new Uint8Array(width);
  for (const t of targets) if (t >= 0) assigned[t] = 1;
  const sequenceTable = table.autoincrement ? ctx.schema.table('sqlite_sequence') : undefined;
  const triggers = compileRowTriggers(table, 'INSERT', null, ctx, services);
  const upsert = stmt.upsert.length > 0 ? compileUpsert(stmt.upsert, table, stmt.table.alias ? stmt.table.alias.name : table.name, ctx, services) : null;

  let reusable: TableModifier | null = null;
  // Row buffers reused by every execution; a re-entrant one (a trigger inserting into this table) gets its own.
  const rowBuffers = { incoming: new Array<SqlValue>(targets.length).fill(null), values: new Array<SqlValue>(width).fill(null), busy: false };
  const execute = (): SqlValue[][] | null => {
    reusable ??= new TableModifier(storage, setup);
    const modifier = reusable;
    const sequence = sequenceTable !== undefined ? new AutoincrementSequence(storage, sequenceTable, table.name) : null;
    const reuse = !rowBuffers.busy;
    const incoming: SqlValue[] = reuse ? rowBuffers.incoming : new Array(targets.length).fill(null);
    const values: SqlValue[] = reuse ? rowBuffers.values : new Array(width).fill(null);
    const output: SqlValue[][] | null = returning !== null ? [] : null;
    let count = 0;
    const next = source.start();
    modifier.open();
    rowBuffers.busy = true;
    try {
      if (sequence !== null) modifier.autoincrementFloor = sequence.load();
      while (next(incoming)) {
        let rowid: SqlValue = null;
        for (let i = 0; i < width; i++) {
          if (assigned[i] === 0) values[i] = defaults[i] === null ? null : defaults[i]!();
        }
        for (let k = 0; k < targets.length; k++) {
          const t = targets[k];
          if (t >= 0) values[t] = incoming[k];
          else rowid = incoming[k];
        }
        if (triggers !== null && !triggers.before(null, null, values, rowid ?? (table.rowidAlias >= 0 ? values[table.rowidAlias] : null))) continue;
        const inserted = upsert === null ? modifier.insert(values, rowid) : modifier.insertOrConflict(values, rowid, upsert.targets);
        if (sequence !== null && modifier.chosenRowid !== null) {
          sequence.observe(modifier.chosenRowid);
          modifier.autoincrementFloor = sequence.current;
        }
        if (!inserted) {
          if (upsert === null || modifier.upsertConflict === null) continue;
          const updated = upsert.resolve(modifier, values, modifier.chosenRowid);
          if (updated === null) continue;
          count++;
          if (output !== null) {
            slot.values = updated.values;
            slot.rowid = updated.rowid;
            output.push(returning!.row());
          }
          continue;
        }
        count++;
        if (!table.withoutRowid) counters.lastInsertRowid = modifier.rowid;
        if (output !== null) {
          slot.values = values;
          slot.rowid = table.withoutRowid ? null : modifier.rowid;
          output.push(returning!.row());
        }
        if (triggers !== null) triggers.after(null, null, values, table.withoutRowid ? null : modifier.rowid);
      }
      sequence?.save();
    } catch (error) {
      counters.fail(count, services.transactions.failMode === 'fail');
      throw error;
    } finally {
      modifier.close();
      if (reuse) rowBuffers.busy = false;
    }
    counters.finish(count);
    return output;
  };

  return modificationProgram(returning, ctx, !source.singleRow || triggers !== null || sequenceTable !== undefined, execute);
}

function rowSource(stmt: InsertStmt, table: TableSchema, expected: number, ctx: CompilerContext): RowSource {
  const select = stmt.select;
  if (select === null) {
    return {
      singleRow: true,
      start: () => {
        let done = false;
        return () => {
          if (done) return false;
          done = true;
          return true;
        };
      },
    };
  }
  const first = select.first;
  if (first.kind === 'Values' && select.compounds.length === 0 && select.orderBy === null && select.limit === null && select.with === null) {
    const exprCtx = expressionContext(ctx);
    const scope = new Scope(ctx.outerScope);
    if (first.rows.some((row) => row.length !== first.rows[0].length)) {
      throw new SqliteError('all VALUES must have the same number of terms', 'SQLITE_ERROR');
    }
    const rows: Evaluate[][] = first.rows.map((row: Expr[]) => {
      if (row.length !== expected) throw countError(stmt, table, row.length, expected);
      return row.map((e) => compileScalar(e, scope, exprCtx).evaluate);
    });
    return {
      singleRow: rows.length === 1,
      start: () => {
        let position = 0;
        return (into) => {
          if (position >= rows.length) return false;
          const row = rows[position++];
          for (let i = 0; i < row.length; i++) into[i] = row[i]();
          return true;
        };
      },
    };
  }
  const query = compileSelect(select, ctx.outerScope, ctx);
  if (query.columns.length !== expected) throw countError(stmt, table, query.columns.length, expected);
  return {
    singleRow: false,
    start: () => {
      const rows = collectRows(query.operator, query.columns);
      let position = 0;
      return (into) => {
        if (position >= rows.length) return false;
        const row = rows[position++];
        for (let i = 0; i < row.length; i++) into[i] = row[i];
        return true;
      };
    },
  };
}
