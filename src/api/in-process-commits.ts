/**
 * Commit counting for databases that no `-tshm` describes: `:memory:`,
 * temporary and deserialized databases, and files opened with
 * `multiProcess: false`. For those, `db.onCommit()` reports the commits made
 * through the connections of this process, counted here.
 *
 * Every such `Database` attaches to one tally per file (files are keyed by
 * real path, so all connections of this process on one file share a tally;
 * in-memory databases get a private one). The tally starts at 0 when the
 * first connection of the process attaches and is dropped when the last one
 * detaches. A connection reports each statement it finished; a commit is
 *  - a statement that may write, run and finished outside a transaction
 *    (autocommit), or
 *  - the successful COMMIT, END or outermost RELEASE of a transaction in
 *    which a statement that may write finished.
 * A ROLLBACK, a failed statement, or a transaction that only read counts
 * nothing. "May write" is the statement's `readonly` flag, so a write
 * statement that happened to change no row still counts.
 */
import type { PreparedStatement } from '../exec/engine-contract.js';
import type { CommitCounter } from './commit-watch.js';

interface Tally {
  count: number;
  connections: number;
}

const tallies = new Map<string, Tally>();

export class InProcessCommits implements CommitCounter {
  readonly #tally: Tally;
  readonly #key: string | null;
  #wroteInTransaction = false;

  /** Joins the tally of the file at `realPath`, or a private one when `realPath` is null. */
  constructor(realPath: string | null) {
    let tally = realPath === null ? undefined : tallies.get(realPath);
    if (tally === undefined) {
      tally = { count: 0, connections: 0 };
      if (realPath !== null) tallies.set(realPath, tally);
    }
    tally.connections++;
    this.#tally = tally;
    this.#key = realPath;
  }

  read(): number {
    return this.#tally.count;
  }

  /** Records what one finished statement did to the transaction state. */
  statementEnded(statement: PreparedStatement, wasInTransaction: boolean, isInTransaction: boolean, succeeded: boolean): void {
    if (!succeeded) {
      if (!isInTransaction) this.#wroteInTransaction = false;
      return;
    }
    if (!wasInTransaction) {
      if (!isInTransaction && !statement.readonly) this.#tally.count++;
      return;
    }
    if (isInTransaction) {
      if (!statement.readonly) this.#wroteInTransaction = true;
      return;
    }
    if (this.#wroteInTransaction && !startsWithRollback(statement.source)) this.#tally.count++;
    this.#wroteInTransaction = false;
  }

  /** Leaves the tally (the connection closed). */
  detach(): void {
    const tally = this.#tally;
    tally.connections--;
    if (tally.connections === 0 && this.#key !== null && tallies.get(this.#key) === tally) tallies.delete(this.#key);
  }
}

/** True when the first word of `sql` (after spaces and comments) is ROLLBACK. */
function startsWithRollback(sql: string): boolean {
  let k = 0;
  const n = sql.length;
  while (k < n) {
    const c = sql.charCodeAt(k);
    if (c === 32 || (c >= 9 && c <= 13)) {
      k++;
    } else if (c === 47 && sql.charCodeAt(k + 1) === 42) {
      const end = sql.indexOf('*/', k + 2);
      k = end < 0 ? n : end + 2;
    } else if (c === 45 && sql.charCodeAt(k + 1) === 45) {
      const end = sql.indexOf('\n', k + 2);
      k = end < 0 ? n : end + 1;
    } else {
      break;
    }
  }
  return sql.slice(k, k + 8).toUpperCase() === 'ROLLBACK' && !/[A-Za-z0-9_$]/.test(sql.charAt(k + 8));
}
