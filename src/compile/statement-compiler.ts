/**
 * The compiler's entry point: one parsed statement in, one Program out.
 * It builds the compiler context (the connection's current catalog, the
 * statement's runtime and function context, the SQL text the tree's spans
 * index into) and dispatches on the statement kind. Everything SQLite
 * reports at prepare time (unknown tables and columns, syntax-level misuse)
 * is raised here; execution-time errors come from the Program.
 */
import { SqliteError } from '../sqlite-error.js';
import type { ParsedStatement } from '../sql/ast.js';
import { EMPTY_RUN, type Program } from '../exec/program.js';
import type { StatementRuntime } from '../exec/runtime.js';
import { alterTableProgram } from './alter-table-compiler.js';
import { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { createIndexProgram } from './create-index-compiler.js';
import { createTableProgram } from './create-table-compiler.js';
import { createTriggerProgram, createViewProgram } from './create-view-trigger-compiler.js';
import { deleteProgram } from './delete-compiler.js';
import { dropProgram } from './drop-compiler.js';
import { explainQueryPlanProgram } from './explain-compiler.js';
import { insertProgram } from './insert-compiler.js';
import { pragmaProgram } from './pragma-compiler.js';
import { reindexProgram } from './reindex-compiler.js';
import { compileSelect } from './select-compiler.js';
import { selectProgram } from './select-program.js';
import { transactionProgram } from './transaction-compiler.js';
import { updateProgram } from './update-compiler.js';

export function compileStatement(parsed: ParsedStatement, sql: string, services: ConnectionServices, runtime: StatementRuntime): Program {
  const ctx = new CompilerContext(
    services.schema,
    services.storage,
    services.functions,
    services.counters.contextFor(runtime),
    runtime,
    sql,
    null,
    [],
  );
  if (parsed.explain === 'QUERY PLAN') return explainQueryPlanProgram(parsed.stmt, ctx);
  if (parsed.explain === 'EXPLAIN') throw new SqliteError('EXPLAIN (bytecode listing) is not supported by this engine', 'SQLITE_ERROR');
  const stmt = parsed.stmt;
  switch (stmt.kind) {
    case 'Select':
      return selectProgram(compileSelect(stmt, null, ctx), ctx.schema);
    case 'Insert':
      return insertProgram(stmt, ctx, services);
    case 'Update':
      return updateProgram(stmt, ctx, services);
    case 'Delete':
      return deleteProgram(stmt, ctx, services);
    case 'CreateTable':
      return createTableProgram(stmt, ctx, services);
    case 'CreateIndex':
      return createIndexProgram(stmt, ctx, services);
    case 'CreateView':
      return createViewProgram(stmt, ctx, services);
    case 'CreateTrigger':
      return createTriggerProgram(stmt, ctx, services);
    case 'Drop':
      return dropProgram(stmt, ctx.schema, services);
    case 'Begin':
    case 'Commit':
    case 'Rollback':
    case 'Savepoint':
    case 'Release':
      return transactionProgram(stmt, services.transactions);
    case 'Pragma':
      return pragmaProgram(stmt, ctx, services);
    case 'Reindex':
      return reindexProgram(stmt, ctx, services);
    case 'Analyze':
      // The planner keeps no statistics, so there is nothing to gather.
      return { access: 'read', reader: false, readonly: true, columns: [], schema: ctx.schema, start: () => EMPTY_RUN };
    case 'AlterTable':
      return alterTableProgram(stmt, ctx, services);
    case 'Vacuum':
    case 'Attach':
    case 'Detach':
    case 'CreateVirtualTable':
      throw new SqliteError(`${statementName(stmt.kind)} is not supported by this engine`, 'SQLITE_ERROR');
  }
}

function statementName(kind: 'Vacuum' | 'Attach' | 'Detach' | 'CreateVirtualTable'): string {
  switch (kind) {
    case 'Vacuum':
      return 'VACUUM';
    case 'Attach':
      return 'ATTACH';
    case 'Detach':
      return 'DETACH';
    case 'CreateVirtualTable':
      return 'CREATE VIRTUAL TABLE';
  }
}
