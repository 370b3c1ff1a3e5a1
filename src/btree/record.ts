/**
 * The SQLite record format: encoding rows and index keys, and decoding them
 * lazily.
 *
 * A record is a header (a varint giving the header's own length, then one
 * varint "serial type" per column) followed by the column bodies in order.
 * Serial types: 0 NULL; 1..6 big-endian two's-complement integers of
 * 1, 2, 3, 4, 6 and 8 bytes; 7 a big-endian IEEE-754 float64; 8 and 9 the
 * constants 0 and 1 (schema format 4); 10 and 11 are reserved (corrupt);
 * N >= 12 even is a BLOB of (N-12)/2 bytes; N >= 13 odd is TEXT of (N-13)/2
 * bytes, always UTF-8 here (UTF-16 databases are rejected by the pager).
 *
 * VALUE CONVENTION (shared with the SQL engine):
 *   null         SQL NULL
 *   number       REAL, and every INTEGER that is a safe integer
 *                (|v| <= 2^53 - 1)
 *   bigint       INTEGER outside the safe range only; decoding never yields a
 *                bigint for a value that fits a safe number, and encoding
 *                accepts a bigint anywhere in the signed 64-bit range
 *   string       TEXT
 *   Uint8Array   BLOB
 * Encoding stores a safe-integer `number` as an INTEGER in the smallest width
 * (serial types 8/9 for 0 and 1) and any other `number` as a REAL; NaN is
 * stored as NULL, as SQLite does. To store an integral value as a REAL (a
 * column whose value has storage class REAL, e.g. 2.0), pass `storeAsReal`.
 * `RecordReader.serialType(i)` tells a REAL 2.0 from an INTEGER 2.
 *
 * Decoding is lazy: `RecordReader` parses the header only as far as the
 * highest column asked for, reads only that column's body, and reuses its
 * arrays across records, so hot loops allocate nothing but the returned
 * strings and blobs. A header or body that runs past the payload raises
 * SQLITE_CORRUPT.
 */
import { corruptError, SqliteError } from '../sqlite-error.js';
import { readVarintSize, varintLength, varintSize, writeVarint } from './varint.js';

/** A column value; see the value convention in this module's header. */
export type SqlValue = null | number | bigint | string | Uint8Array;

const TWO_POW_32 = 4294967296;
const MIN_INT64 = -9223372036854775808n;
const MAX_INT64 = 9223372036854775807n;

const floatScratch = new DataView(new ArrayBuffer(8));
const floatBytes = new Uint8Array(floatScratch.buffer);
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const textEncoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** Body size in bytes of a column with serial type `serialType` (10 and 11 give 0; readers reject them). */
export function serialTypeSize(serialType: number): number {
  return serialType >= 12 ? Math.floor((serialType - 12) / 2) : FIXED_SIZES[serialType];
}
const FIXED_SIZES = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0];

/** Serial type of an integral number in the smallest width. */
function integerSerialType(value: number): number {
  if (value === 0) return 8;
  if (value === 1) return 9;
  if (value >= -128 && value <= 127) return 1;
  if (value >= -32768 && value <= 32767) return 2;
  if (value >= -8388608 && value <= 8388607) return 3;
  if (value >= -2147483648 && value <= 2147483647) return 4;
  if (value >= -140737488355328 && value <= 140737488355327) return 5;
  return 6;
}

/** Number of bytes the UTF-8 encoding of `text` takes (lone surrogates count as U+FFFD). */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) {
      length += 1;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 2;
        i++;
      } else {
        length += 2;
      }
    } else {
      length += 2;
    }
  }
  return length;
}

/** Writes `text` as UTF-8 at `offset` (the caller sized the buffer with `utf8Length`). */
function writeUtf8(buffer: Uint8Array, offset: number, text: string, byteLength: number): void {
  if (byteLength === text.length) {
    for (let i = 0; i < text.length; i++) buffer[offset + i] = text.charCodeAt(i);
    return;
  }
  textEncoder.encodeInto(text, buffer.subarray(offset, offset + byteLength));
}

/**
 * Node's native UTF-8 slice, callable on any Uint8Array: the fastest way to
 * turn page bytes into a string (no view allocated, invalid sequences become
 * U+FFFD like V8's own decoding, a leading BOM is kept as SQLite keeps it).
 */
const nativeUtf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (this: Uint8Array, start: number, end: number) => string }).utf8Slice;

/** Decodes UTF-8 bytes `[start, end)` of `buffer` to a string. */
export function decodeUtf8(buffer: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 12) {
    let high = 0;
    for (let i = start; i < end; i++) high |= buffer[i];
    if (high < 0x80) return shortAscii(buffer, start, length);
  }
  if (nativeUtf8Slice !== undefined) return nativeUtf8Slice.call(buffer, start, end);
  return textDecoder.decode(buffer.subarray(start, end));
}

/** An ASCII string of at most 12 bytes; fixed-arity fromCharCode calls compile to direct string creation. */
function shortAscii(b: Uint8Array, s: number, length: number): string {
  switch (length) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[s]);
    case 2:
      return String.fromCharCode(b[s], b[s + 1]);
    case 3:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2]);
    case 4:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    default:
      return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
  }
}

/** Reads the integer or real body of a column with serial type 1..9 at `offset`. */
export function readNumber(buffer: Uint8Array, offset: number, serialType: number): number | bigint {
  switch (serialType) {
    case 1:
      return (buffer[offset] << 24) >> 24;
    case 2:
      return (((buffer[offset] << 8) | buffer[offset + 1]) << 16) >> 16;
    case 3:
      return (((buffer[offset] << 16) | (buffer[offset + 1] << 8) | buffer[offset + 2]) << 8) >> 8;
    case 4:
      return (buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3];
    case 5: {
      const high = (((buffer[offset] << 8) | buffer[offset + 1]) << 16) >> 16;
      const low = ((buffer[offset + 2] << 24) | (buffer[offset + 3] << 16) | (buffer[offset + 4] << 8) | buffer[offset + 5]) >>> 0;
      return high * TWO_POW_32 + low;
    }
    case 6: {
      const high = (buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3];
      const low = ((buffer[offset + 4] << 24) | (buffer[offset + 5] << 16) | (buffer[offset + 6] << 8) | buffer[offset + 7]) >>> 0;
      if (high >= -2097152 && high <= 2097151 && !(high === -2097152 && low === 0)) return high * TWO_POW_32 + low;
      return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low));
    }
    case 7: {
      for (let i = 0; i < 8; i++) floatBytes[i] = buffer[offset + i];
      return floatScratch.getFloat64(0);
    }
    case 8:
      return 0;
    case 9:
      return 1;
    default:
      return 0;
  }
}

function writeInteger(buffer: Uint8Array, offset: number, serialType: number, value: number | bigint): void {
  if (typeof value === 'bigint') {
    const unsigned = BigInt.asUintN(64, value);
    const high = Number(unsigned >> 32n);
    const low = Number(unsigned & 0xffffffffn);
    writeBigEndian(buffer, offset, high, 4);
    writeBigEndian(buffer, offset + 4, low, 4);
    return;
  }
  switch (serialType) {
    case 1:
      buffer[offset] = value & 0xff;
      return;
    case 2:
      writeBigEndian(buffer, offset, value, 2);
      return;
    case 3:
      writeBigEndian(buffer, offset, value, 3);
      return;
    case 4:
      writeBigEndian(buffer, offset, value, 4);
      return;
    case 5: {
      const high = Math.floor(value / TWO_POW_32);
      writeBigEndian(buffer, offset, high, 2);
      writeBigEndian(buffer, offset + 2, value - high * TWO_POW_32, 4);
      return;
    }
    case 6: {
      const high = Math.floor(value / TWO_POW_32);
      writeBigEndian(buffer, offset, high, 4);
      writeBigEndian(buffer, offset + 4, value - high * TWO_POW_32, 4);
      return;
    }
  }
}

/** Writes the low `width` bytes (width <= 4) of a 32-bit value, big-endian. */
function writeBigEndian(buffer: Uint8Array, offset: number, value: number, width: number): void {
  let v = value >>> 0;
  for (let i = width - 1; i >= 0; i--) {
    buffer[offset + i] = v & 0xff;
    v >>>= 8;
  }
}

function integerOutOfRange(): SqliteError {
  return new SqliteError('integer overflow: value does not fit a 64-bit signed integer', 'SQLITE_MISMATCH');
}

/** Records shorter than this reuse a cached view of the encoder's buffer. */
const CACHED_VIEW_LENGTHS = 512;

/**
 * Encodes records into a reusable buffer. `encode` returns a view that stays
 * valid until the next `encode` call on the same encoder; copy it (or use
 * `encodeRecord`) to keep it. Views of short records are cached per length,
 * so two calls may return the same view object.
 */
export class RecordEncoder {
  private buffer = new Uint8Array(256);
  /** `views[n]` is `buffer.subarray(0, n)`, made on first use. */
  private views: (Uint8Array | undefined)[] = [];
  private serialTypes: number[] = [];
  private textLengths: number[] = [];

  /** Encodes `values`; `storeAsReal[i]` forces column i (a number) to be stored as a REAL. */
  encode(values: readonly SqlValue[], storeAsReal?: readonly boolean[]): Uint8Array {
    const count = values.length;
    const types = this.serialTypes;
    const textLengths = this.textLengths;
    let headerSize = 0;
    let bodySize = 0;
    for (let i = 0; i < count; i++) {
      const value = values[i];
      let type: number;
      let size: number;
      if (value === null) {
        type = 0;
        size = 0;
      } else if (typeof value === 'number') {
        if (value !== value) {
          type = 0;
          size = 0;
        } else if (Number.isSafeInteger(value) && !(storeAsReal !== undefined && storeAsReal[i])) {
          type = integerSerialType(value);
          size = FIXED_SIZES[type];
        } else {
          type = 7;
          size = 8;
        }
      } else if (typeof value === 'string') {
        size = utf8Length(value);
        type = size * 2 + 13;
        textLengths[i] = size;
      } else if (typeof value === 'bigint') {
        if (value < MIN_INT64 || value > MAX_INT64) throw integerOutOfRange();
        if (value >= -9007199254740991n && value <= 9007199254740991n) {
          type = integerSerialType(Number(value));
        } else {
          type = 6;
        }
        size = FIXED_SIZES[type];
      } else {
        size = value.length;
        type = size * 2 + 12;
      }
      types[i] = type;
      headerSize += type < 0x80 ? 1 : varintSize(type);
      bodySize += size;
    }
    // The header-size varint counts itself.
    let headerLengthSize = varintSize(headerSize + 1);
    if (varintSize(headerSize + headerLengthSize) !== headerLengthSize) headerLengthSize++;
    headerSize += headerLengthSize;
    const total = headerSize + bodySize;
    if (this.buffer.length < total) {
      this.buffer = new Uint8Array(Math.max(total, this.buffer.length * 2));
      this.views = [];
    }
    const out = this.buffer;
    let headerPos = writeVarint(out, 0, headerSize);
    let bodyPos = headerSize;
    for (let i = 0; i < count; i++) {
      const type = types[i];
      if (type < 0x80) out[headerPos++] = type;
      else headerPos += writeVarint(out, headerPos, type);
      if (type === 0 || type === 8 || type === 9) continue;
      const value = values[i];
      if (type === 7) {
        floatScratch.setFloat64(0, value as number);
        for (let j = 0; j < 8; j++) out[bodyPos + j] = floatBytes[j];
        bodyPos += 8;
      } else if (type <= 6) {
        writeInteger(out, bodyPos, type, typeof value === 'bigint' && type !== 6 ? Number(value) : (value as number | bigint));
        bodyPos += FIXED_SIZES[type];
      } else if ((type & 1) === 1) {
        const length = textLengths[i];
        writeUtf8(out, bodyPos, value as string, length);
        bodyPos += length;
      } else {
        out.set(value as Uint8Array, bodyPos);
        bodyPos += (value as Uint8Array).length;
      }
    }
    if (total >= CACHED_VIEW_LENGTHS) return out.subarray(0, total);
    let view = this.views[total];
    if (view === undefined) {
      view = out.subarray(0, total);
      this.views[total] = view;
    }
    return view;
  }
}

const sharedEncoder = new RecordEncoder();

/** Encodes `values` into a freshly allocated record. */
export function encodeRecord(values: readonly SqlValue[], storeAsReal?: readonly boolean[]): Uint8Array {
  return sharedEncoder.encode(values, storeAsReal).slice();
}

/**
 * Lazily decodes one record at a time. `reset` points it at a record (no
 * copy: the bytes must stay unchanged while the reader is used); columns past
 * the record's last column read as NULL (SQLite's rule for rows written
 * before an ALTER TABLE ADD COLUMN; the engine applies defaults).
 */
export class RecordReader {
  private data: Uint8Array = EMPTY;
  private end = 0;
  private headerEnd = 0;
  private parsePos = 0;
  private parsed = 0;
  private types = new Float64Array(16);
  private offsets = new Float64Array(17);

  /** Points the reader at the record in `data[start, end)`. */
  reset(data: Uint8Array, start = 0, end = data.length): this {
    this.data = data;
    this.end = end;
    this.parsed = 0;
    if (end <= start) {
      this.headerEnd = start;
      this.parsePos = start;
      this.offsets[0] = start;
      return this;
    }
    const first = data[start];
    const headerSize = first < 0x80 ? first : readVarintSize(data, start);
    const lengthSize = first < 0x80 ? 1 : varintLength(data, start);
    if (headerSize < lengthSize || headerSize > end - start) throw corruptError('record header size out of range');
    this.headerEnd = start + headerSize;
    this.parsePos = start + lengthSize;
    this.offsets[0] = start + headerSize;
    return this;
  }

  private parseThrough(column: number): void {
    const data = this.data;
    while (this.parsed <= column && this.parsePos < this.headerEnd) {
      let type = data[this.parsePos];
      if (type < 0x80) {
        this.parsePos++;
      } else {
        type = readVarintSize(data, this.parsePos);
        this.parsePos += varintLength(data, this.parsePos);
      }
      if (this.parsePos > this.headerEnd || type === 10 || type === 11 || type > 0xffffffff) {
        throw corruptError('bad record header');
      }
      const n = this.parsed;
      if (n + 1 >= this.types.length) this.grow();
      this.types[n] = type;
      const next = this.offsets[n] + (type >= 12 ? Math.floor((type - 12) / 2) : FIXED_SIZES[type]);
      if (next > this.end) throw corruptError('record body extends past payload');
      this.offsets[n + 1] = next;
      this.parsed = n + 1;
    }
  }

  private grow(): void {
    const types = new Float64Array(this.types.length * 2);
    types.set(this.types);
    this.types = types;
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
  }

  /** Number of columns in the record. */
  get columnCount(): number {
    this.parseThrough(Number.MAX_SAFE_INTEGER);
    return this.parsed;
  }

  /** Serial type of column `i` (0 for a column past the end). */
  serialType(i: number): number {
    if (i >= this.parsed) this.parseThrough(i);
    return i < this.parsed ? this.types[i] : 0;
  }

  /** True when column `i` is NULL (or past the end). */
  isNull(i: number): boolean {
    return this.serialType(i) === 0;
  }

  /** Decoded value of column `i`, following the module's value convention. */
  column(i: number): SqlValue {
    if (i >= this.parsed) {
      this.parseThrough(i);
      if (i >= this.parsed) return null;
    }
    const type = this.types[i];
    const offset = this.offsets[i];
    if (type === 0) return null;
    if (type < 12) return readNumber(this.data, offset, type);
    const end = this.offsets[i + 1];
    if ((type & 1) === 1) return decodeUtf8(this.data, offset, end);
    const blob = new Uint8Array(end - offset);
    blob.set(this.data.subarray(offset, end));
    return blob;
  }

  /** Decodes every column into a new array. */
  values(): SqlValue[] {
    const count = this.columnCount;
    const out: SqlValue[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = this.column(i);
    return out;
  }
}

/** Decodes a whole record into a new array of values. */
export function decodeRecord(record: Uint8Array): SqlValue[] {
  return new RecordReader().reset(record).values();
}
