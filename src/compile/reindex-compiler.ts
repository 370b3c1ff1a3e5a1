/**
 * REINDEX [name]: rebuilds indexes from their tables' rows — every index,
 * the indexes of one table, one index, or the indexes using a collation of
 * that name. The trees keep their root pages; a UNIQUE index whose rows
 * now collide fails with the UNIQUE constraint error.
 */
import { SqliteError } from '../sqlite-error.js';
import type { ReindexStmt } from '../sql/ast.js';
import { fillIndex } from '../exec/index-builder.js';
import type { Program } from '../exec/program.js';
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { indexRowLogic } from './index-row-logic.js';
import { checkSchemaName, schemaWriteProgram } from './schema-change.js';

export function reindexProgram(stmt: ReindexStmt, ctx: CompilerContext, services: ConnectionServices): Program {
  checkSchemaName(stmt.schema);
  const schema = ctx.schema;
  const targets: { table: TableSchema; index: IndexSchema }[] = [];
  const all = (table: TableSchema): void => {
    for (const index of table.indexes) targets.push({ table, index });
  };
  if (stmt.name === null) {
    for (const table of schema.tables.values()) all(table);
  } else {
    const name = stmt.name.name;
    const lower = name.toLowerCase();
    const table = schema.table(name);
    const index = schema.index(name);
    if (table !== undefined) all(table);
    else if (index !== undefined) targets.push({ table: schema.table(index.tableName)!, index });
    else if (lower === 'binary' || lower === 'nocase' || lower === 'rtrim') {
      for (const t of schema.tables.values()) {
        for (const i of t.indexes) if (i.keyTerms.some((term) => term.collation.toLowerCase() === lower)) targets.push({ table: t, index: i });
      }
    } else {
      throw new SqliteError('unable to identify the object to be reindexed', 'SQLITE_ERROR');
    }
  }
  return schemaWriteProgram(schema, () => {
    for (const { table, index } of targets) rebuild(services, table, index, ctx);
  });
}

function rebuild(services: ConnectionServices, table: TableSchema, index: IndexSchema, ctx: CompilerContext): void {
  services.storage.btree.clearTree(index.rootPage);
  services.storage.writes++;
  fillIndex(services.storage, table, index, indexRowLogic({ ...table, indexes: [index] }, ctx));
}
