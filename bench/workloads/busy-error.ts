/** Recognises the "database is locked/busy" errors of every engine, which (f) counts instead of failing on. */

export function isBusyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  return /database is (locked|busy)/i.test(error.message);
}
