/**
 * The WAL recovery scan (spec §16.5): what a log proves when nothing else is
 * trusted.
 *
 * Reads the header; an invalid header (or one whose page size differs from the
 * database's) means an empty log. Then walks frames from 1 and stops at the
 * first frame with page number 0, salts that differ from the header's, or a
 * checksum that breaks the chain. Everything up to the last commit frame
 * (database size != 0) before that point is committed; later frames are an
 * unfinished transaction and are ignored. Reads the file in large chunks.
 * Counts its scans (`walScanCount`), so a trusted reopen can be told apart.
 */
import type { RandomAccessFile } from './random-access-file.js';
import {
  WAL_FRAME_HEADER_SIZE,
  WAL_HEADER_SIZE,
  decodeWalHeader,
  usesBigEndianChecksums,
  type WalHeader,
} from './wal-format.js';
import { walChecksum } from './wal-checksum.js';

export interface WalScan {
  /** The valid header, or null when the log counts as empty. */
  readonly header: WalHeader | null;
  /** Last valid commit frame; 0 when none. */
  readonly maxFrame: number;
  /** Running checksum after `maxFrame` (the header checksum when `maxFrame` is 0). */
  readonly checksum1: number;
  readonly checksum2: number;
  /** `pageOfFrame[f - 1]` = page number held by frame f, for f in 1..maxFrame. */
  readonly pageOfFrame: Uint32Array;
  /** Database size in pages recorded by the commit frame `maxFrame` (0 when none). */
  readonly dbSizePages: number;
}

const SCAN_CHUNK_BYTES = 1 << 20;

let scansRun = 0;

/**
 * How many times this process has scanned a log file. A reopen that trusts
 * the saved snapshot scans nothing; tests read this to prove it.
 */
export function walScanCount(): number {
  return scansRun;
}

/**
 * Scans the log in `file` (null = no file). `expectedPageSize` is the database's
 * page size, or 0 when the database file is empty and the log decides it.
 */
export function scanWal(file: RandomAccessFile | null, expectedPageSize: number): WalScan {
  const empty: WalScan = { header: null, maxFrame: 0, checksum1: 0, checksum2: 0, pageOfFrame: new Uint32Array(0), dbSizePages: 0 };
  if (file === null) return empty;
  scansRun++;
  const fileSize = file.size();
  if (fileSize < WAL_HEADER_SIZE) return empty;
  const headerBytes = new Uint8Array(WAL_HEADER_SIZE);
  file.readAt(headerBytes, 0);
  const header = decodeWalHeader(headerBytes);
  if (header === null || (expectedPageSize !== 0 && header.pageSize !== expectedPageSize)) return empty;

  const pageSize = header.pageSize;
  const frameSize = WAL_FRAME_HEADER_SIZE + pageSize;
  const framesInFile = Math.floor((fileSize - WAL_HEADER_SIZE) / frameSize);
  const bigEndian = usesBigEndianChecksums(header.magic);
  const framesPerChunk = Math.max(1, Math.floor(SCAN_CHUNK_BYTES / frameSize));
  const chunk = new Uint8Array(framesPerChunk * frameSize);
  const view = new DataView(chunk.buffer);
  const pageOfFrame = new Uint32Array(framesInFile);
  const sums = new Uint32Array([header.checksum1, header.checksum2]);

  let maxFrame = 0;
  let commitSum1 = header.checksum1;
  let commitSum2 = header.checksum2;
  let dbSizePages = 0;
  let frame = 1;
  scan: while (frame <= framesInFile) {
    const count = Math.min(framesPerChunk, framesInFile - frame + 1);
    file.readAt(chunk, WAL_HEADER_SIZE + (frame - 1) * frameSize, count * frameSize);
    for (let i = 0; i < count; i++, frame++) {
      const at = i * frameSize;
      const pgno = view.getUint32(at);
      if (pgno === 0) break scan;
      if (view.getUint32(at + 8) !== header.salt1 || view.getUint32(at + 12) !== header.salt2) break scan;
      walChecksum(chunk, at, 8, bigEndian, sums);
      walChecksum(chunk, at + WAL_FRAME_HEADER_SIZE, pageSize, bigEndian, sums);
      if (sums[0] !== view.getUint32(at + 16) || sums[1] !== view.getUint32(at + 20)) break scan;
      pageOfFrame[frame - 1] = pgno;
      const commitSize = view.getUint32(at + 4);
      if (commitSize !== 0) {
        maxFrame = frame;
        commitSum1 = sums[0]!;
        commitSum2 = sums[1]!;
        dbSizePages = commitSize;
      }
    }
  }
  return {
    header,
    maxFrame,
    checksum1: commitSum1,
    checksum2: commitSum2,
    pageOfFrame: pageOfFrame.subarray(0, maxFrame),
    dbSizePages,
  };
}
