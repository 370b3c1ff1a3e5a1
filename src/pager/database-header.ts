/**
 * The 100-byte database header at the start of page 1 (SQLite fileformat2 §1.3).
 *
 * Parsing validates what SQLite's own open validates: the magic string, a
 * power-of-two page size in 512..65536 (the stored value 1 means 65536), file
 * format read version ≤ 2, payload fractions 64/32/32, a usable size of at
 * least 480 bytes, and UTF-8 text (UTF-16 databases are refused with an error
 * that says so). Failures raise `SQLITE_NOTADB` ("file is not a database"),
 * or `SQLITE_CORRUPT` when the file ends inside what looks like a header.
 * Field offsets are exported so the pager and upper layers read and write
 * single fields in place without decoding the whole header.
 */
import { SqliteError, corruptError } from '../sqlite-error.js';

export const DATABASE_HEADER_SIZE = 100;

/** The SQLite release whose file format Shoal writes, stored at offset 96 (SQLITE_VERSION_NUMBER). */
export const WRITER_VERSION_NUMBER = 3053000;

const MAGIC = new TextEncoder().encode('SQLite format 3\0');

/** Offsets of the big-endian u32 fields of the header. */
export const HeaderOffset = {
  changeCounter: 24,
  databaseSizePages: 28,
  freelistTrunk: 32,
  freelistCount: 36,
  schemaCookie: 40,
  schemaFormat: 44,
  defaultCacheSize: 48,
  largestRootPage: 52,
  textEncoding: 56,
  userVersion: 60,
  incrementalVacuum: 64,
  applicationId: 68,
  versionValidFor: 92,
  sqliteVersion: 96,
} as const;

export type HeaderField = keyof typeof HeaderOffset;

export interface DatabaseHeader {
  readonly pageSize: number;
  readonly writeVersion: number;
  readonly readVersion: number;
  readonly reservedBytes: number;
  readonly changeCounter: number;
  /** The in-header database size, or 0 when SQLite's validity rule says not to trust it. */
  readonly databaseSizePages: number;
  readonly freelistTrunk: number;
  readonly freelistCount: number;
  readonly schemaCookie: number;
  readonly schemaFormat: number;
  readonly defaultCacheSize: number;
  readonly largestRootPage: number;
  /** 0 (not yet set), or 1 = UTF-8. */
  readonly textEncoding: number;
  readonly userVersion: number;
  readonly incrementalVacuum: number;
  readonly applicationId: number;
  readonly versionValidFor: number;
  readonly sqliteVersion: number;
}

export function notADatabase(): SqliteError {
  return new SqliteError('file is not a database', 'SQLITE_NOTADB');
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = value >>> 16;
  bytes[offset + 2] = value >>> 8;
  bytes[offset + 3] = value;
}

/** Decodes the page-size field (offset 16); 0 when it is not a valid page size. */
export function decodePageSize(bytes: Uint8Array): number {
  const raw = (bytes[16]! << 8) | bytes[17]!;
  const size = raw === 1 ? 65536 : raw;
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0 ? size : 0;
}

/**
 * Validates the first bytes of a database file, `bytes` being everything the
 * file holds up to 100 bytes (a non-empty file). Returns the parsed header.
 */
export function parseDatabaseHeader(bytes: Uint8Array): DatabaseHeader {
  const prefix = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < prefix; i++) if (bytes[i] !== MAGIC[i]) throw notADatabase();
  if (bytes.length < DATABASE_HEADER_SIZE) {
    throw corruptError(`the database header is truncated (${bytes.length} of ${DATABASE_HEADER_SIZE} bytes)`);
  }
  const pageSize = decodePageSize(bytes);
  if (pageSize === 0) throw notADatabase();
  const writeVersion = bytes[18]!;
  const readVersion = bytes[19]!;
  if (readVersion > 2) throw notADatabase();
  if (bytes[21] !== 64 || bytes[22] !== 32 || bytes[23] !== 32) throw notADatabase();
  const reservedBytes = bytes[20]!;
  if (pageSize - reservedBytes < 480) throw notADatabase();
  const textEncoding = readU32(bytes, HeaderOffset.textEncoding);
  if (textEncoding === 2 || textEncoding === 3) {
    throw new SqliteError(
      `unsupported database text encoding ${textEncoding === 2 ? 'UTF-16le' : 'UTF-16be'}: Shoal reads and writes UTF-8 databases only`,
      'SQLITE_CANTOPEN',
    );
  }
  if (textEncoding > 3) throw corruptError(`invalid text encoding ${textEncoding}`);
  const changeCounter = readU32(bytes, HeaderOffset.changeCounter);
  const versionValidFor = readU32(bytes, HeaderOffset.versionValidFor);
  return {
    pageSize,
    writeVersion,
    readVersion,
    reservedBytes,
    changeCounter,
    databaseSizePages: inHeaderDatabaseSize(bytes),
    freelistTrunk: readU32(bytes, HeaderOffset.freelistTrunk),
    freelistCount: readU32(bytes, HeaderOffset.freelistCount),
    schemaCookie: readU32(bytes, HeaderOffset.schemaCookie),
    schemaFormat: readU32(bytes, HeaderOffset.schemaFormat),
    defaultCacheSize: readU32(bytes, HeaderOffset.defaultCacheSize) | 0,
    largestRootPage: readU32(bytes, HeaderOffset.largestRootPage),
    textEncoding,
    userVersion: readU32(bytes, HeaderOffset.userVersion),
    incrementalVacuum: readU32(bytes, HeaderOffset.incrementalVacuum),
    applicationId: readU32(bytes, HeaderOffset.applicationId),
    versionValidFor,
    sqliteVersion: readU32(bytes, HeaderOffset.sqliteVersion),
  };
}

/**
 * The in-header database size, trusted only when non-zero and the change
 * counter equals the version-valid-for number; 0 otherwise.
 */
export function inHeaderDatabaseSize(page1: Uint8Array): number {
  const size = readU32(page1, HeaderOffset.databaseSizePages);
  return size !== 0 && readU32(page1, HeaderOffset.changeCounter) === readU32(page1, HeaderOffset.versionValidFor) ? size : 0;
}

/**
 * Page 1 of a new, empty database: the header (schema format 4, UTF-8) and an
 * empty table-leaf page for `sqlite_schema`. `walMode` sets the file format
 * versions to 2 (WAL) instead of 1 (rollback journal).
 */
export function emptyDatabasePageOne(pageSize: number, walMode: boolean): Uint8Array {
  const page = new Uint8Array(pageSize);
  page.set(MAGIC, 0);
  page[16] = pageSize === 65536 ? 0 : pageSize >>> 8;
  page[17] = pageSize === 65536 ? 1 : 0;
  page[18] = walMode ? 2 : 1;
  page[19] = walMode ? 2 : 1;
  page[20] = 0;
  page[21] = 64;
  page[22] = 32;
  page[23] = 32;
  writeU32(page, HeaderOffset.changeCounter, 1);
  writeU32(page, HeaderOffset.databaseSizePages, 1);
  writeU32(page, HeaderOffset.schemaFormat, 4);
  writeU32(page, HeaderOffset.textEncoding, 1);
  writeU32(page, HeaderOffset.versionValidFor, 1);
  writeU32(page, HeaderOffset.sqliteVersion, WRITER_VERSION_NUMBER);
  // sqlite_schema root: table leaf (0x0D), no cells, cell content area at the page end.
  page[DATABASE_HEADER_SIZE] = 0x0d;
  const contentStart = pageSize === 65536 ? 0 : pageSize;
  page[DATABASE_HEADER_SIZE + 5] = contentStart >>> 8;
  page[DATABASE_HEADER_SIZE + 6] = contentStart & 0xff;
  return page;
}
