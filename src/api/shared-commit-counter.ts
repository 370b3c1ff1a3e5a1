/**
 * The commit count of a database shared through `<db>-tshm`, as
 * `db.onCommit()` watches it: the snapshot's `transaction_count`, which every
 * process's commit raises (spec tshm.md §4.2, §10 step 9).
 *
 * The counter maps the fixed header page of the `-tshm` through its own file
 * descriptor (taking no lock: the `-tshm` locks are per open file
 * description, so this descriptor neither holds nor disturbs any) and reads
 * the count with atomic loads under the snapshot seqlock (§8). A read is one
 * try, never a wait: while a peer is publishing (odd or moving sequence) it
 * answers the last count it read, and the next tick sees the new one. So a
 * read makes no system call and cannot block the event loop.
 */
import { constants, fstatSync } from 'node:fs';
import { SharedMapping } from '../os/shared-mapping.js';
import { closeFileDescriptor, openFileDescriptor } from '../os/file-descriptor.js';
import { countSyscall } from '../os/syscall-counter.js';
import { BASE_SIZE, Header, TWO_TO_32 } from '../coord/shared/tshm-layout.js';
import { corruptError } from '../sqlite-error.js';
import type { CommitCounter } from './commit-watch.js';

const SEQUENCE_LOW = Header.snapshotSeq >>> 2;
const SEQUENCE_HIGH = SEQUENCE_LOW + 1;
const COUNT_LOW = Header.transactionCount >>> 2;
const COUNT_HIGH = COUNT_LOW + 1;

export class SharedCommitCounter implements CommitCounter {
  readonly #fd: number;
  readonly #mapping: SharedMapping;
  readonly #words: Uint32Array;
  #lastCount = 0;

  /** Maps the header of the `-tshm` at `tshmPath`, which an open peer (this process's connection) keeps initialized. */
  constructor(tshmPath: string) {
    const fd = openFileDescriptor(tshmPath, constants.O_RDWR);
    try {
      countSyscall();
      const length = fstatSync(fd).size;
      if (length < BASE_SIZE) throw corruptError(`shared WAL coordination file is too small: ${length} bytes`);
      this.#mapping = SharedMapping.map(fd, 0, BASE_SIZE);
    } catch (error) {
      closeFileDescriptor(fd);
      throw error;
    }
    this.#fd = fd;
    this.#words = new Uint32Array(this.#mapping.buffer);
    this.#lastCount = this.#tryRead() ?? 0;
  }

  read(): number {
    const count = this.#tryRead();
    if (count !== null) this.#lastCount = count;
    return this.#lastCount;
  }

  close(): void {
    this.#mapping.unmap();
    closeFileDescriptor(this.#fd);
  }

  /** The count under a stable even sequence, or null while a snapshot is being written. */
  #tryRead(): number | null {
    const words = this.#words;
    const low = Atomics.load(words, SEQUENCE_LOW);
    const high = Atomics.load(words, SEQUENCE_HIGH);
    if ((low & 1) !== 0) return null;
    const count = Atomics.load(words, COUNT_LOW) + Atomics.load(words, COUNT_HIGH) * TWO_TO_32;
    if (Atomics.load(words, SEQUENCE_LOW) !== low || Atomics.load(words, SEQUENCE_HIGH) !== high) return null;
    return count;
  }
}
