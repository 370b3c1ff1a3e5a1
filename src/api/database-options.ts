/**
 * The `new Database(filename, options)` arguments: validated and
 * interpreted with better-sqlite3's rules, messages and order, plus Shoal's
 * `multiProcess` option and one addition: an option name Shoal does not know
 * is a `TypeError` that names the closest valid option, so a typo cannot
 * silently fall back to a default.
 */
import { dirname } from 'node:path';
import { existsSync } from 'node:fs';

/** Options accepted by `new Database()`. */
export interface DatabaseOptions {
  /** Open the database read-only (default false). */
  readonly?: boolean | undefined;
  /** Throw instead of creating the file when it does not exist (default false). */
  fileMustExist?: boolean | undefined;
  /** Milliseconds to wait for another connection's lock before `SQLITE_BUSY` (default 5000). */
  timeout?: number | undefined;
  /** Called with the SQL of every statement executed (parameters expanded). */
  verbose?: ((message?: unknown, ...additionalArgs: unknown[]) => void) | undefined;
  /** Accepted for compatibility with better-sqlite3 and ignored: Shoal has no native addon. */
  nativeBinding?: string | object | undefined;
  /** Coordinate with other processes through `<file>-tshm` (default true; ignored for in-memory databases). */
  multiProcess?: boolean | undefined;
}

export interface InterpretedOpen {
  /** What `db.name` reports: the filename as given (`:memory:` for a deserialized buffer). */
  readonly name: string;
  /** The path to open (trimmed), or `:memory:` for anonymous databases. */
  readonly path: string;
  readonly anonymous: boolean;
  readonly buffer: Buffer | null;
  readonly readonly: boolean;
  readonly fileMustExist: boolean;
  readonly timeout: number;
  readonly verbose: ((sql: string) => unknown) | null;
  readonly multiProcess: boolean;
}

const KNOWN_OPTIONS = ['readonly', 'fileMustExist', 'timeout', 'verbose', 'nativeBinding', 'multiProcess'] as const;

export function interpretOpenArguments(filenameGiven: unknown, optionsGiven: unknown): InterpretedOpen {
  let buffer: Buffer | null = null;
  let filename = filenameGiven;
  if (Buffer.isBuffer(filename)) {
    buffer = filename;
    filename = ':memory:';
  }
  if (filename == null) filename = '';
  const options = optionsGiven == null ? {} : optionsGiven;

  if (typeof filename !== 'string') throw new TypeError('Expected first argument to be a string');
  if (typeof options !== 'object') throw new TypeError('Expected second argument to be an options object');
  if ('readOnly' in options) throw new TypeError('Misspelled option "readOnly" should be "readonly"');
  if ('memory' in options) throw new TypeError('Option "memory" was removed in v7.0.0 (use ":memory:" filename instead)');
  rejectUnknownOptions(options);

  const record = options as Record<string, unknown>;
  const trimmed = filename.trim();
  const anonymous = trimmed === '' || trimmed === ':memory:';
  const readonly = booleanOption(record, 'readonly');
  const fileMustExist = booleanOption(record, 'fileMustExist');
  const multiProcess = 'multiProcess' in record ? booleanOption(record, 'multiProcess') : true;
  const timeout = 'timeout' in record ? record.timeout : 5000;
  const verbose = 'verbose' in record ? record.verbose : null;
  const nativeBinding = 'nativeBinding' in record ? record.nativeBinding : null;

  if (readonly && anonymous && !buffer) throw new TypeError('In-memory/temporary databases cannot be readonly');
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0) {
    throw new TypeError('Expected the "timeout" option to be a positive integer');
  }
  if (timeout > 0x7fffffff) throw new RangeError('Option "timeout" cannot be greater than 2147483647');
  if (verbose != null && typeof verbose !== 'function') throw new TypeError('Expected the "verbose" option to be a function');
  if (nativeBinding != null && typeof nativeBinding !== 'string' && typeof nativeBinding !== 'object') {
    throw new TypeError('Expected the "nativeBinding" option to be a string or addon object');
  }
  if (!anonymous && !trimmed.startsWith('file:') && !existsSync(dirname(trimmed))) {
    throw new TypeError('Cannot open database because the directory does not exist');
  }

  return {
    name: filename,
    path: anonymous ? ':memory:' : trimmed,
    anonymous,
    buffer,
    readonly,
    fileMustExist,
    timeout,
    verbose: typeof verbose === 'function' ? (verbose as (sql: string) => unknown) : null,
    multiProcess,
  };
}

/** better-sqlite3's boolean option rule: absent is false, present must be a boolean. */
export function booleanOption(options: object, key: string): boolean {
  if (!(key in options)) return false;
  const value = (options as Record<string, unknown>)[key];
  if (typeof value !== 'boolean') throw new TypeError(`Expected the "${key}" option to be a boolean`);
  return value;
}

function rejectUnknownOptions(options: object): void {
  for (const key of Object.keys(options)) {
    if ((KNOWN_OPTIONS as readonly string[]).includes(key)) continue;
    const closest = closestName(key, KNOWN_OPTIONS);
    const hint = closest === null ? `valid options are ${KNOWN_OPTIONS.map((k) => `"${k}"`).join(', ')}` : `did you mean "${closest}"?`;
    throw new TypeError(`Unknown option "${key}" (${hint})`);
  }
}

/** The known name nearest to `name` by case-insensitive edit distance, if it is near enough to be a typo. */
export function closestName(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
