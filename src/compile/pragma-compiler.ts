/**
 * PRAGMA statements: each known pragma becomes a Program returning SQLite's
 * columns, or changing a setting (a header field in the file, a pager
 * tuning value, or a per-connection setting). Unknown pragmas do nothing
 * and return no rows, as in SQLite.
 *
 * Supported: table_info, index_list, index_info (also as table-valued
 * functions, see table-valued-functions.ts), user_version, application_id,
 * schema_version, journal_mode (always 'wal' for files and 'memory' for
 * :memory:), synchronous, cache_size, page_size, page_count,
 * freelist_count, foreign_keys (stored only), recursive_triggers,
 * busy_timeout, wal_checkpoint(MODE), wal_autocheckpoint, integrity_check,
 * quick_check, encoding, database_list.
 */
import { SqliteError } from '../sqlite-error.js';
import type { PragmaStmt } from '../sql/ast.js';
import { integrityCheck, type TableCheck } from '../btree/integrity-check.js';
import { KeyInfo } from '../btree/record-compare.js';
import type { ColumnDescription } from '../exec/engine-contract.js';
import { EMPTY_RUN, type Program, type TransactionAccess } from '../exec/program.js';
import { keyInfoOf } from '../exec/table-cursor.js';
import type { SqlValue } from '../exec/values/value.js';
import { cachePagesFor } from '../pager/page-cache.js';
import type { HeaderField } from '../pager/database-header.js';
import type { CheckpointMode } from '../wal/checkpoint.js';
import type { Synchronous } from '../wal/synchronous.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { checkSchemaName } from './schema-change.js';
import { INDEX_INFO_COLUMNS, INDEX_LIST_COLUMNS, TABLE_INFO_COLUMNS, indexInfoRows, indexListRows, tableInfoRows } from './schema-pragma-rows.js';

function describe(names: readonly string[]): ColumnDescription[] {
  return names.map((name) => ({ name, column: null, table: null, database: null, type: null }));
}

function rowsPragma(access: TransactionAccess, names: readonly string[], schemaBound: CompilerContext | null, rows: () => SqlValue[][], readonly = true): Program {
  return {
    access,
    reader: true,
    readonly,
    columns: describe(names),
    schema: schemaBound !== null ? schemaBound.schema : null,
    start: () => {
      const list = rows();
      let position = 0;
      return { next: () => (position < list.length ? list[position++] : null), close: () => undefined };
    },
  };
}

function actionPragma(access: TransactionAccess, action: () => void): Program {
  return {
    access,
    reader: false,
    readonly: access !== 'write',
    columns: [],
    schema: null,
    start: () => {
      action();
      return EMPTY_RUN;
    },
  };
}

/** SQLite's reading of a pragma integer argument (leading integer, else 0). */
function integerArgument(value: string): number {
  const match = /^\s*([+-]?\d+)/.exec(value);
  return match ? Number(match[1]) : 0;
}

/** SQLite's boolean pragma values: on/yes/true/1 and off/no/false/0. */
function booleanArgument(value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'on' || lower === 'yes' || lower === 'true') return true;
  if (lower === 'off' || lower === 'no' || lower === 'false') return false;
  return integerArgument(value) !== 0;
}

const SYNCHRONOUS_LEVELS: readonly Synchronous[] = ['OFF', 'NORMAL', 'FULL'];

function synchronousArgument(value: string): Synchronous {
  const upper = value.toUpperCase();
  if (upper === 'OFF' || upper === 'NORMAL' || upper === 'FULL') return upper;
  if (upper === 'EXTRA') return 'FULL';
  const n = integerArgument(value);
  return n <= 0 ? 'OFF' : n === 1 ? 'NORMAL' : 'FULL';
}

export function pragmaProgram(stmt: PragmaStmt, ctx: CompilerContext, services: ConnectionServices): Program {
  checkSchemaName(stmt.schema);
  const name = stmt.name.name.toLowerCase();
  const value = stmt.value;
  const pager = services.storage.pager;
  const headerPragma = (field: HeaderField): Program => {
    if (value === null) return rowsPragma('read', [name], null, () => [[pager.headerField(field)]]);
    const n = integerArgument(value);
    return actionPragma('write', () => pager.setHeaderField(field, n));
  };
  switch (name) {
    case 'table_info':
      return value === null ? actionPragma('none', () => undefined) : rowsPragma('read', TABLE_INFO_COLUMNS, ctx, () => tableInfoRows(services.schema, value, ctx));
    case 'index_list':
      return value === null ? actionPragma('none', () => undefined) : rowsPragma('read', INDEX_LIST_COLUMNS, ctx, () => indexListRows(services.schema, value));
    case 'index_info':
      return value === null ? actionPragma('none', () => undefined) : rowsPragma('read', INDEX_INFO_COLUMNS, ctx, () => indexInfoRows(services.schema, value));
    case 'user_version':
      return headerPragma('userVersion');
    case 'application_id':
      return headerPragma('applicationId');
    case 'schema_version':
      if (value === null) return rowsPragma('read', [name], null, () => [[pager.schemaCookie()]]);
      return actionPragma('write', () => pager.setSchemaCookie(integerArgument(value)));
    case 'journal_mode':
      return rowsPragma('read', [name], null, () => [[services.memory ? 'memory' : 'wal']]);
    case 'synchronous':
      if (value === null) return rowsPragma('none', [name], null, () => [[SYNCHRONOUS_LEVELS.indexOf(pager.tuning.synchronous)]]);
      return actionPragma('none', () => {
        pager.tuning.synchronous = synchronousArgument(value);
      });
    case 'cache_size':
      if (value === null) return rowsPragma('none', [name], null, () => [[services.settings.cacheSize]]);
      return actionPragma('none', () => {
        const size = integerArgument(value);
        services.settings.cacheSize = size;
        pager.setCachePages(cachePagesFor(size, pager.pageSize));
      });
    case 'page_size':
      if (value === null) return rowsPragma('none', [name], null, () => [[pager.pageSize]]);
      return actionPragma('none', () => undefined);
    case 'page_count':
      return rowsPragma('read', [name], null, () => [[pager.pageCount()]]);
    case 'freelist_count':
      return rowsPragma('read', [name], null, () => [[pager.headerField('freelistCount')]]);
    case 'foreign_keys':
    case 'recursive_triggers': {
      const key = name === 'foreign_keys' ? 'foreignKeys' : 'recursiveTriggers';
      if (value === null) return rowsPragma('none', [name], null, () => [[services.settings[key] ? 1 : 0]]);
      return actionPragma('none', () => {
        services.settings[key] = booleanArgument(value);
      });
    }
    case 'busy_timeout':
      return rowsPragma('none', ['timeout'], null, () => {
        if (value !== null) pager.tuning.busyTimeoutMs = Math.max(0, integerArgument(value));
        return [[pager.tuning.busyTimeoutMs]];
      });
    case 'wal_autocheckpoint':
      return rowsPragma('none', [name], null, () => {
        if (value !== null) pager.tuning.autoCheckpointFrames = Math.max(0, integerArgument(value));
        return [[pager.tuning.autoCheckpointFrames]];
      });
    case 'wal_checkpoint':
      return walCheckpoint(value, services);
    case 'integrity_check':
    case 'quick_check':
      return rowsPragma('read', [name], ctx, () => checkIntegrity(services, value));
    case 'encoding':
      return rowsPragma('none', [name], null, () => [['UTF-8']]);
    case 'database_list':
      return rowsPragma('none', ['seq', 'name', 'file'], null, () => [[0, 'main', services.memory ? '' : services.path]]);
    default:
      return actionPragma('none', () => undefined);
  }
}

function walCheckpoint(value: string | null, services: ConnectionServices): Program {
  const upper = (value ?? 'PASSIVE').toUpperCase();
  const mode: CheckpointMode = upper === 'FULL' || upper === 'RESTART' || upper === 'TRUNCATE' ? upper : 'PASSIVE';
  return rowsPragma(
    'none',
    ['busy', 'log', 'checkpointed'],
    null,
    () => {
      if (services.memory) return [[0, -1, -1]];
      if (services.transactions.inTransaction || services.storage.pager.transactionState !== 'none') return [[1, -1, -1]];
      const result = services.storage.pager.checkpoint(mode);
      return [[result.busy ? 1 : 0, result.logFrames, result.checkpointedFrames]];
    },
    false,
  );
}

function checkIntegrity(services: ConnectionServices, value: string | null): SqlValue[][] {
  const schema = services.schema;
  const limit = value === null ? 100 : integerArgument(value);
  if (value !== null && !/^\s*[+-]?\d/.test(value)) {
    throw new SqliteError('integrity_check on a named table is not supported by this engine', 'SQLITE_ERROR');
  }
  const roots: number[] = [];
  const tables: TableCheck[] = [];
  const keyInfos = new Map<number, KeyInfo>();
  for (const table of schema.tables.values()) {
    roots.push(table.rootPage);
    if (table.withoutRowid) keyInfos.set(table.rootPage, keyInfoOf(table.primaryIndex!.keyTerms));
    const checkable = !table.withoutRowid && table.indexes.every((i) => i.where === null && i.keyTerms.every((t) => t.column !== -2));
    for (const index of table.indexes) {
      roots.push(index.rootPage);
      if (!checkable) keyInfos.set(index.rootPage, keyInfoOf(index.keyTerms));
    }
    if (checkable) {
      tables.push({
        name: table.name,
        root: table.rootPage,
        indexes: table.indexes.map((index) => ({
          name: index.name,
          root: index.rootPage,
          keyInfo: keyInfoOf(index.keyTerms),
          columns: index.keyTerms.map((t) => (t.column === table.rowidAlias ? -1 : t.column)),
        })),
      });
    }
  }
  const messages = integrityCheck(services.storage.btree, { roots, tables, keyInfos, maxErrors: limit > 0 ? limit : 100 });
  if (messages.length === 0) return [['ok']];
  return messages.map((m) => [m]);
}
