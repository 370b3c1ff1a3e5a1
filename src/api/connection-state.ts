/**
 * ConnectionState: the per-`Database` flags better-sqlite3 checks before every
 * call, shared by the database, its statements and their iterators.
 *
 * It owns four facts: whether the connection is open, whether a statement is
 * executing right now (`busy`: set while the engine steps, so user functions
 * that call back into the database are refused), how many iterators are
 * open, and the `unsafeMode` / `defaultSafeIntegers` settings. The guards
 * throw exactly the `TypeError`s better-sqlite3 throws, in its order.
 */

export class ConnectionState {
  open = true;
  busy = false;
  iterators = 0;
  unsafeMode = false;
  defaultSafeIntegers = false;

  requireOpen(): void {
    if (!this.open) throw new TypeError('The database connection is not open');
  }

  requireNotBusy(): void {
    if (this.busy) throw new TypeError('This database connection is busy executing a query');
  }

  requireNoIterators(): void {
    if (this.iterators > 0) throw new TypeError('This database connection is busy executing a query');
  }

  requireNoIteratorsUnlessUnsafe(): void {
    if (!this.unsafeMode) this.requireNoIterators();
  }
}

/** better-sqlite3's optional boolean toggle argument: absent means true, anything but a boolean is refused. */
export function toggleArgument(args: readonly unknown[]): boolean {
  if (args.length === 0) return true;
  const value = args[0];
  if (typeof value !== 'boolean') throw new TypeError('Expected first argument to be a boolean');
  return value;
}
