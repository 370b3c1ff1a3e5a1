/**
 * In-process implementation of the Coordination contract.
 *
 * Every connection of this process that opens the same database file (same
 * real path) attaches to one shared state held in a module-level registry:
 * the committed WAL snapshot, the writer and checkpoint locks, every reader
 * pin, and the page-to-frame index. Each connection gets its own handle, which
 * remembers the locks and pins it holds so `close()` can release exactly those.
 * The last handle to close removes the state, so the next open rebuilds it from
 * the WAL as a fresh process would. `createPrivateCoordination()` makes an
 * unregistered state for a connection that must not share (tests, tools).
 *
 * JavaScript runs one connection call at a time, so every operation here is
 * atomic with respect to the others; snapshots are immutable objects replaced
 * on every write, so a snapshot handed out is never half-updated. Readers of
 * a fully backfilled snapshot pin frame 0, as in the shared implementation.
 */
import type { Coordination, DatabaseIdentity, OpenMode, ReaderToken, WalSnapshot } from './coordination.js';
import { FrameIndex } from './frame-index.js';

const EMPTY_SNAPSHOT: WalSnapshot = Object.freeze({
  maxFrame: 0,
  nBackfills: 0,
  transactionCount: 0,
  visibilityGeneration: 0,
  checkpointSeq: 0,
  checkpointEpoch: 0,
  pageSize: 0,
  salt1: 0,
  salt2: 0,
  checksum1: 0,
  checksum2: 0,
});

/** The state every handle on one database shares. */
class SharedState {
  snapshot: WalSnapshot = EMPTY_SNAPSHOT;
  writer: InProcessCoordination | null = null;
  checkpointer: InProcessCoordination | null = null;
  /** Pinned frame per reader token; `UNPINNED` while the reader is idle (entries stay, so reads allocate nothing). */
  readonly readerPins = new Map<number, number>();
  readonly index = new FrameIndex();
  readonly handles = new Set<InProcessCoordination>();

  constructor(readonly registryKey: string | null) {}
}

const registry = new Map<string, SharedState>();

const UNPINNED = -1;

/** Attaches a new connection to the shared state of the database at `realPath` (already resolved). */
export function attachInProcessCoordination(realPath: string): InProcessCoordination {
  let state = registry.get(realPath);
  if (state === undefined) {
    state = new SharedState(realPath);
    registry.set(realPath, state);
  }
  return new InProcessCoordination(state);
}

/** A coordination state nobody else can attach to. */
export function createPrivateCoordination(): InProcessCoordination {
  return new InProcessCoordination(new SharedState(null));
}

export class InProcessCoordination implements Coordination {
  readonly openMode: OpenMode;
  private readonly registeredReaders = new Set<number>();
  private closed = false;

  constructor(private readonly state: SharedState) {
    this.openMode = state.handles.size === 0 ? 'exclusive' : 'multiprocess';
    state.handles.add(this);
  }

  snapshot(): WalSnapshot {
    return this.state.snapshot;
  }

  isUninitialized(): boolean {
    const s = this.state.snapshot;
    return (
      s.maxFrame === 0 && s.nBackfills === 0 && s.transactionCount === 0 && s.visibilityGeneration === 0 &&
      s.checkpointSeq === 0 && s.checkpointEpoch === 0 && s.pageSize === 0 && s.salt1 === 0 && s.salt2 === 0 &&
      s.checksum1 === 0 && s.checksum2 === 0
    );
  }

  installSnapshot(snapshot: WalSnapshot): void {
    this.state.index.trim(snapshot.maxFrame);
    this.state.snapshot = Object.freeze({ ...snapshot });
  }

  pinReader(connection: ReaderToken): WalSnapshot {
    const snapshot = this.state.snapshot;
    if (!this.state.readerPins.has(connection.id)) this.registeredReaders.add(connection.id);
    this.state.readerPins.set(connection.id, snapshot.maxFrame === snapshot.nBackfills ? 0 : snapshot.maxFrame);
    return snapshot;
  }

  unpinReader(connection: ReaderToken): void {
    if (this.state.readerPins.has(connection.id)) this.state.readerPins.set(connection.id, UNPINNED);
  }

  repinReader(connection: ReaderToken, frame: number): void {
    const pinned = this.state.readerPins.get(connection.id);
    if (pinned !== undefined && pinned !== UNPINNED) this.state.readerPins.set(connection.id, frame);
  }

  minReaderFrame(except?: ReaderToken): number | null {
    let min: number | null = null;
    for (const [id, frame] of this.state.readerPins) {
      if (frame === UNPINNED || (except !== undefined && id === except.id)) continue;
      if (min === null || frame < min) min = frame;
    }
    return min;
  }

  maxReaderFrame(except?: ReaderToken): number | null {
    let max: number | null = null;
    for (const [id, frame] of this.state.readerPins) {
      if (frame === UNPINNED || (except !== undefined && id === except.id)) continue;
      if (max === null || frame > max) max = frame;
    }
    return max;
  }

  tryLockWriter(): boolean {
    if (this.state.writer !== null) return false;
    this.state.writer = this;
    return true;
  }

  unlockWriter(): void {
    if (this.state.writer === this) this.state.writer = null;
  }

  tryLockCheckpoint(): boolean {
    if (this.state.checkpointer !== null) return false;
    this.state.checkpointer = this;
    return true;
  }

  unlockCheckpoint(): void {
    if (this.state.checkpointer === this) this.state.checkpointer = null;
  }

  publishCommit(newMaxFrame: number, checksum1: number, checksum2: number, baseTransactionCount: number): void {
    const s = this.state.snapshot;
    const raised = newMaxFrame >= s.maxFrame;
    this.state.snapshot = Object.freeze({
      ...s,
      maxFrame: raised ? newMaxFrame : s.maxFrame,
      checksum1: raised ? checksum1 : s.checksum1,
      checksum2: raised ? checksum2 : s.checksum2,
      transactionCount: Math.max(s.transactionCount, baseTransactionCount + 1),
      visibilityGeneration: s.visibilityGeneration + 1,
    });
  }

  /**
   * The backfill proof exists so another process can trust `nBackfills`; a
   * state that lives only in this process's memory never outlives its
   * writers, so the identity has no one to convince and is not kept.
   */
  publishBackfill(nBackfills: number, _identity: DatabaseIdentity | null): void {
    this.state.snapshot = Object.freeze({ ...this.state.snapshot, nBackfills });
  }

  bumpCheckpointEpoch(): void {
    const s = this.state.snapshot;
    this.state.snapshot = Object.freeze({ ...s, checkpointEpoch: (s.checkpointEpoch + 1) >>> 0 });
  }

  /** Snapshots here are replaced whole in one JavaScript step, so none is ever left half-written. */
  setSnapshotRecovery(_recover: (torn: WalSnapshot) => WalSnapshot): void {}

  appendFrame(pgno: number, frame: number): void {
    this.state.index.append(pgno, frame);
  }

  trimFrames(maxFrame: number): void {
    this.state.index.trim(maxFrame);
  }

  discardFrameIndex(): void {
    this.state.index.clear();
  }

  findFrame(pgno: number, minFrame: number, maxFrame: number): number {
    return this.state.index.find(pgno, minFrame, maxFrame);
  }

  pagesWrittenBetween(afterFrame: number, upToFrame: number): number[] | null {
    return this.state.index.pagesBetween(afterFrame, upToFrame);
  }

  latestFrames(minFrame: number, maxFrame: number): Array<readonly [pgno: number, frame: number]> | null {
    return this.state.index.latest(minFrame, maxFrame);
  }

  isLastConnection(): boolean {
    return this.state.handles.size === 1 && this.state.handles.has(this);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const id of this.registeredReaders) this.state.readerPins.delete(id);
    this.registeredReaders.clear();
    this.unlockWriter();
    this.unlockCheckpoint();
    this.state.handles.delete(this);
    if (this.state.handles.size === 0 && this.state.registryKey !== null) {
      registry.delete(this.state.registryKey);
    }
  }
}
