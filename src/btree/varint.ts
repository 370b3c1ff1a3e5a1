/**
 * SQLite varints: big-endian base-128 integers of 1 to 9 bytes.
 *
 * The first eight bytes each carry seven bits (high bit set means "more
 * follows"); a ninth byte, when present, carries a full eight bits, so every
 * 64-bit two's-complement integer fits. Values follow the record layer's
 * integer convention: a JS `number` when the value is a safe integer, a
 * `bigint` only outside ±(2^53 − 1). Readers never look past the ninth byte;
 * callers bound the offset against the page or payload they read from.
 */

const TWO_POW_32 = 4294967296;

/** Number of bytes the varint starting at `offset` occupies (1..9). */
export function varintLength(buffer: Uint8Array, offset: number): number {
  for (let i = 0; i < 8; i++) {
    if (buffer[offset + i] < 0x80) return i + 1;
  }
  return 9;
}

/** Reads the varint at `offset` as a signed 64-bit integer (number when safe, else bigint). */
export function readVarint(buffer: Uint8Array, offset: number): number | bigint {
  let byte = buffer[offset];
  if (byte < 0x80) return byte;
  let value = byte & 0x7f;
  for (let i = 1; i < 7; i++) {
    byte = buffer[offset + i];
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return value;
  }
  // Eight or nine bytes: more than 49 bits, finish in bigint arithmetic.
  let big = BigInt(value);
  byte = buffer[offset + 7];
  big = (big << 7n) | BigInt(byte & 0x7f);
  if (byte >= 0x80) big = (big << 8n) | BigInt(buffer[offset + 8]);
  const signed = BigInt.asIntN(64, big);
  return signed >= -9007199254740991n && signed <= 9007199254740991n ? Number(signed) : signed;
}

/**
 * Reads a varint that must be a size (payload or header length): values above
 * 2^32 − 1 are returned as 2^32 − 1 + 1, which every caller rejects as corrupt.
 */
export function readVarintSize(buffer: Uint8Array, offset: number): number {
  let byte = buffer[offset];
  if (byte < 0x80) return byte;
  let value = byte & 0x7f;
  for (let i = 1; i < 5; i++) {
    byte = buffer[offset + i];
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return value <= 0xffffffff ? value : TWO_POW_32;
  }
  return TWO_POW_32;
}

/** Bytes needed to encode `value` as a varint. */
export function varintSize(value: number | bigint): number {
  if (typeof value === 'number' && value >= 0) {
    if (value < 0x80) return 1;
    if (value < 0x4000) return 2;
    if (value < 0x200000) return 3;
    if (value < 0x10000000) return 4;
    if (value < 0x800000000) return 5;
    if (value < 0x40000000000) return 6;
    if (value < 0x2000000000000) return 7;
    if (value < 0x100000000000000) return 8;
    return 9;
  }
  const unsigned = BigInt.asUintN(64, BigInt(value));
  if (unsigned >= 0x100000000000000n) return 9;
  let size = 1;
  let rest = unsigned >> 7n;
  while (rest > 0n) {
    size++;
    rest >>= 7n;
  }
  return size;
}

/** Writes `value` as a varint at `offset`; returns the number of bytes written. */
export function writeVarint(buffer: Uint8Array, offset: number, value: number | bigint): number {
  if (typeof value === 'number' && value >= 0 && value < 0x2000000000000) {
    if (value < 0x80) {
      buffer[offset] = value;
      return 1;
    }
    if (value < 0x4000) {
      buffer[offset] = 0x80 | (value >>> 7);
      buffer[offset + 1] = value & 0x7f;
      return 2;
    }
    if (value < 0x200000) {
      buffer[offset] = 0x80 | (value >>> 14);
      buffer[offset + 1] = 0x80 | ((value >>> 7) & 0x7f);
      buffer[offset + 2] = value & 0x7f;
      return 3;
    }
    const size = varintSize(value);
    let rest = value;
    buffer[offset + size - 1] = rest % 128;
    rest = Math.floor(rest / 128);
    for (let i = size - 2; i >= 0; i--) {
      buffer[offset + i] = 0x80 | rest % 128;
      rest = Math.floor(rest / 128);
    }
    return size;
  }
  let unsigned = BigInt.asUintN(64, BigInt(value));
  if (unsigned >= 0x100000000000000n) {
    buffer[offset + 8] = Number(unsigned & 0xffn);
    unsigned >>= 8n;
    for (let i = 7; i >= 0; i--) {
      buffer[offset + i] = 0x80 | Number(unsigned & 0x7fn);
      unsigned >>= 7n;
    }
    return 9;
  }
  const size = varintSize(unsigned);
  buffer[offset + size - 1] = Number(unsigned & 0x7fn);
  unsigned >>= 7n;
  for (let i = size - 2; i >= 0; i--) {
    buffer[offset + i] = 0x80 | Number(unsigned & 0x7fn);
    unsigned >>= 7n;
  }
  return size;
}

/** Reads a big-endian unsigned 32-bit integer. */
export function readUint32(buffer: Uint8Array, offset: number): number {
  return (buffer[offset] * 0x1000000 + ((buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3]));
}

/** Writes a big-endian unsigned 32-bit integer. */
export function writeUint32(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = value >>> 24;
  buffer[offset + 1] = (value >>> 16) & 0xff;
  buffer[offset + 2] = (value >>> 8) & 0xff;
  buffer[offset + 3] = value & 0xff;
}

/** Reads a big-endian unsigned 16-bit integer. */
export function readUint16(buffer: Uint8Array, offset: number): number {
  return (buffer[offset] << 8) | buffer[offset + 1];
}

/** Writes a big-endian unsigned 16-bit integer. */
export function writeUint16(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = value >>> 8;
  buffer[offset + 1] = value & 0xff;
}

/** Compares two 64-bit integer keys given in the number-or-bigint convention. */
export function compareIntegers(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
