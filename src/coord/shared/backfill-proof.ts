/**
 * The backfill proof (spec tshm.md §13): twelve header words that tie a
 * published `nbackfills` to the WAL generation, the WAL tail and the database
 * file's header, so an opener that finds peers alive can trust checkpoint
 * progress it did not watch happen.
 *
 * Promises: `installBackfillProof` writes version 0, the payload, the CRC-32C
 * and finally version 1 (a reader never sees a version-1 proof with a half
 * payload); `clearBackfillProof` zeroes version first; `proofIsSound` is the
 * structural + CRC check an exclusive opener uses to sanitize (§7.4);
 * `proofMatches` is the full validation against a snapshot and the current
 * database identity.
 */
import type { DatabaseIdentity, WalSnapshot } from '../coordination.js';
import { crc32c } from './crc32c.js';
import { Header, TWO_TO_32 } from './tshm-layout.js';
import type { TshmRegion } from './tshm-region.js';
import type { HeaderReader } from './tshm-validation.js';

export const PROOF_VERSION = 1;

export interface BackfillProof {
  readonly version: number;
  readonly nBackfills: number;
  readonly maxFrame: number;
  readonly checkpointSeq: number;
  readonly pageSize: number;
  readonly salt1: number;
  readonly salt2: number;
  readonly checksum1: number;
  readonly checksum2: number;
  readonly dbSizePages: number;
  readonly dbHeaderCrc32c: number;
  readonly crc32c: number;
}

const crcInput = new Uint8Array(52);
const crcView = new DataView(crcInput.buffer);

/** CRC-32C of the 52-byte little-endian proof layout (§13). */
export function proofCrc(proof: Omit<BackfillProof, 'crc32c' | 'version'>): number {
  crcView.setUint32(0, PROOF_VERSION, true);
  crcView.setBigUint64(4, BigInt(proof.nBackfills), true);
  crcView.setBigUint64(12, BigInt(proof.maxFrame), true);
  crcView.setUint32(20, proof.checkpointSeq, true);
  crcView.setUint32(24, proof.pageSize, true);
  crcView.setUint32(28, proof.salt1, true);
  crcView.setUint32(32, proof.salt2, true);
  crcView.setUint32(36, proof.checksum1, true);
  crcView.setUint32(40, proof.checksum2, true);
  crcView.setUint32(44, proof.dbSizePages, true);
  crcView.setUint32(48, proof.dbHeaderCrc32c, true);
  return crc32c(crcInput);
}

export function readBackfillProof(header: HeaderReader): BackfillProof {
  const wide = (offset: number): number => header.readU32(offset) + header.readU32(offset + 4) * TWO_TO_32;
  return {
    version: header.readU32(Header.proofVersion),
    nBackfills: wide(Header.proofNBackfills),
    maxFrame: wide(Header.proofMaxFrame),
    checkpointSeq: header.readU32(Header.proofCheckpointSeq),
    pageSize: header.readU32(Header.proofPageSize),
    salt1: header.readU32(Header.proofSalt1),
    salt2: header.readU32(Header.proofSalt2),
    checksum1: header.readU32(Header.proofChecksum1),
    checksum2: header.readU32(Header.proofChecksum2),
    dbSizePages: header.readU32(Header.proofDbSizePages),
    dbHeaderCrc32c: header.readU32(Header.proofDbHeaderCrc32c),
    crc32c: header.readU32(Header.proofCrc32c),
  };
}

/** Version 1, structurally possible, and its CRC matches (§7.4 sanitizing). */
export function proofIsSound(proof: BackfillProof): boolean {
  return (
    proof.version === PROOF_VERSION &&
    proof.nBackfills !== 0 &&
    proof.nBackfills <= proof.maxFrame &&
    proof.pageSize !== 0 &&
    proofCrc(proof) === proof.crc32c
  );
}

/** §13 "Validate": sound, and every payload value equals the snapshot's and the database's. */
export function proofMatches(proof: BackfillProof, snapshot: WalSnapshot, identity: DatabaseIdentity): boolean {
  return (
    proofIsSound(proof) &&
    proof.nBackfills === snapshot.nBackfills &&
    proof.maxFrame === snapshot.maxFrame &&
    proof.checkpointSeq === snapshot.checkpointSeq &&
    proof.pageSize === snapshot.pageSize &&
    proof.salt1 === snapshot.salt1 &&
    proof.salt2 === snapshot.salt2 &&
    proof.checksum1 === snapshot.checksum1 &&
    proof.checksum2 === snapshot.checksum2 &&
    proof.dbSizePages === identity.dbSizePages &&
    proof.dbHeaderCrc32c === identity.dbHeaderCrc32c
  );
}

export function clearBackfillProof(region: TshmRegion): void {
  region.store32(Header.proofVersion, 0);
  region.store64(Header.proofNBackfills, 0n);
  region.store64(Header.proofMaxFrame, 0n);
  for (let offset = Header.proofCheckpointSeq; offset <= Header.proofCrc32c; offset += 4) region.store32(offset, 0);
}

/** Installs a proof for `snapshot` with `nBackfills` about to be published (the caller fsyncs after). */
export function installBackfillProof(
  region: TshmRegion,
  snapshot: WalSnapshot,
  nBackfills: number,
  identity: DatabaseIdentity,
): void {
  const payload = {
    nBackfills,
    maxFrame: snapshot.maxFrame,
    checkpointSeq: snapshot.checkpointSeq,
    pageSize: snapshot.pageSize,
    salt1: snapshot.salt1,
    salt2: snapshot.salt2,
    checksum1: snapshot.checksum1,
    checksum2: snapshot.checksum2,
    dbSizePages: identity.dbSizePages,
    dbHeaderCrc32c: identity.dbHeaderCrc32c,
  };
  region.store32(Header.proofVersion, 0);
  region.storeWide(Header.proofNBackfills, payload.nBackfills);
  region.storeWide(Header.proofMaxFrame, payload.maxFrame);
  region.store32(Header.proofCheckpointSeq, payload.checkpointSeq);
  region.store32(Header.proofPageSize, payload.pageSize);
  region.store32(Header.proofSalt1, payload.salt1);
  region.store32(Header.proofSalt2, payload.salt2);
  region.store32(Header.proofChecksum1, payload.checksum1);
  region.store32(Header.proofChecksum2, payload.checksum2);
  region.store32(Header.proofDbSizePages, payload.dbSizePages);
  region.store32(Header.proofDbHeaderCrc32c, payload.dbHeaderCrc32c);
  region.store32(Header.proofCrc32c, proofCrc(payload));
  region.store32(Header.proofVersion, PROOF_VERSION);
}
