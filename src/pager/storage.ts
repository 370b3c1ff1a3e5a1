/**
 * Storage: where committed pages live, as the Pager sees it.
 *
 * Two implementations: `FileStorage` (database file + WAL + Coordination,
 * shared with other connections and processes) and `MemoryStorage`
 * (`:memory:`, private to one connection, no files). The Pager owns the page
 * cache, dirty pages and savepoints; a Storage only answers "what does the
 * current snapshot hold" and turns a finished transaction into a commit.
 */
import type { CheckpointMode, CheckpointResult } from '../wal/checkpoint.js';
import type { Synchronous } from '../wal/synchronous.js';
import type { CommitPage } from '../wal/wal.js';

/** Connection settings the storage reads at the moment it needs them, so changes apply at once. */
export interface StorageTuning {
  synchronous: Synchronous;
  /** PASSIVE checkpoint after a commit when the log holds at least this many frames and some are not backfilled; 0 = never. */
  autoCheckpointFrames: number;
  busyTimeoutMs: number;
}

export interface Storage {
  readonly pageSize: number;
  readonly readonly: boolean;
  /** True when committed images are cheap to fetch, so the Pager needs no cache. */
  readonly readsAreFree: boolean;
  readonly tuning: StorageTuning;

  /**
   * Starts a read snapshot. Returns the cached pages that are stale now: a
   * list of page numbers, or null when the whole cache must go.
   */
  beginRead(): readonly number[] | null;
  endRead(): void;

  /** Database size in pages as the storage records it for the current snapshot (0 = empty database). */
  storedPageCount(): number;

  /**
   * The committed image of `pgno` in the current snapshot; never mutated
   * afterwards. A storage that copies pages out may read into `into` (a
   * zero-filled, page-sized buffer nobody else holds) and return it.
   */
  read(pgno: number, into?: Uint8Array): Uint8Array;

  /** One attempt at the writer lock. */
  tryLockWriter(): boolean;
  unlockWriter(): void;
  /** After locking: true when the current read snapshot is still the newest commit. */
  isSnapshotCurrent(): boolean;
  /** Under the writer lock, before the first change of the transaction. */
  prepareWrite(): void;
  /** Makes `pageOne` the first page of a database that has none yet, durably. */
  createDatabase(pageOne: Uint8Array): void;
  /** Commits `pages` (ascending) as the new state of a `dbSizePages`-page database. */
  commit(pages: readonly CommitPage[], dbSizePages: number): void;

  /** Right after `commit`, still under the writer lock: true when the policy of `autoCheckpointFrames` asks for the automatic checkpoint. */
  checkpointDue(): boolean;
  /**
   * The automatic checkpoint, run outside transactions by the committer that
   * still holds the writer lock; releases that lock, as early as it can.
   */
  autoCheckpoint(): void;
  checkpoint(mode: CheckpointMode): CheckpointResult;
  close(): void;
}
