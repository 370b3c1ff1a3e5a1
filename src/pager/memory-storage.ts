/**
 * MemoryStorage: the committed pages of a `:memory:` database, held in an
 * array and private to one connection (SQLite's journal_mode=MEMORY: the
 * Pager's dirty pages and savepoint copies are the journal, so rollback works
 * the same as on disk). A commit swaps the new images in; nothing is copied.
 */
import type { CheckpointResult } from '../wal/checkpoint.js';
import type { CommitPage } from '../wal/wal.js';
import type { Storage, StorageTuning } from './storage.js';

const NOTHING_CHANGED: readonly number[] = [];

export class MemoryStorage implements Storage {
  readonly readonly = false;
  readonly readsAreFree = true;
  private pages: Uint8Array[] = [];

  constructor(
    readonly pageSize: number,
    readonly tuning: StorageTuning,
  ) {}

  beginRead(): readonly number[] {
    return NOTHING_CHANGED;
  }

  endRead(): void {}

  storedPageCount(): number {
    return this.pages.length;
  }

  read(pgno: number): Uint8Array {
    return this.pages[pgno - 1] ?? new Uint8Array(this.pageSize);
  }

  tryLockWriter(): boolean {
    return true;
  }

  unlockWriter(): void {}

  isSnapshotCurrent(): boolean {
    return true;
  }

  prepareWrite(): void {}

  createDatabase(pageOne: Uint8Array): void {
    this.pages = [pageOne];
  }

  commit(pages: readonly CommitPage[], dbSizePages: number): void {
    const previousLength = this.pages.length;
    for (const page of pages) this.pages[page.pgno - 1] = page.data;
    for (let i = previousLength; i < dbSizePages; i++) this.pages[i] ??= new Uint8Array(this.pageSize);
    this.pages.length = dbSizePages;
  }

  checkpointDue(): boolean {
    return false;
  }

  autoCheckpoint(): void {}

  checkpoint(): CheckpointResult {
    return { busy: false, logFrames: 0, checkpointedFrames: 0 };
  }

  close(): void {
    this.pages = [];
  }
}
