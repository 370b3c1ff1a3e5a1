/**
 * RandomAccessFile: positional, synchronous I/O on one open file (the database
 * file or its WAL).
 *
 * Reads and writes loop until the whole range is transferred; a read past the
 * end of the file returns the number of bytes that existed, so callers decide
 * what a short read means. Every operating-system failure becomes a
 * `SqliteError` with SQLite's `SQLITE_IOERR_*` / `SQLITE_CANTOPEN` code.
 */
import * as fs from 'node:fs';
import { SqliteError } from '../sqlite-error.js';

export interface OpenFileOptions {
  /** Open for reading only; never create. */
  readonly readonly: boolean;
  /** Create the file when it does not exist (ignored when read-only). */
  readonly create: boolean;
}

export class RandomAccessFile {
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly readonly: boolean,
  ) {}

  /** Opens `path`, or returns null when it does not exist and may not be created. */
  static open(path: string, options: OpenFileOptions): RandomAccessFile | null {
    const flags = options.readonly ? 'r' : options.create ? fs.constants.O_RDWR | fs.constants.O_CREAT : 'r+';
    try {
      return new RandomAccessFile(path, fs.openSync(path, flags, 0o644), options.readonly);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new SqliteError(`unable to open database file: ${(error as Error).message}`, 'SQLITE_CANTOPEN');
    }
  }

  /** Reads up to `length` bytes at `position` into `target[offset..]`; returns the bytes read. */
  readAt(target: Uint8Array, position: number, length = target.length, offset = 0): number {
    let done = 0;
    try {
      while (done < length) {
        const n = fs.readSync(this.fd, target, offset + done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
    } catch (error) {
      throw ioError('SQLITE_IOERR_READ', error);
    }
    return done;
  }

  /** Writes `length` bytes of `source[offset..]` at `position`. */
  writeAt(source: Uint8Array, position: number, length = source.length, offset = 0): void {
    let done = 0;
    try {
      while (done < length) {
        done += fs.writeSync(this.fd, source, offset + done, length - done, position + done);
      }
    } catch (error) {
      throw ioError('SQLITE_IOERR_WRITE', error);
    }
  }

  size(): number {
    try {
      return fs.fstatSync(this.fd).size;
    } catch (error) {
      throw ioError('SQLITE_IOERR_FSTAT', error);
    }
  }

  truncate(length: number): void {
    try {
      fs.ftruncateSync(this.fd, length);
    } catch (error) {
      throw ioError('SQLITE_IOERR_TRUNCATE', error);
    }
  }

  sync(): void {
    try {
      fs.fsyncSync(this.fd);
    } catch (error) {
      throw ioError('SQLITE_IOERR_FSYNC', error);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fs.closeSync(this.fd);
    } catch (error) {
      throw ioError('SQLITE_IOERR_CLOSE', error);
    }
  }
}

function ioError(code: string, cause: unknown): SqliteError {
  return new SqliteError(`disk I/O error: ${(cause as Error).message}`, code);
}
