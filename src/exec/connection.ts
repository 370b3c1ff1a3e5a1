/**
 * Connection: one open database connection (engine-contract
 * `EngineConnection`). It owns the pager and B-tree layer of its database,
 * the catalog its statements compile against, the transaction state
 * machine, the change counters, the connection's functions (built-ins plus
 * user registrations) and its settings, and prepares statements through the
 * statement compiler it was given.
 *
 * The catalog is loaded lazily and re-checked whenever a transaction starts
 * on a fresh snapshot: if the schema cookie in the file moved (a change by
 * another connection or process), the catalog is rebuilt from
 * sqlite_schema, and statements compiled against the old one recompile on
 * their next execution.
 */
import { SqliteError } from '../sqlite-error.js';
import type { ParsedStatement } from '../sql/ast.js';
import { parseStatement } from '../sql/parser.js';
import type { Pager } from '../pager/pager.js';
import { Schema } from '../schema/schema-catalog.js';
import { SchemaStore } from '../schema/schema-store.js';
import type { ViewSchema } from '../schema/schema-objects.js';
import type { ConnectionServices, ConnectionSettings } from '../compile/connection-services.js';
import { fromBindValue, toResultValue } from './boundary-values.js';
import { ChangeCounters } from './change-counters.js';
import { DatabaseStorage } from './database-storage.js';
import type {
  AggregateFunctionDefinition,
  BindValue,
  EngineConnection,
  PreparedStatement,
  ResultValue,
  ScalarFunctionDefinition,
} from './engine-contract.js';
import { aggregateFunction, scalarFunction, type Accumulator } from './functions/function-types.js';
import { FunctionRegistry } from './functions/registry.js';
import { EnginePreparedStatement, type StatementHost } from './prepared-statement.js';
import type { Program } from './program.js';
import type { StatementRuntime } from './runtime.js';
import { TransactionControl } from './transaction-control.js';
import type { SqlValue } from './values/value.js';

/** Compiles one parsed statement for a connection. */
export type StatementCompiler = (parsed: ParsedStatement, sql: string, services: ConnectionServices, runtime: StatementRuntime) => Program;

export class Connection implements EngineConnection, ConnectionServices, StatementHost {
  readonly storage: DatabaseStorage;
  readonly schemaStore: SchemaStore;
  readonly functions = new FunctionRegistry();
  readonly transactions: TransactionControl;
  readonly counters = new ChangeCounters();
  readonly settings: ConnectionSettings;
  readonly temporaryViews = new Map<string, ViewSchema>();
  functionsVersion = 0;
  schema: Schema = new Schema(-1);
  private closed = false;

  constructor(
    readonly pager: Pager,
    readonly path: string,
    readonly memory: boolean,
    readonly readonly: boolean,
    private readonly compiler: StatementCompiler,
    cacheSize: number,
  ) {
    this.storage = new DatabaseStorage(pager);
    this.schemaStore = new SchemaStore(pager, this.storage.btree);
    this.transactions = new TransactionControl(pager, this);
    this.settings = { foreignKeys: true, cacheSize, recursiveTriggers: false };
  }

  get inTransaction(): boolean {
    return this.transactions.inTransaction;
  }

  /** Rebuilds the catalog when the file's schema cookie differs from the one it was read at. */
  refreshSchema(): void {
    const cookie = this.schemaStore.cookie();
    if (cookie === this.schema.cookie) return;
    const schema = this.schemaStore.load();
    for (const [key, view] of this.temporaryViews) if (schema.kindOf(key) === null) schema.views.set(key, view);
    this.schema = schema;
  }

  checkOpen(): void {
    if (this.closed) throw new SqliteError('The database connection is not open', 'SQLITE_MISUSE');
  }

  compile(parsed: ParsedStatement, sql: string, runtime: StatementRuntime): Program {
    return this.compiler(parsed, sql, this, runtime);
  }

  prepare(sql: string): { statement: PreparedStatement | null; tail: string } {
    this.checkOpen();
    const { statement: parsed, tail } = parseStatement(sql);
    if (parsed === null) return { statement: null, tail: '' };
    const opened = this.transactions.ensureRead();
    try {
      return { statement: new EnginePreparedStatement(this, parsed, sql), tail: sql.slice(tail) };
    } finally {
      if (opened) this.transactions.releaseRead();
    }
  }

  defineFunction(definition: ScalarFunctionDefinition): void {
    this.checkOpen();
    const call = definition.call;
    const safe = definition.safeIntegers;
    const argc = definition.argumentCount;
    const args: ResultValue[] = [];
    this.functions.register(
      scalarFunction(
        definition.name,
        argc,
        (values) => {
          args.length = values.length;
          for (let i = 0; i < values.length; i++) args[i] = toResultValue(values[i], safe);
          return fromBindValue(call(...args) as BindValue);
        },
        definition.deterministic,
      ),
    );
    this.functionsVersion++;
  }

  defineAggregate(definition: AggregateFunctionDefinition): void {
    this.checkOpen();
    const safe = definition.safeIntegers;
    const { start, step, result } = definition;
    const toArgs = (values: readonly SqlValue[]): ResultValue[] => values.map((v) => toResultValue(v, safe));
    this.functions.register(
      aggregateFunction(
        definition.name,
        definition.argumentCount,
        (): Accumulator => {
          let total = start();
          return {
            step(values) {
              total = step(total, ...toArgs(values));
            },
            result() {
              return fromBindValue((result ? result(total) : total) as BindValue);
            },
          };
        },
        definition.deterministic,
      ),
    );
    this.functionsVersion++;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transactions.abandon();
    this.pager.close();
  }
}
