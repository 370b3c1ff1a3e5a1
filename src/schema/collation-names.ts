/**
 * The collating sequences this engine knows (SQLite's built-ins BINARY,
 * NOCASE and RTRIM) and the check that a COLLATE clause names one of them.
 * Names compare case-insensitively and are kept in their canonical upper
 * case so the rest of the engine can compare them with `===`.
 */
import { SqliteError } from '../sqlite-error.js';

export type CollationName = 'BINARY' | 'NOCASE' | 'RTRIM';

/** The canonical name of a built-in collation, or SQLite's "no such collation sequence" error. */
export function checkCollationName(name: string): CollationName {
  const upper = name.toUpperCase();
  if (upper === 'BINARY' || upper === 'NOCASE' || upper === 'RTRIM') return upper;
  throw new SqliteError(`no such collation sequence: ${name}`, 'SQLITE_ERROR_MISSING_COLLSEQ');
}
