/**
 * Parameter binding: turns the arguments of `run/get/all/iterate/bind` into
 * one value per statement parameter, with better-sqlite3's rules and errors.
 *
 * Arguments are read left to right. An array binds its elements to the next
 * anonymous parameters; a plain object (prototype `Object.prototype` or
 * null) binds every named parameter (`:x`, `@x`, `$x` all read key `x`) and
 * may appear once; any other argument binds the next anonymous parameter.
 * Values: `number` binds as REAL, `bigint` as INTEGER (it must fit in 64
 * bits), `string` as TEXT, any `ArrayBufferView` (Buffer, Uint8Array, ...) as
 * a BLOB of its bytes (copied, as SQLite copies), `null`/`undefined` as NULL;
 * everything else, booleans included, is refused. Parameters left unbound
 * are NULL. Counts are checked at the end, as better-sqlite3 does.
 */
import type { BindValue, PreparedStatement } from '../exec/engine-contract.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NO_VALUES: readonly BindValue[] = Object.freeze([]);

/** Where a statement's parameters sit, computed once per statement. */
export class ParameterLayout {
  readonly count: number;
  /** 1-based indexes of the anonymous (`?`) parameters, in order. */
  readonly anonymous: readonly number[];
  /** Named parameters: the object key (name without prefix) and its 1-based index. */
  readonly named: ReadonlyArray<readonly [key: string, index: number]>;

  constructor(statement: PreparedStatement) {
    this.count = statement.parameterCount;
    const anonymous: number[] = [];
    const named: Array<readonly [string, number]> = [];
    for (let index = 1; index <= this.count; index++) {
      const name = statement.parameterName(index);
      if (name === null) anonymous.push(index);
      else named.push([name.slice(1), index]);
    }
    this.anonymous = anonymous;
    this.named = named;
  }
}

/** Binds `args` for a statement laid out as `layout`; throws better-sqlite3's errors. */
export function bindParameters(layout: ParameterLayout, args: ArrayLike<unknown>): readonly BindValue[] {
  if (args.length === 0 && layout.count === 0) return NO_VALUES;
  if (args.length === layout.count && layout.named.length === 0) {
    const direct = bindScalarsDirectly(args);
    if (direct !== null) return direct;
  }
  return bindByRules(layout, args);
}

/**
 * The general rules: arrays, a named-parameter object, scalars. Kept apart
 * from `bindParameters` so that the common direct case does not pay for
 * this function's closure.
 */
function bindByRules(layout: ParameterLayout, args: ArrayLike<unknown>): readonly BindValue[] {
  const values: BindValue[] = new Array<BindValue>(layout.count).fill(null);
  let anonymousUsed = 0;
  let count = 0;
  let boundObject = false;

  const bindNextAnonymous = (value: unknown): void => {
    const converted = toBindValue(value);
    if (anonymousUsed >= layout.anonymous.length) throw new RangeError('Too many parameter values were provided');
    values[layout.anonymous[anonymousUsed++] - 1] = converted;
  };

  for (let a = 0; a < args.length; a++) {
    const arg = args[a];
    if (Array.isArray(arg)) {
      for (let k = 0; k < arg.length; k++) bindNextAnonymous(arg[k]);
      count += arg.length;
      continue;
    }
    if (typeof arg === 'object' && arg !== null && !ArrayBuffer.isView(arg)) {
      if (isPlainObject(arg)) {
        if (boundObject) throw new TypeError('You cannot specify named parameters in two different objects');
        boundObject = true;
        const source = arg as Record<string, unknown>;
        for (const [key, index] of layout.named) {
          if (!Object.prototype.hasOwnProperty.call(source, key)) throw new RangeError(`Missing named parameter "${key}"`);
          values[index - 1] = toBindValue(source[key]);
        }
        count += layout.named.length;
        continue;
      }
      if (layout.named.length > 0) throw new TypeError('Named parameters can only be passed within plain objects');
    }
    bindNextAnonymous(arg);
    count += 1;
  }

  if (count < layout.count) {
    if (!boundObject && layout.named.length > 0) throw new TypeError('Missing named parameters');
    throw new RangeError('Too few parameter values were provided');
  }
  if (count > layout.count) throw new RangeError('Too many parameter values were provided');
  return values;
}

/**
 * The common case, one scalar argument per `?`: no arrays or objects to
 * unpack, so the values bind in order. Returns null when the general rules
 * are needed.
 */
function bindScalarsDirectly(args: ArrayLike<unknown>): BindValue[] | null {
  const values = new Array<BindValue>(args.length);
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    const kind = typeof arg;
    if (kind === 'number' || kind === 'string') values[k] = arg as number | string;
    else if (arg === null || kind === 'undefined') values[k] = null;
    else if (kind === 'bigint' || ArrayBuffer.isView(arg)) values[k] = toBindValue(arg);
    else return null;
  }
  return values;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** One JavaScript value as a bound SQL value, or better-sqlite3's error. */
export function toBindValue(value: unknown): BindValue {
  switch (typeof value) {
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) throw new RangeError('The bound string, buffer, or bigint is too big');
      return value;
    case 'undefined':
      return null;
    case 'object':
      if (value === null) return null;
      if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
      break;
  }
  throw new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null');
}
