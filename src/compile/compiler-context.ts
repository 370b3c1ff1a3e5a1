/**
 * What every compiler of one statement shares: the schema it resolves names
 * against, the connection's storage and functions, the statement runtime
 * its closures read, the common table expressions in view, and the SQL text
 * the syntax tree being compiled came from (a view or trigger body brings its
 * own text, so `withSource` derives a context for it).
 */
import { SqliteError } from '../sqlite-error.js';
import type { CommonTableExpr, FromItem, WithClause } from '../sql/ast.js';
import type { SqlValue } from '../exec/values/value.js';
import type { FunctionContext } from '../exec/functions/function-types.js';
import type { FunctionRegistry } from '../exec/functions/registry.js';
import type { DatabaseStorage } from '../exec/database-storage.js';
import type { StatementRuntime } from '../exec/runtime.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Scope } from './scope.js';
import type { Schema } from '../schema/schema-catalog.js';

export interface CteDefinition {
  readonly cte: CommonTableExpr;
  /** SQL text the CTE's spans index into. */
  readonly sql: string;
  /** CTEs visible to this CTE's own body: every CTE of its WITH clause (itself included) and the enclosing ones. */
  readonly outer: CteScope | null;
  /** While the body compiles: SQLite's message for a further reference ("circular reference: %s"), else null. */
  guard: string | null;
  /** While a recursive CTE's recursive terms compile: the FROM items that read the queue's current row. */
  recursion: RecursiveReference | null;
}

/** The recursive reference of a recursive CTE: which FROM items it is, and the row they read. */
export interface RecursiveReference {
  readonly items: ReadonlySet<FromItem>;
  readonly current: { row: SqlValue[] };
  readonly width: number;
  /** Column names of the recursive table. */
  readonly names: readonly string[];
  readonly collations: readonly string[];
}

/** A level of WITH definitions; lookups fall back to the enclosing level. */
export class CteScope {
  private readonly definitions = new Map<string, CteDefinition>();
  constructor(readonly parent: CteScope | null) {}

  /** True when this level (not an enclosing one) defines `name`. */
  defines(name: string): boolean {
    return this.definitions.has(name.toLowerCase());
  }

  define(definition: CteDefinition): void {
    this.definitions.set(definition.cte.name.name.toLowerCase(), definition);
  }

  find(name: string): CteDefinition | undefined {
    const lower = name.toLowerCase();
    for (let scope: CteScope | null = this; scope !== null; scope = scope.parent) {
      const found = scope.definitions.get(lower);
      if (found) return found;
    }
    return undefined;
  }
}

/** Compiles a RAISE() inside a trigger body into a closure that raises it. */
export type RaiseFactory = (action: 'IGNORE' | 'ROLLBACK' | 'ABORT' | 'FAIL', message: Evaluate | null) => Evaluate;

/** What a trigger body compiles inside: the NEW/OLD scope, RAISE(), and the triggers already firing. */
export interface TriggerFrame {
  readonly scope: Scope;
  readonly raise: RaiseFactory;
  /** Lower-case names of the triggers whose bodies enclose this one (they do not fire again). */
  readonly active: readonly string[];
}

export class CompilerContext {
  constructor(
    readonly schema: Schema,
    readonly storage: DatabaseStorage,
    readonly functions: FunctionRegistry,
    readonly functionContext: FunctionContext,
    readonly runtime: StatementRuntime,
    readonly sql: string,
    readonly ctes: CteScope | null,
    /** Names of views being expanded (to report circular views). */
    readonly expandingViews: readonly string[],
    /** Set while compiling a trigger body. */
    readonly trigger: TriggerFrame | null = null,
  ) {}

  /** The scope top-level statement scopes chain to: a trigger's NEW/OLD rows, or none. */
  get outerScope(): Scope | null {
    return this.trigger !== null ? this.trigger.scope : null;
  }

  withSource(sql: string, ctes: CteScope | null = this.ctes): CompilerContext {
    return new CompilerContext(this.schema, this.storage, this.functions, this.functionContext, this.runtime, sql, ctes, this.expandingViews, this.trigger);
  }

  withCtes(ctes: CteScope | null): CompilerContext {
    return new CompilerContext(this.schema, this.storage, this.functions, this.functionContext, this.runtime, this.sql, ctes, this.expandingViews, this.trigger);
  }

  /** The context of a trigger body whose text is `sql`. */
  inTrigger(sql: string, frame: TriggerFrame): CompilerContext {
    return new CompilerContext(this.schema, this.storage, this.functions, this.functionContext, this.runtime, sql, null, this.expandingViews, frame);
  }

  /**
   * The context inside a WITH clause. As in SQLite, with or without
   * RECURSIVE, every CTE of the clause is visible to every body (a body
   * reading itself is a recursive CTE, or "circular reference").
   */
  withClause(clause: WithClause | null): CompilerContext {
    if (clause === null) return this;
    const level = new CteScope(this.ctes);
    for (const cte of clause.ctes) {
      if (level.defines(cte.name.name)) throw new SqliteError(`duplicate WITH table name: ${cte.name.name}`, 'SQLITE_ERROR');
      level.define({ cte, sql: this.sql, outer: level, guard: null, recursion: null });
    }
    return this.withCtes(level);
  }

  expandingView(name: string, sql: string): CompilerContext {
    return new CompilerContext(this.schema, this.storage, this.functions, this.functionContext, this.runtime, sql, null, [
      ...this.expandingViews,
      name.toLowerCase(),
    ]);
  }
}
