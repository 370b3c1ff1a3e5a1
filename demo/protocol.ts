/**
 * The messages between the demo's coordinator (`main.ts`) and its worker
 * processes (`worker.ts`), sent over the child-process IPC channel.
 *
 * A worker opens the database, says `ready`, waits for `start`, works until
 * the deadline while reporting `progress` about four times a second, then
 * sends `done` with what it must prove: a writer, the id of every row whose
 * commit returned (its acknowledged rows); a reader, how many snapshots it
 * checked and the invariant violations it saw.
 */

export type WorkerRole = 'writer' | 'reader';

export interface StartMessage {
  readonly kind: 'start';
  /** Wall-clock time (ms since the epoch) at which the worker stops. */
  readonly deadline: number;
}

export interface ReadyMessage {
  readonly kind: 'ready';
}

export interface ProgressMessage {
  readonly kind: 'progress';
  /** Commits (writer) or checked snapshots (reader) so far. */
  readonly operations: number;
  /** Times the worker found the database busy and waited before retrying. */
  readonly busyWaits: number;
}

export interface WriterDone {
  readonly kind: 'done';
  readonly role: 'writer';
  readonly operations: number;
  readonly busyWaits: number;
  /** Row ids whose commit returned successfully, in commit order. */
  readonly acknowledgedIds: readonly number[];
}

export interface ReaderDone {
  readonly kind: 'done';
  readonly role: 'reader';
  readonly operations: number;
  readonly busyWaits: number;
  /** Descriptions of the first violations seen (at most 10). */
  readonly violations: readonly string[];
  readonly violationCount: number;
}

export type WorkerMessage = ReadyMessage | ProgressMessage | WriterDone | ReaderDone;
