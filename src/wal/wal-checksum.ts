/**
 * The WAL checksum of SQLite's file format.
 *
 * The input is read as pairs of 32-bit words (little-endian words when the WAL
 * magic is 0x377F0682, big-endian when it is 0x377F0683) and folded into two
 * running sums: `s1 += w[i] + s2; s2 += w[i+1] + s1`, wrapping at 2^32. The
 * header is summed from (0, 0); each frame continues from the previous frame's
 * sums, which is what chains a log together. Lengths are multiples of 8.
 */

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Folds `bytes[start .. start+length)` into `sums` (in: seed, out: result).
 * Allocates nothing beyond one typed-array view per call.
 */
export function walChecksum(bytes: Uint8Array, start: number, length: number, bigEndianWords: boolean, sums: Uint32Array): void {
  let s1 = sums[0]!;
  let s2 = sums[1]!;
  const byteStart = bytes.byteOffset + start;
  if (!bigEndianWords && HOST_IS_LITTLE_ENDIAN && (byteStart & 3) === 0) {
    const words = new Uint32Array(bytes.buffer, byteStart, length >>> 2);
    const n = words.length;
    for (let i = 0; i < n; i += 2) {
      s1 = (s1 + words[i]! + s2) >>> 0;
      s2 = (s2 + words[i + 1]! + s1) >>> 0;
    }
  } else {
    const view = new DataView(bytes.buffer, byteStart, length);
    const littleEndian = !bigEndianWords;
    for (let i = 0; i < length; i += 8) {
      s1 = (s1 + view.getUint32(i, littleEndian) + s2) >>> 0;
      s2 = (s2 + view.getUint32(i + 4, littleEndian) + s1) >>> 0;
    }
  }
  sums[0] = s1;
  sums[1] = s2;
}
