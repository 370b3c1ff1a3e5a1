/**
 * Filesystem checks for shared memory maps (spec tshm.md §3).
 *
 * A `MAP_SHARED` mapping is only coherent between processes when they share
 * one page cache, which network and cluster filesystems do not provide. This
 * module owns the list of Linux `statfs` magic numbers on which multi-process
 * coordination is refused, with the names used in error messages. Node's own
 * `fs.statfsSync` already returns `f_type`, so no FFI is needed here.
 * Promises: `filesystemOf(path)` measures the path itself or, when it does
 * not exist yet, its parent directory (`.` for a bare name), as Turso does.
 */
import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteError } from '../sqlite-error.js';
import { countSyscall } from './syscall-counter.js';

/** `f_type` magic → name for filesystems where shared mmap is unsafe (spec §3). */
export const UNSAFE_SHARED_MEMORY_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x5346414f, 'AFS'],
  [0xff534d42, 'CIFS'],
  [0x73757245, 'CODA'],
  [0x00c36400, 'CephFS'],
  [0x01161970, 'GFS2'],
  [0x0bd00bd0, 'Lustre'],
  [0x0000564c, 'NCP'],
  [0x00006969, 'NFS'],
  [0x7461636f, 'OCFS2'],
  [0xfe534d42, 'SMB2'],
  [0x01021997, '9P (v9fs)'],
]);

/** Names of common local filesystems, for messages and status views. */
const LOCAL_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0xef53, 'ext2/ext3/ext4'],
  [0x01021994, 'tmpfs'],
  [0x58465342, 'XFS'],
  [0x9123683e, 'Btrfs'],
  [0x794c7630, 'overlayfs'],
  [0x65735546, 'FUSE'],
  [0x2fc12fc1, 'ZFS'],
  [0xf2f52010, 'F2FS'],
  [0x4d44, 'FAT'],
  [0x5346544e, 'NTFS'],
  [0x858458f6, 'ramfs'],
]);

export interface FilesystemInfo {
  /** `statfs` `f_type` magic. */
  readonly type: number;
  /** A human name, or the magic in hex when unknown. */
  readonly name: string;
  /** False when shared memory maps are not coherent across processes there. */
  readonly sharedMemorySafe: boolean;
}

/** The filesystem holding `path` (or, when `path` does not exist, its parent directory). */
export function filesystemOf(path: string): FilesystemInfo {
  const measured = existsSync(path) ? path : dirname(path);
  let type: number;
  countSyscall();
  try {
    type = statfsSync(measured).type;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new SqliteError(`unable to open database file: statfs(${measured}) failed with ${code}`, 'SQLITE_CANTOPEN');
  }
  return describeFilesystem(type);
}

/** Names a Linux `f_type` magic and says whether shared maps are safe there (other systems: always safe). */
export function describeFilesystem(type: number): FilesystemInfo {
  if (process.platform !== 'linux') return { type, name: `0x${type.toString(16)}`, sharedMemorySafe: true };
  const unsafeName = UNSAFE_SHARED_MEMORY_FILESYSTEMS.get(type);
  if (unsafeName !== undefined) return { type, name: unsafeName, sharedMemorySafe: false };
  const name = LOCAL_FILESYSTEMS.get(type) ?? `0x${type.toString(16)}`;
  return { type, name, sharedMemorySafe: true };
}
