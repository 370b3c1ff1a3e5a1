/**
 * The built-in `sqlite_schema` table (root page 1): five columns
 * `type, name, tbl_name, rootpage, sql`, stored like any rowid table.
 */
import { Affinity } from '../exec/values/affinity.js';
import type { ColumnSchema, TableSchema } from './schema-objects.js';

function column(name: string, declaredType: string, affinity: Affinity, storage: number): ColumnSchema {
  return {
    name,
    declaredType,
    affinity,
    collation: 'BINARY',
    notNull: false,
    notNullConflict: null,
    defaultExpr: null,
    defaultText: null,
    defaultSource: '',
    primaryKeyPosition: 0,
    storage,
    hidden: false,
  };
}

export const SQLITE_SCHEMA_SQL = 'CREATE TABLE sqlite_schema(type text,name text,tbl_name text,rootpage integer,sql text)';

export const SQLITE_SCHEMA_TABLE: TableSchema = {
  name: 'sqlite_schema',
  columns: [
    column('type', 'text', Affinity.TEXT, 0),
    column('name', 'text', Affinity.TEXT, 1),
    column('tbl_name', 'text', Affinity.TEXT, 2),
    column('rootpage', 'int', Affinity.INTEGER, 3),
    column('sql', 'text', Affinity.TEXT, 4),
  ],
  rowidAlias: -1,
  withoutRowid: false,
  autoincrement: false,
  primaryKey: [],
  primaryKeyConflict: null,
  checks: [],
  indexes: [],
  primaryIndex: null,
  rootPage: 1,
  sql: SQLITE_SCHEMA_SQL,
  internal: true,
  definition: null,
};
