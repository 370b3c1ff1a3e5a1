/**
 * Which byte-range lock flavor multi-process coordination uses: the one
 * place that decides it, and the only reader of the `SHOAL_LOCKS`
 * environment variable.
 *
 * Promises, in order of precedence:
 *  - an explicit request (`SharedCoordination.open({ lockFlavor })`) wins;
 *  - otherwise `SHOAL_LOCKS=posix` or `SHOAL_LOCKS=ofd` decides for the
 *    whole process (and for child processes, which inherit the
 *    environment); an empty or unset variable means "no preference";
 *  - otherwise open-file-description locks where the OS has them (Linux),
 *    classic process-scoped POSIX locks everywhere else.
 * Forcing `posix` on Linux exercises the fallback of other Unix systems
 * (macOS, FreeBSD). Asking for `ofd` where it does not exist, or for an
 * unknown flavor, throws a SqliteError naming what was asked.
 */
import { SqliteError } from '../sqlite-error.js';
import type { LockFlavor } from './byte-range-lock.js';
import { loadLibc } from './libc.js';

export const LOCK_FLAVOR_VARIABLE = 'SHOAL_LOCKS';

const FLAVORS: readonly string[] = ['ofd', 'posix'];

/** The flavor to use for a new coordination open. */
export function chooseLockFlavor(requested?: LockFlavor): LockFlavor {
  const ofdAvailable = loadLibc().lockAbi.ofd !== null;
  const flavor = requested === undefined ? preferredFlavor() : checkedFlavor(requested, 'lockFlavor option');
  if (flavor === 'ofd' && !ofdAvailable) {
    throw new SqliteError(
      `unable to open database file: open file description locks (F_OFD_SETLK) are not available on ${process.platform}`,
      'SQLITE_CANTOPEN',
    );
  }
  return flavor ?? (ofdAvailable ? 'ofd' : 'posix');
}

/** The flavor the environment asks for, or null when it does not say. */
function preferredFlavor(): LockFlavor | null {
  const value = process.env[LOCK_FLAVOR_VARIABLE];
  if (value === undefined || value === '') return null;
  return checkedFlavor(value, `environment variable ${LOCK_FLAVOR_VARIABLE}`);
}

function checkedFlavor(value: unknown, source: string): LockFlavor {
  if (typeof value === 'string' && FLAVORS.includes(value)) return value as LockFlavor;
  throw new SqliteError(
    `bad parameter or other API misuse: ${source} must be 'ofd' or 'posix', not ${JSON.stringify(value)}`,
    'SQLITE_MISUSE',
  );
}
