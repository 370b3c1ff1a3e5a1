/**
 * The row-dependent parts of a table's indexes for RowWriter: the values of
 * expression terms (`CREATE INDEX i ON t(a+b)`) and partial-index
 * predicates (`... WHERE a > 0`), compiled once per statement against the
 * row being written.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr } from '../sql/ast.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { IndexRowLogic } from '../exec/row-writer.js';
import { truthValue } from '../exec/values/conversions.js';
import type { SqlValue } from '../exec/values/value.js';
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import { compileScalar } from './expression-compiler.js';
import { RowSlot } from '../exec/row-slot.js';
import { rowSlotItem } from './row-scope.js';
import { Scope } from './scope.js';
import { expressionContext } from './select-compiler.js';

interface CompiledIndex {
  readonly terms: (Evaluate | null)[];
  readonly where: Evaluate | null;
}

export function indexRowLogic(table: TableSchema, ctx: CompilerContext): IndexRowLogic {
  const slot = new RowSlot(table.columns.length);
  const compiled = new Map<IndexSchema, CompiledIndex>();
  const compiledFor = (index: IndexSchema): CompiledIndex => {
    let entry = compiled.get(index);
    if (entry === undefined) {
      const scope = new Scope(null);
      scope.add(rowSlotItem(table, slot, table.name));
      const exprCtx = expressionContext(ctx.withSource(index.source, null));
      const compile = (e: Expr): Evaluate => compileScalar(e, scope, exprCtx).evaluate;
      entry = {
        terms: index.keyTerms.map((t) => (t.column === -2 && t.expr !== null ? compile(t.expr) : null)),
        where: index.where !== null ? compile(index.where) : null,
      };
      compiled.set(index, entry);
    }
    return entry;
  };
  const load = (values: readonly SqlValue[], rowid: SqlValue): void => {
    slot.values = values as SqlValue[];
    slot.rowid = rowid;
  };
  return {
    termValue(index, k, values, rowid) {
      const term = compiledFor(index).terms[k];
      if (term === null) throw new SqliteError(`index ${index.name} term ${k} is not an expression`, 'SQLITE_INTERNAL');
      load(values, rowid);
      return term();
    },
    includes(index, values, rowid) {
      const where = compiledFor(index).where;
      if (where === null) return true;
      load(values, rowid);
      return truthValue(where()) === true;
    },
  };
}
