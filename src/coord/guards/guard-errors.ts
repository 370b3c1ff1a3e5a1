/**
 * The refusals an open guard raises, in one place so every guard words the
 * same situation the same way. All are `SQLITE_BUSY` (someone else has the
 * database now; retrying later can succeed), with the message naming who.
 */
import { SqliteError } from '../../sqlite-error.js';

export function openInSingleProcessModeElsewhere(path: string): SqliteError {
  return new SqliteError(
    `database is locked: database is open in single-process mode by another process (multiProcess: false): ${path}`,
    'SQLITE_BUSY',
  );
}

export function openInSingleProcessModeHere(path: string): SqliteError {
  return new SqliteError(
    `database is locked: database is open in single-process mode by this process (multiProcess: false); ` +
      `open every connection of a process in the same mode: ${path}`,
    'SQLITE_BUSY',
  );
}

export function openInMultiProcessModeElsewhere(path: string): SqliteError {
  return new SqliteError(
    `database is locked: database is open in multi-process mode by another process: ${path}`,
    'SQLITE_BUSY',
  );
}

export function openBySqlite(path: string, evidence: string): SqliteError {
  return new SqliteError(
    `database is locked: a SQLite process has the database open (${evidence}); close it before opening with Shoal: ${path}`,
    'SQLITE_BUSY',
  );
}

export function lockedBySomeoneElse(path: string): SqliteError {
  return new SqliteError(`database is locked: another process holds a lock on ${path}`, 'SQLITE_BUSY');
}
