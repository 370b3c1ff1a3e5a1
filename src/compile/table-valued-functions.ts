/**
 * Table-valued functions in FROM: `pragma_table_info(t)`,
 * `pragma_index_list(t)` and `pragma_index_info(i)`. Their argument is
 * evaluated when the FROM item is (re)opened, so it may read earlier FROM
 * items (`FROM sqlite_schema s, pragma_table_info(s.name)`).
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr } from '../sql/ast.js';
import { Affinity } from '../exec/values/affinity.js';
import { toText } from '../exec/values/conversions.js';
import type { SqlValue } from '../exec/values/value.js';
import type { CompilerContext } from './compiler-context.js';
import { compileScalar } from './expression-compiler.js';
import { INDEX_INFO_COLUMNS, INDEX_LIST_COLUMNS, TABLE_INFO_COLUMNS, indexInfoRows, indexListRows, tableInfoRows } from './schema-pragma-rows.js';
import type { Scope } from './scope.js';
import { expressionContext } from './select-compiler.js';

export interface TableFunction {
  readonly columns: {
    name: string;
    affinity: Affinity;
    collation: string;
    declaredType: string | null;
    originTable: string | null;
    originColumn: string | null;
  }[];
  readonly fill: () => SqlValue[][];
}

export function tableValuedFunction(name: string, args: readonly Expr[], scope: Scope, ctx: CompilerContext): TableFunction {
  const lower = name.toLowerCase();
  const kinds: Record<string, [string[], (schemaName: string) => SqlValue[][]]> = {
    pragma_table_info: [TABLE_INFO_COLUMNS, (n) => tableInfoRows(ctx.schema, n, ctx)],
    pragma_index_list: [INDEX_LIST_COLUMNS, (n) => indexListRows(ctx.schema, n)],
    pragma_index_info: [INDEX_INFO_COLUMNS, (n) => indexInfoRows(ctx.schema, n)],
  };
  const kind = kinds[lower];
  if (kind === undefined) throw new SqliteError(`no such table: ${name}`, 'SQLITE_ERROR');
  if (args.length !== 1) throw new SqliteError(`too many arguments on ${name}() - max 1`, 'SQLITE_ERROR');
  const argument = compileScalar(args[0], scope, expressionContext(ctx)).evaluate;
  const [columnNames, rowsOf] = kind;
  return {
    columns: columnNames.map((n) => ({ name: n, affinity: Affinity.NONE, collation: 'BINARY', declaredType: null, originTable: null, originColumn: null })),
    fill: () => {
      const text = toText(argument());
      return text === null ? [] : rowsOf(text);
    },
  };
}
