/**
 * SqliteError: the one error type every layer throws for database conditions.
 *
 * `code` is SQLite's extended result code as a string (`SQLITE_BUSY`,
 * `SQLITE_CONSTRAINT_PRIMARYKEY`, `SQLITE_CORRUPT`, ...), exactly as
 * better-sqlite3 reports it, and `message` uses SQLite's wording where SQLite
 * has one. It lives at the root of `src/` because every layer, from `os` to
 * `api`, raises it.
 */
export class SqliteError extends Error {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }

  override get name(): string {
    return 'SqliteError';
  }
}

/** A `SQLITE_CORRUPT` error with SQLite's wording ("database disk image is malformed") plus detail. */
export function corruptError(detail?: string): SqliteError {
  const base = 'database disk image is malformed';
  return new SqliteError(detail ? `${base}: ${detail}` : base, 'SQLITE_CORRUPT');
}
