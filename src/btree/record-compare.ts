/**
 * Ordering of records in index B-trees: SQLite's record comparison.
 *
 * Two records are compared field by field, over as many fields as both have
 * (and no more than a caller's limit); the first unequal field decides. Per
 * field the storage classes order NULL < numbers < TEXT < BLOB; INTEGER and
 * REAL compare by exact numeric value (a 64-bit integer against a float is
 * compared mathematically, never by rounding); TEXT compares under the
 * column's collation (BINARY: UTF-8 bytes like memcmp, then length; NOCASE:
 * the same with ASCII A-Z folded to a-z; RTRIM: BINARY ignoring trailing
 * spaces); BLOB compares like memcmp, then length. A DESC column inverts its
 * field's result. Equality over the compared prefix returns 0: callers that
 * search with a shorter key decide how a prefix match orders.
 *
 * Comparison works directly on the encoded bytes; nothing is decoded into JS
 * values except numbers. Fields that run past their record raise
 * SQLITE_CORRUPT.
 */
import { corruptError } from '../sqlite-error.js';
import { readNumber } from './record.js';
import { readVarintSize, varintLength } from './varint.js';

/** Built-in collating sequences. */
export type Collation = 'BINARY' | 'NOCASE' | 'RTRIM';

const COLLATION_BINARY = 0;
const COLLATION_NOCASE = 1;
const COLLATION_RTRIM = 2;

/**
 * How an index orders its key columns: a collation and a direction per
 * column. Columns beyond the given lists (for example the trailing rowid of
 * an index entry) use BINARY ascending.
 */
export class KeyInfo {
  /** BINARY ascending for every column. */
  static readonly BINARY = new KeyInfo();

  readonly collations: readonly Collation[];
  readonly descending: readonly boolean[];
  private readonly collationCodes: Uint8Array;
  private readonly descendingFlags: Uint8Array;

  constructor(collations: readonly Collation[] = [], descending: readonly boolean[] = []) {
    this.collations = collations.slice();
    this.descending = descending.slice();
    const columns = Math.max(collations.length, descending.length);
    this.collationCodes = new Uint8Array(columns);
    this.descendingFlags = new Uint8Array(columns);
    for (let i = 0; i < columns; i++) {
      const name = collations[i] ?? 'BINARY';
      this.collationCodes[i] = name === 'NOCASE' ? COLLATION_NOCASE : name === 'RTRIM' ? COLLATION_RTRIM : COLLATION_BINARY;
      this.descendingFlags[i] = descending[i] ? 1 : 0;
    }
  }

  /** Internal collation code of column `i`. */
  collationCode(i: number): number {
    return i < this.collationCodes.length ? this.collationCodes[i] : COLLATION_BINARY;
  }

  /** True when column `i` sorts descending. */
  isDescending(i: number): boolean {
    return i < this.descendingFlags.length && this.descendingFlags[i] === 1;
  }
}

function storageClass(serialType: number): number {
  if (serialType === 0) return 0;
  if (serialType < 12) return 1;
  return (serialType & 1) === 1 ? 2 : 3;
}

function bodySize(serialType: number): number {
  if (serialType >= 12) return Math.floor((serialType - 12) / 2);
  return serialType === 0 || serialType === 8 || serialType === 9 ? 0 : serialType === 5 ? 6 : serialType >= 6 ? 8 : serialType;
}

function compareBytes(a: Uint8Array, aStart: number, aLength: number, b: Uint8Array, bStart: number, bLength: number): number {
  const n = aLength < bLength ? aLength : bLength;
  for (let i = 0; i < n; i++) {
    const diff = a[aStart + i] - b[bStart + i];
    if (diff !== 0) return diff;
  }
  return aLength - bLength;
}

function compareNoCase(a: Uint8Array, aStart: number, aLength: number, b: Uint8Array, bStart: number, bLength: number): number {
  const n = aLength < bLength ? aLength : bLength;
  for (let i = 0; i < n; i++) {
    let x = a[aStart + i];
    let y = b[bStart + i];
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return x - y;
  }
  return aLength - bLength;
}

function trimmedLength(data: Uint8Array, start: number, length: number): number {
  while (length > 0 && data[start + length - 1] === 0x20) length--;
  return length;
}

/** Compares two TEXT bodies under a collation code. */
function compareText(collation: number, a: Uint8Array, aStart: number, aLength: number, b: Uint8Array, bStart: number, bLength: number): number {
  if (collation === COLLATION_NOCASE) return compareNoCase(a, aStart, aLength, b, bStart, bLength);
  if (collation === COLLATION_RTRIM) {
    return compareBytes(a, aStart, trimmedLength(a, aStart, aLength), b, bStart, trimmedLength(b, bStart, bLength));
  }
  return compareBytes(a, aStart, aLength, b, bStart, bLength);
}

/**
 * Compares records `a` and `b` (complete payloads) over their first
 * `min(columns(a), columns(b), fieldLimit)` fields under `keyInfo`.
 * Returns a negative number, zero or a positive number.
 */
export function compareRecords(a: Uint8Array, b: Uint8Array, keyInfo: KeyInfo = KeyInfo.BINARY, fieldLimit = Number.MAX_SAFE_INTEGER): number {
  return compareRecordRanges(a, 0, a.length, b, 0, b.length, keyInfo, fieldLimit);
}

/**
 * Compares field `field` of two records from its serial types and body
 * positions: storage class first (NULL < numbers < text < blob), then
 * value, with the field's collation for text; negative, 0 or positive,
 * before the field's sort direction is applied.
 */
function compareFieldBodies(
  keyInfo: KeyInfo,
  field: number,
  a: Uint8Array,
  aBody: number,
  aType: number,
  aSize: number,
  b: Uint8Array,
  bBody: number,
  bType: number,
  bSize: number,
): number {
  const aClass = storageClass(aType);
  const bClass = storageClass(bType);
  if (aClass !== bClass) return aClass - bClass;
  if (aClass === 1) {
    if (aType <= 4 && bType <= 4) return (readNumber(a, aBody, aType) as number) - (readNumber(b, bBody, bType) as number);
    const x = readNumber(a, aBody, aType);
    const y = readNumber(b, bBody, bType);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (aClass === 2) return compareText(keyInfo.collationCode(field), a, aBody, aSize, b, bBody, bSize);
  if (aClass === 3) return compareBytes(a, aBody, aSize, b, bBody, bSize);
  return 0;
}

/** `compareRecords` over the records in `a[aStart, aEnd)` and `b[bStart, bEnd)`. */
export function compareRecordRanges(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
  keyInfo: KeyInfo,
  fieldLimit: number,
): number {
  if (aEnd <= aStart || bEnd <= bStart) return 0;
  const aHeaderEnd = aStart + readVarintSize(a, aStart);
  const bHeaderEnd = bStart + readVarintSize(b, bStart);
  if (aHeaderEnd > aEnd || bHeaderEnd > bEnd) throw corruptError('record header size out of range');
  let aPos = aStart + varintLength(a, aStart);
  let bPos = bStart + varintLength(b, bStart);
  let aBody = aHeaderEnd;
  let bBody = bHeaderEnd;
  for (let field = 0; field < fieldLimit && aPos < aHeaderEnd && bPos < bHeaderEnd; field++) {
    let aType: number;
    if (a[aPos] < 0x80) {
      aType = a[aPos++];
    } else {
      aType = readHeaderType(a, aPos);
      aPos += varintLength(a, aPos);
    }
    let bType: number;
    if (b[bPos] < 0x80) {
      bType = b[bPos++];
    } else {
      bType = readHeaderType(b, bPos);
      bPos += varintLength(b, bPos);
    }
    const aSize = bodySize(aType);
    const bSize = bodySize(bType);
    if (aBody + aSize > aEnd || bBody + bSize > bEnd || aType === 10 || aType === 11 || bType === 10 || bType === 11) {
      throw corruptError('record field extends past payload');
    }
    const result = compareFieldBodies(keyInfo, field, a, aBody, aType, aSize, b, bBody, bType, bSize);
    if (result !== 0) return keyInfo.isDescending(field) ? -result : result;
    aBody += aSize;
    bBody += bSize;
  }
  return 0;
}

/**
 * A search key whose record header has been parsed once, so that comparing
 * it against many records (a B-tree descent) reads only their headers.
 * `compareRecordToKey(a, ..., key)` equals `compareRecordRanges(a, ...,
 * key's record, ..., fieldLimit)`, corruption errors included: a malformed
 * key field is remembered and raised only when a comparison reaches it.
 */
export class UnpackedKey {
  /** The key's bytes (the array passed to `unpack`). */
  data: Uint8Array = EMPTY_RECORD;
  /** True for an empty record (it compares equal to everything). */
  empty = true;
  /** True when the key's header size runs past its end. */
  headerCorrupt = false;
  /** Fields parsed: min(fields in the key, fieldLimit). */
  fieldCount = 0;
  /** Index of the first malformed field, or -1. */
  corruptField = -1;
  types: number[] = [];
  bodies: number[] = [];
  sizes: number[] = [];

  /** Parses the header of the record in `data[start, end)` for up to `fieldLimit` fields. */
  unpack(data: Uint8Array, start: number, end: number, fieldLimit: number): this {
    this.data = data;
    this.fieldCount = 0;
    this.corruptField = -1;
    this.headerCorrupt = false;
    this.empty = end <= start;
    if (this.empty) return this;
    const headerEnd = start + readVarintSize(data, start);
    if (headerEnd > end) {
      this.headerCorrupt = true;
      return this;
    }
    let pos = start + varintLength(data, start);
    let body = headerEnd;
    let field = 0;
    for (; field < fieldLimit && pos < headerEnd; field++) {
      let type: number;
      if (data[pos] < 0x80) {
        type = data[pos++];
      } else {
        type = readVarintSize(data, pos);
        pos += varintLength(data, pos);
      }
      const size = type > 0xffffffff ? 0 : bodySize(type);
      if (type > 0xffffffff || type === 10 || type === 11 || body + size > end) {
        this.corruptField = field;
        field++;
        break;
      }
      this.types[field] = type;
      this.bodies[field] = body;
      this.sizes[field] = size;
      body += size;
    }
    this.fieldCount = field;
    return this;
  }
}

const EMPTY_RECORD = new Uint8Array(0);

/** `compareRecordRanges(a, aStart, aEnd, <key's record>, keyInfo, <key's fieldLimit>)`. */
export function compareRecordToKey(a: Uint8Array, aStart: number, aEnd: number, key: UnpackedKey, keyInfo: KeyInfo): number {
  if (aEnd <= aStart || key.empty) return 0;
  const aHeaderEnd = aStart + readVarintSize(a, aStart);
  if (aHeaderEnd > aEnd || key.headerCorrupt) throw corruptError('record header size out of range');
  let aPos = aStart + varintLength(a, aStart);
  let aBody = aHeaderEnd;
  const b = key.data;
  const fields = key.fieldCount;
  for (let field = 0; field < fields && aPos < aHeaderEnd; field++) {
    let aType: number;
    if (a[aPos] < 0x80) {
      aType = a[aPos++];
    } else {
      aType = readHeaderType(a, aPos);
      aPos += varintLength(a, aPos);
    }
    if (field === key.corruptField) throw corruptError('record field extends past payload');
    const aSize = bodySize(aType);
    if (aBody + aSize > aEnd || aType === 10 || aType === 11) throw corruptError('record field extends past payload');
    const bType = key.types[field];
    const bBody = key.bodies[field];
    const result = compareFieldBodies(keyInfo, field, a, aBody, aType, aSize, b, bBody, bType, key.sizes[field]);
    if (result !== 0) return keyInfo.isDescending(field) ? -result : result;
    aBody += aSize;
  }
  return 0;
}

function readHeaderType(data: Uint8Array, offset: number): number {
  const type = readVarintSize(data, offset);
  if (type > 0xffffffff) throw corruptError('bad record header');
  return type;
}

/** Number of fields in a record (header walk only). */
export function recordFieldCount(record: Uint8Array): number {
  if (record.length === 0) return 0;
  const headerEnd = readVarintSize(record, 0);
  if (headerEnd > record.length) throw corruptError('record header size out of range');
  let count = 0;
  for (let pos = varintLength(record, 0); pos < headerEnd; pos += varintLength(record, pos)) count++;
  return count;
}
