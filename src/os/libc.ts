/**
 * libc through koffi: the only place that loads the FFI and declares foreign
 * functions (`fcntl`, `mmap`, `munmap`).
 *
 * Promises:
 *  - `loadLibc()` either returns working bindings or throws one
 *    `SQLITE_CANTOPEN` SqliteError that names what is missing (koffi itself,
 *    a 64-bit process, a supported operating system); the result is cached.
 *  - every foreign call goes through a wrapper here that counts it
 *    (`syscall-counter.ts`) and, when it fails, reads errno immediately.
 *  - the platform tables (`fcntl` command numbers, `struct flock` layout)
 *    are the ones of the running OS; OFD lock commands are offered only on
 *    Linux, where they exist.
 */
import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { SqliteError } from '../sqlite-error.js';
import { countSyscall } from './syscall-counter.js';

type KoffiModule = typeof Koffi;

/** Where each field of the platform's `struct flock` lives. */
export interface FlockLayout {
  readonly size: number;
  readonly typeOffset: number;
  readonly whenceOffset: number;
  readonly startOffset: number;
  readonly lenOffset: number;
  readonly pidOffset: number;
}

/** The platform's lock constants; `ofd` is null where OFD locks do not exist. */
export interface LockAbi {
  readonly layout: FlockLayout;
  readonly readLock: number;
  readonly writeLock: number;
  readonly unlock: number;
  readonly posix: { readonly getLock: number; readonly setLock: number; readonly setLockWait: number };
  readonly ofd: { readonly getLock: number; readonly setLock: number; readonly setLockWait: number } | null;
}

/** An opaque native pointer as koffi hands it out. */
export type NativePointer = unknown;

export type MapResult = { readonly pointer: NativePointer; readonly errno: 0 } | { readonly pointer: null; readonly errno: number };

export interface Libc {
  readonly lockAbi: LockAbi;
  /** `fcntl(fd, command, flock)`: 0 on success, otherwise the errno. */
  fcntlLock(fd: number, command: number, flock: Uint8Array): number;
  /** `mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, offset)`. */
  mapShared(fd: number, offset: number, length: number): MapResult;
  /** `munmap(pointer, length)`: 0 on success, otherwise the errno. */
  unmap(pointer: NativePointer, length: number): number;
  /** An ArrayBuffer over `length` bytes of native memory, without copy. */
  view(pointer: NativePointer, length: number): ArrayBuffer;
  /** The symbolic name of an errno value (`EAGAIN`), or its number. */
  errnoName(errno: number): string;
}

const LINUX_LOCKS: LockAbi = {
  layout: { size: 32, typeOffset: 0, whenceOffset: 2, startOffset: 8, lenOffset: 16, pidOffset: 24 },
  readLock: 0,
  writeLock: 1,
  unlock: 2,
  posix: { getLock: 5, setLock: 6, setLockWait: 7 },
  ofd: { getLock: 36, setLock: 37, setLockWait: 38 },
};

const DARWIN_LOCKS: LockAbi = {
  layout: { size: 24, startOffset: 0, lenOffset: 8, pidOffset: 16, typeOffset: 20, whenceOffset: 22 },
  readLock: 1,
  writeLock: 3,
  unlock: 2,
  posix: { getLock: 7, setLock: 8, setLockWait: 9 },
  ofd: null,
};

const FREEBSD_LOCKS: LockAbi = {
  layout: { size: 32, startOffset: 0, lenOffset: 8, pidOffset: 16, typeOffset: 20, whenceOffset: 22 },
  readLock: 1,
  writeLock: 3,
  unlock: 2,
  posix: { getLock: 11, setLock: 12, setLockWait: 13 },
  ofd: null,
};

const LOCK_ABIS: Partial<Record<NodeJS.Platform, LockAbi>> = {
  linux: LINUX_LOCKS,
  darwin: DARWIN_LOCKS,
  freebsd: FREEBSD_LOCKS,
};

/** Linux architectures whose `fcntl` numbers and `struct flock` match `LINUX_LOCKS`. */
const LINUX_ARCHS: ReadonlySet<string> = new Set(['x64', 'arm64']);

const PROT_READ_WRITE = 0x1 | 0x2;
const MAP_SHARED = 0x1;
const MAP_FAILED = 0xffff_ffff_ffff_ffffn;

let loaded: Libc | null = null;

/** The libc bindings, loaded on first use; throws a SqliteError naming what is missing. */
export function loadLibc(): Libc {
  loaded ??= bind();
  return loaded;
}

function unsupported(what: string): SqliteError {
  return new SqliteError(`unable to open database file: ${what}`, 'SQLITE_CANTOPEN');
}

function bind(): Libc {
  const lockAbi = LOCK_ABIS[process.platform];
  if (!lockAbi) {
    throw unsupported(`byte-range locks and shared memory maps are not supported on ${process.platform}`);
  }
  if (process.platform === 'linux' && !LINUX_ARCHS.has(process.arch)) {
    throw unsupported(`the Linux fcntl lock ABI of ${process.arch} is not supported (x64 and arm64 are)`);
  }
  let koffi: KoffiModule;
  try {
    koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
  } catch (err) {
    throw unsupported(`the koffi FFI module failed to load (${(err as Error).message})`);
  }
  if (koffi.sizeof('void *') !== 8) {
    throw unsupported('shared memory coordination needs a 64-bit process');
  }
  const library = koffi.load(null);
  // Linux passes the variadic third argument exactly like a fixed one, so a
  // fixed prototype avoids koffi's per-call variadic type parsing there.
  const variadicFcntl = process.platform !== 'linux';
  const fcntl = variadicFcntl
    ? library.func('int fcntl(int fd, int cmd, ...)')
    : library.func('int fcntl(int fd, int cmd, void *lock)');
  const mmap = library.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)');
  const munmap = library.func('int munmap(void *addr, size_t length)');
  const errnoNames = new Map<number, string>();
  for (const [name, value] of Object.entries(koffi.os.errno)) {
    if (!errnoNames.has(value)) errnoNames.set(value, name);
  }

  return {
    lockAbi,
    fcntlLock(fd, command, flock) {
      countSyscall();
      const result = (variadicFcntl ? fcntl(fd, command, 'void *', flock) : fcntl(fd, command, flock)) as number;
      return result === -1 ? koffi.errno() : 0;
    },
    mapShared(fd, offset, length) {
      countSyscall();
      const pointer: NativePointer = mmap(null, length, PROT_READ_WRITE, MAP_SHARED, fd, offset);
      if (pointer === null || koffi.address(pointer) === MAP_FAILED) return { pointer: null, errno: koffi.errno() };
      return { pointer, errno: 0 };
    },
    unmap(pointer, length) {
      countSyscall();
      return (munmap(pointer, length) as number) === -1 ? koffi.errno() : 0;
    },
    view(pointer, length) {
      return koffi.view(pointer, length);
    },
    errnoName(errno) {
      return errnoNames.get(errno) ?? String(errno);
    },
  };
}
