/**
 * Bounded waiting for the few places where a peer may hold a word of the
 * mapping in a transient state (an odd seqlock, a pin racing a commit).
 *
 * `Backoff` spins for the first tries (the other side is usually a few
 * instructions from done), then sleeps with growing delays, and reports
 * exhaustion after about three seconds in total, so a crashed peer turns into
 * an error instead of a hang. Sleeping uses `Atomics.wait` on a private
 * SharedArrayBuffer: it blocks only this thread and makes no FFI call.
 */

const SPIN_TRIES = 64;
const MAX_DELAY_MS = 50;
const TOTAL_BUDGET_MS = 3000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(milliseconds: number): void {
  Atomics.wait(sleeper, 0, 0, milliseconds);
}

export class Backoff {
  private tries = 0;
  private sleptMs = 0;

  /** Waits before the next try; false once the budget is spent (the caller gives up). */
  pause(): boolean {
    this.tries++;
    if (this.tries <= SPIN_TRIES) return true;
    if (this.sleptMs >= TOTAL_BUDGET_MS) return false;
    const delay = Math.min(MAX_DELAY_MS, 1 << Math.min(this.tries - SPIN_TRIES - 1, 6));
    sleep(delay);
    this.sleptMs += delay;
    return true;
  }
}
