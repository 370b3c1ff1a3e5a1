/**
 * Owner records for this thread's opens (spec tshm.md §4.4):
 * `(pid << 32) | instance_id`, never 0.
 *
 * Turso keeps one mapping per process, so its instance id is a per-process
 * counter. Here every connection is its own peer, also across
 * worker_threads, so the instance id combines the thread id (high 12 bits)
 * with a per-thread counter (low 20 bits): two opens alive at the same time
 * in one process get different records unless one thread opened more than a
 * million times in between. The main thread's first open gets instance 1,
 * like Turso's. Owner fields are diagnostics only; nothing decides liveness
 * from them.
 */
import { threadId } from 'node:worker_threads';
import { encodeOwner } from './tshm-layout.js';

const COUNTER_BITS = 20;
const COUNTER_MASK = (1 << COUNTER_BITS) - 1;
const THREAD_MASK = 0xfff;

let opens = 0;

/** A fresh owner record for one open of this thread. */
export function nextOwnerRecord(): bigint {
  let instance = 0;
  while (instance === 0) {
    opens = (opens + 1) & COUNTER_MASK;
    instance = (((threadId & THREAD_MASK) << COUNTER_BITS) | opens) >>> 0;
  }
  return encodeOwner(process.pid, instance);
}
