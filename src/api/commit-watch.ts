/**
 * CommitWatch: the listeners of `db.onCommit()` and the cheap watch that
 * feeds them.
 *
 * While at least one listener is subscribed, an unref'd timer reads a
 * `CommitCounter` every `COMMIT_POLL_INTERVAL_MS` (for a shared database: a
 * few atomic loads from the mapped `-tshm`, no system call) and, when the
 * count moved, calls every listener with the new count. Promises:
 *  - the timer exists only while listeners exist, and never keeps the
 *    process alive;
 *  - commits that land within one interval are reported once, with the
 *    latest count (listeners learn "the database changed, up to count N",
 *    not one call per commit);
 *  - a listener that throws does not stop the others: its error is
 *    re-thrown on its own task, as an uncaught exception (as EventTarget
 *    reports listener errors);
 *  - `close()` stops the timer and releases the counter; the caller
 *    refuses later subscriptions, so no listener waits on a closed database.
 */

/** What `db.onCommit()` calls: the database's transaction count after the newest commit seen. */
export type CommitListener = (transactionCount: number) => void;

/** A source of the database's commit count, read on every tick. */
export interface CommitCounter {
  read(): number;
  /** Releases what `read()` needs (a mapping); absent when there is nothing to release. */
  close?(): void;
}

/** How often a watched database's commit count is read. */
export const COMMIT_POLL_INTERVAL_MS = 10;

interface Subscription {
  readonly listener: CommitListener;
}

export class CommitWatch {
  readonly #openCounter: () => CommitCounter;
  readonly #subscriptions = new Set<Subscription>();
  #counter: CommitCounter | null = null;
  #timer: NodeJS.Timeout | null = null;
  #lastCount = 0;

  /** `openCounter` is called when the first listener subscribes; its counter is closed when the last one leaves. */
  constructor(openCounter: () => CommitCounter) {
    this.#openCounter = openCounter;
  }

  /** Adds a listener; returns the function that removes it (idempotent). */
  subscribe(listener: CommitListener): () => void {
    if (this.#counter === null) this.#start();
    const subscription: Subscription = { listener };
    this.#subscriptions.add(subscription);
    return () => {
      if (this.#subscriptions.delete(subscription) && this.#subscriptions.size === 0) this.#stop();
    };
  }

  close(): void {
    this.#subscriptions.clear();
    this.#stop();
  }

  #start(): void {
    const counter = this.#openCounter();
    this.#counter = counter;
    this.#lastCount = counter.read();
    this.#timer = setInterval(() => this.#tick(), COMMIT_POLL_INTERVAL_MS);
    this.#timer.unref();
  }

  #stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    const counter = this.#counter;
    this.#counter = null;
    counter?.close?.();
  }

  #tick(): void {
    const counter = this.#counter;
    if (counter === null) return;
    const count = counter.read();
    if (count === this.#lastCount) return;
    this.#lastCount = count;
    for (const subscription of [...this.#subscriptions]) {
      if (!this.#subscriptions.has(subscription)) continue;
      try {
        subscription.listener(count);
      } catch (error) {
        setImmediate(() => {
          throw error;
        });
      }
    }
  }
}
