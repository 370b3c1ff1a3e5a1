/**
 * EXPLAIN QUERY PLAN: compiles the statement as usual (so errors are the
 * same) and returns the planner's lines as SQLite's (id, parent, notused,
 * detail) rows instead of running it. Statements without a query plan
 * (INSERT ... VALUES, DDL, transaction control) yield no rows.
 */
import type { Statement } from '../sql/ast.js';
import type { Program } from '../exec/program.js';
import type { CompilerContext } from './compiler-context.js';
import { deletePlan } from './delete-compiler.js';
import type { PlanLine } from './query-planner.js';
import { compileSelect } from './select-compiler.js';
import { PLAN_COLUMNS, planRows, rowsProgram } from './select-program.js';
import { updatePlan } from './update-compiler.js';

export function explainQueryPlanProgram(stmt: Statement, ctx: CompilerContext): Program {
  let lines: readonly PlanLine[] = [];
  if (stmt.kind === 'Select') lines = compileSelect(stmt, null, ctx).plan;
  else if (stmt.kind === 'Update') lines = updatePlan(stmt, ctx);
  else if (stmt.kind === 'Delete') lines = deletePlan(stmt, ctx);
  else if (stmt.kind === 'Insert' && stmt.select !== null && stmt.select.first.kind === 'SelectCore') lines = compileSelect(stmt.select, null, ctx.withClause(stmt.with)).plan;
  const rows = planRows(lines);
  return rowsProgram(PLAN_COLUMNS, ctx.schema, 'read', () => rows.map((r) => r.slice()));
}
