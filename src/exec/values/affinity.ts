/**
 * Type affinity: what a declared column type means, how a value changes
 * when stored under an affinity, and which affinity a comparison applies.
 *
 * Affinity codes are SQLite's own characters so that ordering comparisons
 * work as in SQLite (NONE < BLOB < TEXT < NUMERIC < INTEGER < REAL, and
 * ">= NUMERIC" means "numeric affinity"). NONE is "no affinity" (an
 * expression that is not a column or CAST); BLOB is a column declared with
 * no type or a BLOB type.
 *
 * Storing under an affinity (`applyAffinity`) returns the value as a later
 * read sees it: NUMERIC/INTEGER turn well-formed numeric TEXT (whole text,
 * surrounding spaces allowed, no hex) into INTEGER or REAL and integral
 * REALs strictly inside int64 into INTEGER; REAL turns numbers and numeric
 * TEXT into REAL; TEXT renders numbers as text; BLOB/NONE change nothing.
 */
import { doubleToInt64, exactIntegerOfReal, realSameAsInt, toText } from './conversions.js';
import { ATOF_FRACTION, ATOF_TRAILING, ATOI_OK, parseInteger, parseReal, parsedInteger, parsedReal } from './text-to-number.js';
import { SqlReal, realValue, type SqlValue } from './value.js';

export const Affinity = {
  NONE: 0x40,
  BLOB: 0x41,
  TEXT: 0x42,
  NUMERIC: 0x43,
  INTEGER: 0x44,
  REAL: 0x45,
} as const;
export type Affinity = (typeof Affinity)[keyof typeof Affinity];

/** The affinity of a declared column type (SQLite's five rules, in its order). */
export function affinityOfDeclaredType(declared: string | null | undefined): Affinity {
  if (!declared) return Affinity.BLOB;
  let affinity: Affinity = Affinity.NUMERIC;
  let window = 0;
  for (let i = 0; i < declared.length; i++) {
    let c = declared.charCodeAt(i) & 0xff;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    window = ((window << 8) | c) >>> 0;
    if (window === 0x63686172 || window === 0x636c6f62 || window === 0x74657874) {
      // CHAR, CLOB, TEXT
      affinity = Affinity.TEXT;
    } else if (window === 0x626c6f62 && (affinity === Affinity.NUMERIC || affinity === Affinity.REAL)) {
      // BLOB
      affinity = Affinity.BLOB;
    } else if ((window === 0x7265616c || window === 0x666c6f61 || window === 0x646f7562) && affinity === Affinity.NUMERIC) {
      // REAL, FLOA, DOUB
      affinity = Affinity.REAL;
    } else if ((window & 0xffffff) === 0x696e74) {
      // INT
      return Affinity.INTEGER;
    }
  }
  return affinity;
}

/** True for NUMERIC, INTEGER and REAL. */
export function isNumericAffinity(affinity: Affinity): boolean {
  return affinity >= Affinity.NUMERIC;
}

/**
 * SQLite's applyNumericAffinity on TEXT: the number the whole text spells,
 * or the text itself when it is not a well-formed number. With
 * `preferInteger`, an integral REAL result strictly inside int64 becomes
 * INTEGER.
 */
export function numericAffinityOfText(s: string, preferInteger: boolean): SqlValue {
  const rc = parseReal(s);
  if (rc === 0 || (rc & ATOF_TRAILING) !== 0) return s;
  const r = parsedReal();
  if ((rc & ATOF_FRACTION) === 0) {
    const i = doubleToInt64(r);
    if (realSameAsInt(r, i)) return i;
    if (parseInteger(s) === ATOI_OK) return parsedInteger();
  }
  if (preferInteger) {
    const i = exactIntegerOfReal(r);
    if (i !== null) return i;
  }
  return realValue(r);
}

/** The value as stored in (and read back from) a column with `affinity`. */
export function applyAffinity(v: SqlValue, affinity: Affinity): SqlValue {
  if (v === null || affinity <= Affinity.BLOB) return v;
  if (affinity === Affinity.TEXT) {
    return typeof v === 'string' || v instanceof Uint8Array ? v : toText(v);
  }
  if (typeof v === 'string') {
    const converted = numericAffinityOfText(v, true);
    if (affinity === Affinity.REAL && typeof converted !== 'string') return toReal(converted);
    return converted;
  }
  if (affinity === Affinity.REAL) {
    if (typeof v === 'number' || typeof v === 'bigint') return toReal(v);
    // SQLite stores an integral REAL of a REAL column as an integer, so -0.0 reads back as 0.0.
    if (v instanceof SqlReal && Object.is(v.value, -0)) return new SqlReal(0);
    return v;
  }
  if (v instanceof SqlReal) {
    const i = exactIntegerOfReal(v.value);
    return i === null ? v : i;
  }
  return v;
}

function toReal(v: SqlValue): SqlValue {
  if (typeof v === 'number') return Number.isInteger(v) ? new SqlReal(v) : v;
  if (typeof v === 'bigint') return new SqlReal(Number(v));
  return v;
}

/**
 * The affinity a comparison applies to its operands (sqlite3CompareAffinity),
 * given each operand's own affinity (NONE for plain expressions).
 */
export function comparisonAffinity(left: Affinity, right: Affinity): Affinity {
  if (left > Affinity.NONE && right > Affinity.NONE) {
    return left >= Affinity.NUMERIC || right >= Affinity.NUMERIC ? Affinity.NUMERIC : Affinity.BLOB;
  }
  return left <= Affinity.NONE ? right : left;
}

/**
 * Converts one comparison operand under comparison affinity `affinity`
 * (as OP_Eq/OP_Lt do). `otherIsText` tells whether the other operand is
 * TEXT: TEXT affinity renders numbers only when some operand is TEXT.
 */
export function applyComparisonAffinity(v: SqlValue, affinity: Affinity, otherIsText: boolean): SqlValue {
  if (affinity >= Affinity.NUMERIC) {
    return typeof v === 'string' ? numericAffinityOfText(v, false) : v;
  }
  if (affinity === Affinity.TEXT && (otherIsText || typeof v === 'string')) {
    if (typeof v === 'number' || typeof v === 'bigint' || v instanceof SqlReal) return toText(v);
  }
  return v;
}
