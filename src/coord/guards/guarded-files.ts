/**
 * The files an open guard looks at, named from the database path exactly as
 * the engines that share them name them: `<db>-wal` (SQLite, Turso, our
 * pager), `<db>-tshm` (Turso's coordination file, derived from the WAL path,
 * spec tshm.md §2) and `<db>-shm` (SQLite's wal-index).
 *
 * `registryKey` gives every alias of one database (relative paths, symbolic
 * links to its directory or to the file) one key, whether or not the file
 * exists yet, so per-process lock registries never hold two entries for one
 * file. A key is a cache key, never a path to open.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { coordinationPathFor } from '../shared/tshm-layout.js';

export interface GuardedFiles {
  readonly database: string;
  readonly wal: string;
  readonly tshm: string;
  readonly shm: string;
  readonly registryKey: string;
}

export function guardedFilesOf(databasePath: string): GuardedFiles {
  const wal = `${databasePath}-wal`;
  return {
    database: databasePath,
    wal,
    tshm: coordinationPathFor(wal),
    shm: `${databasePath}-shm`,
    registryKey: registryKeyOf(databasePath),
  };
}

function registryKeyOf(databasePath: string): string {
  try {
    return realpathSync(databasePath);
  } catch {
    const absolute = resolve(databasePath);
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}
