/**
 * Built-in scalar functions about values and the connection: coalesce,
 * ifnull, iif/if, nullif, typeof, likely, unlikely, likelihood, scalar
 * min/max, random, randomblob, zeroblob, last_insert_rowid, changes,
 * total_changes, sqlite_version.
 *
 * coalesce/ifnull/iif/if/likely/unlikely/likelihood are short-circuiting
 * in SQLite; the compiler should evaluate their arguments lazily, and these
 * implementations give the same answer when all arguments were evaluated.
 * Scalar min()/max() and nullif() compare with the call site's collation
 * (`call.collation`, BINARY when unset); on ties min() keeps the later
 * argument and max() the earlier one, as SQLite does. The functions that
 * return one of their arguments pass its subtype on (`passArgument`), as
 * sqlite3_result_value() does, so `coalesce(json_array(...), ...)` stays JSON.
 *
 * sqlite_version() reports '3.53.0', the SQLite release whose behaviour
 * Shoal reproduces (the oracle its tests compare against).
 */
import { randomFillSync } from 'node:crypto';
import { SqliteError } from '../../sqlite-error.js';
import { compareValues } from '../values/compare.js';
import { toDouble, toInt64, truthValue } from '../values/conversions.js';
import { integerFromBigInt, typeName, type SqlValue } from '../values/value.js';
import { scalarFunction, type FunctionCall, type FunctionDef } from './function-types.js';
import { MAX_LENGTH, tooBigError } from './text-functions.js';

/** The SQLite version Shoal is compatible with. */
export const SQLITE_VERSION = '3.53.0';

const randomBytes = new Uint8Array(8);
const randomView = new DataView(randomBytes.buffer);

/** A uniformly random int64 other than -2^63 (SQLite's random()). */
export function randomInt64(): number | bigint {
  randomFillSync(randomBytes);
  let r = randomView.getBigInt64(0);
  if (r < 0n) r = -(r & 0x7fffffffffffffffn);
  return integerFromBigInt(r);
}

/** Returns argument `i` as the result, with its subtype. */
function passArgument(args: readonly SqlValue[], i: number, call: FunctionCall): SqlValue {
  call.resultSubtype = call.argSubtypes[i];
  return args[i]!;
}

function coalesce(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  for (let i = 0; i < args.length; i++) if (args[i] !== null) return passArgument(args, i, call);
  return null;
}

function iif(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  let i = 0;
  for (; i + 1 < args.length; i += 2) {
    if (truthValue(args[i]!) === true) return passArgument(args, i + 1, call);
  }
  return i < args.length ? passArgument(args, i, call) : null;
}

function nullif(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const a = args[0]!;
  const b = args[1]!;
  if (a !== null && b !== null && compareValues(a, b, call.collation) === 0) return null;
  return passArgument(args, 0, call);
}

function likelihood(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const p = args[1]!;
  const d = toDouble(p);
  if (p === null || typeof p === 'string' || p instanceof Uint8Array || d < 0 || d > 1) {
    throw new SqliteError('second argument to likelihood() must be a constant between 0.0 and 1.0', 'SQLITE_ERROR');
  }
  return passArgument(args, 0, call);
}

function minMax(args: readonly SqlValue[], isMin: boolean, call: FunctionCall): SqlValue {
  let best = 0;
  if (args[0] === null) return null;
  for (let i = 1; i < args.length; i++) {
    const v = args[i]!;
    if (v === null) return null;
    const c = compareValues(args[best]!, v, call.collation);
    if (isMin ? c >= 0 : c < 0) best = i;
  }
  return passArgument(args, best, call);
}

function randomblob(args: readonly SqlValue[]): SqlValue {
  const n = toInt64(args[0]!);
  const size = n < 1 ? 1 : n;
  if (size > MAX_LENGTH) throw tooBigError();
  const out = new Uint8Array(Number(size));
  randomFillSync(out);
  return out;
}

function zeroblob(args: readonly SqlValue[]): SqlValue {
  const n = toInt64(args[0]!);
  const size = n < 0 ? 0 : n;
  if (size > MAX_LENGTH) throw tooBigError();
  return new Uint8Array(Number(size));
}

export const coreFunctions: FunctionDef[] = [
  scalarFunction('coalesce', -1, coalesce, true, 2),
  scalarFunction('ifnull', 2, coalesce),
  scalarFunction('iif', -1, iif, true, 2),
  scalarFunction('if', -1, iif, true, 2),
  { ...scalarFunction('nullif', 2, nullif), needsCollation: true },
  scalarFunction('typeof', 1, (a) => typeName(a[0]!)),
  scalarFunction('likely', 1, (a, call) => passArgument(a, 0, call)),
  scalarFunction('unlikely', 1, (a, call) => passArgument(a, 0, call)),
  scalarFunction('likelihood', 2, likelihood),
  { ...scalarFunction('min', -1, (a, call) => minMax(a, true, call), true, 2), needsCollation: true },
  { ...scalarFunction('max', -1, (a, call) => minMax(a, false, call), true, 2), needsCollation: true },
  scalarFunction('random', 0, randomInt64, false),
  scalarFunction('randomblob', 1, randomblob, false),
  scalarFunction('zeroblob', 1, zeroblob),
  scalarFunction('last_insert_rowid', 0, (_a, call: FunctionCall) => call.context.lastInsertRowid(), false),
  scalarFunction('changes', 0, (_a, call: FunctionCall) => call.context.changes(), false),
  scalarFunction('total_changes', 0, (_a, call: FunctionCall) => call.context.totalChanges(), false),
  scalarFunction('sqlite_version', 0, () => SQLITE_VERSION),
];
