/**
 * `db.transaction(fn)`: wraps `fn` so that each call runs inside a
 * transaction, with better-sqlite3's semantics.
 *
 * Outside a transaction a call runs `BEGIN` (or `BEGIN DEFERRED|IMMEDIATE|
 * EXCLUSIVE` for the `.deferred/.immediate/.exclusive` variants), then `fn`,
 * then `COMMIT`. Inside one (a nested call) it uses a savepoint instead, so
 * an inner failure undoes only the inner work. If `fn` throws, the work is
 * rolled back (when the transaction is still open: SQLite may already have
 * rolled it back) and the error rethrown. A `fn` that returns a promise is
 * refused with a `TypeError`, since the transaction would end before the
 * promise settles. The control statements are prepared once per database.
 */

/** The statements a transaction function runs; `run()` is all it needs. */
export interface TransactionControl {
  readonly begin: { run(): unknown };
  readonly commit: { run(): unknown };
  readonly rollback: { run(): unknown };
  readonly savepoint: { run(): unknown };
  readonly release: { run(): unknown };
  readonly rollbackTo: { run(): unknown };
}

export type TransactionKind = 'default' | 'deferred' | 'immediate' | 'exclusive';

type AnyFunction = (...args: never[]) => unknown;
type ArgumentsOf<F> = F extends (...args: infer A) => unknown ? A : never;
type ResultOf<F> = F extends (...args: never[]) => infer R ? R : never;

/** What `db.transaction(fn)` returns: `fn` wrapped, plus its variants. */
export interface Transaction<F extends AnyFunction, D = unknown> {
  (...params: ArgumentsOf<F>): ResultOf<F>;
  default(...params: ArgumentsOf<F>): ResultOf<F>;
  deferred(...params: ArgumentsOf<F>): ResultOf<F>;
  immediate(...params: ArgumentsOf<F>): ResultOf<F>;
  exclusive(...params: ArgumentsOf<F>): ResultOf<F>;
  readonly database: D;
}

export function createTransaction<F extends AnyFunction, D>(
  fn: F,
  database: D,
  inTransaction: () => boolean,
  control: (kind: TransactionKind) => TransactionControl,
): Transaction<F, D> {
  const variants = {
    default: wrap(fn, inTransaction, () => control('default')),
    deferred: wrap(fn, inTransaction, () => control('deferred')),
    immediate: wrap(fn, inTransaction, () => control('immediate')),
    exclusive: wrap(fn, inTransaction, () => control('exclusive')),
  };
  const properties: PropertyDescriptorMap = {
    default: { value: variants.default },
    deferred: { value: variants.deferred },
    immediate: { value: variants.immediate },
    exclusive: { value: variants.exclusive },
    database: { value: database, enumerable: true },
  };
  for (const variant of Object.values(variants)) Object.defineProperties(variant, properties);
  return variants.default as unknown as Transaction<F, D>;
}

function wrap(fn: AnyFunction, inTransaction: () => boolean, control: () => TransactionControl) {
  return function sqliteTransaction(this: unknown, ...args: unknown[]): unknown {
    const statements = control();
    const nested = inTransaction();
    const before = nested ? statements.savepoint : statements.begin;
    const after = nested ? statements.release : statements.commit;
    const undo = nested ? statements.rollbackTo : statements.rollback;
    before.run();
    try {
      const result: unknown = Reflect.apply(fn, this, args);
      if (isThenable(result)) throw new TypeError('Transaction function cannot return a promise');
      after.run();
      return result;
    } catch (error) {
      if (inTransaction()) {
        undo.run();
        if (nested) after.run();
      }
      throw error;
    }
  };
}

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
