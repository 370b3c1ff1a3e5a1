/**
 * The built-in collating sequences, over JS strings but ordered exactly as
 * SQLite orders the UTF-8 bytes:
 *  - BINARY: memcmp of UTF-8, i.e. code point order. JS `<` compares UTF-16
 *    code units, which puts U+E000..U+FFFF above astral characters; the
 *    comparison below fixes that at the first differing unit.
 *  - NOCASE: BINARY after folding ASCII A-Z to a-z (nothing else folds).
 *  - RTRIM: BINARY ignoring trailing spaces (U+0020 only).
 * A collation returns negative, zero or positive.
 */
import { SqliteError } from '../../sqlite-error.js';

export type Collation = (a: string, b: string) => number;

/** UTF-16 code unit mapped so that unit order equals code point order. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

export function compareBinary(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

export function compareNoCase(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0x41 && x <= 0x5a) x += 0x20;
      if (y >= 0x41 && y <= 0x5a) y += 0x20;
      if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : codePointRank(x) - codePointRank(y);
    }
  }
  return a.length - b.length;
}

function trailingSpaceStart(s: string): number {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x20) end--;
  return end;
}

export function compareRtrim(a: string, b: string): number {
  const aEnd = trailingSpaceStart(a);
  const bEnd = trailingSpaceStart(b);
  const n = aEnd < bEnd ? aEnd : bEnd;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : codePointRank(x) - codePointRank(y);
  }
  return aEnd - bEnd;
}

/** The built-in collation called `name` (case-insensitive). */
export function builtinCollation(name: string): Collation {
  switch (name.toUpperCase()) {
    case 'BINARY':
      return compareBinary;
    case 'NOCASE':
      return compareNoCase;
    case 'RTRIM':
      return compareRtrim;
    default:
      throw new SqliteError(`no such collation sequence: ${name}`, 'SQLITE_ERROR');
  }
}
