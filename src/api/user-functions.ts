/**
 * User-defined functions and aggregates (`db.function`, `db.aggregate`):
 * argument validation with better-sqlite3's messages, and the wrappers that
 * give the engine fully defined callbacks.
 *
 * The wrappers promise the engine that every value handed back is a bind
 * value (`null`, `number` = REAL, `bigint` = INTEGER, `string`,
 * `Uint8Array`): `undefined` becomes NULL, a bigint outside 64 bits is a
 * `RangeError` and anything else unbindable a `TypeError`, both worded as
 * better-sqlite3 words them ("User-defined function f() returned ...").
 * An aggregate's `step`/`inverse` returning `undefined` keeps the running
 * total, and `start` may be a value or a function called once per group.
 */
import type {
  AggregateFunctionDefinition,
  BindValue,
  ResultValue,
  ScalarFunctionDefinition,
} from '../exec/engine-contract.js';
import { booleanOption } from './database-options.js';

/** A value SQL hands to user functions and returns in rows. */
export type SqlValue = ResultValue;

/**
 * A user function. Declared through a method so that functions with narrower
 * parameter types (`(a: number) => ...`) are accepted, as in @types/better-sqlite3.
 */
export type UserFunction = { bivariant(...args: SqlValue[]): unknown }['bivariant'];

export interface RegistrationOptions {
  varargs?: boolean | undefined;
  deterministic?: boolean | undefined;
  safeIntegers?: boolean | undefined;
  directOnly?: boolean | undefined;
}

export interface AggregateOptions<T = unknown> extends RegistrationOptions {
  start?: T | (() => T);
  step: { bivariant(total: T, ...args: SqlValue[]): T | void }['bivariant'];
  inverse?: { bivariant(total: T, ...args: SqlValue[]): T | void }['bivariant'] | undefined;
  result?: ((total: T) => unknown) | undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function scalarDefinition(
  nameGiven: unknown,
  optionsGiven: unknown,
  fnGiven: unknown,
  defaultSafeIntegers: boolean,
): ScalarFunctionDefinition {
  let options = optionsGiven == null ? {} : optionsGiven;
  let fn = fnGiven;
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  if (typeof nameGiven !== 'string') throw new TypeError('Expected first argument to be a string');
  if (typeof fn !== 'function') throw new TypeError('Expected last argument to be a function');
  if (typeof options !== 'object') throw new TypeError('Expected second argument to be an options object');
  if (!nameGiven) throw new TypeError('User-defined function name cannot be an empty string');
  const name = nameGiven;
  const settings = registrationSettings(options as object, defaultSafeIntegers);
  let argumentCount = -1;
  if (!settings.varargs) {
    argumentCount = fn.length;
    if (!Number.isInteger(argumentCount) || argumentCount < 0) throw new TypeError('Expected function.length to be a positive integer');
    if (argumentCount > 100) throw new RangeError('User-defined functions cannot have more than 100 arguments');
  }
  const userFunction = fn as (...args: SqlValue[]) => unknown;
  return {
    name,
    argumentCount,
    deterministic: settings.deterministic,
    safeIntegers: settings.safeIntegers,
    call: (...args: ResultValue[]) => returnedValue(name, userFunction(...args)),
  };
}

export function aggregateDefinition(nameGiven: unknown, optionsGiven: unknown, defaultSafeIntegers: boolean): AggregateFunctionDefinition {
  if (typeof nameGiven !== 'string') throw new TypeError('Expected first argument to be a string');
  if (typeof optionsGiven !== 'object' || optionsGiven === null) throw new TypeError('Expected second argument to be an options object');
  if (!nameGiven) throw new TypeError('User-defined function name cannot be an empty string');
  const name = nameGiven;
  const options = optionsGiven as Record<string, unknown>;
  const start = 'start' in options ? options.start : null;
  const step = functionOption(options, 'step', true) as (total: unknown, ...args: SqlValue[]) => unknown;
  const inverse = functionOption(options, 'inverse', false) as ((total: unknown, ...args: SqlValue[]) => unknown) | null;
  const result = functionOption(options, 'result', false) as ((total: unknown) => unknown) | null;
  const settings = registrationSettings(options, defaultSafeIntegers);
  let argumentCount = -1;
  if (!settings.varargs) {
    argumentCount = Math.max(functionLength(step), inverse ? functionLength(inverse) : 0);
    if (argumentCount > 0) argumentCount -= 1;
    if (argumentCount > 100) throw new RangeError('User-defined functions cannot have more than 100 arguments');
  }
  const accumulate = (fn: (total: unknown, ...args: SqlValue[]) => unknown) => (total: unknown, ...args: ResultValue[]): unknown => {
    const next = fn(total, ...args);
    return next === undefined ? total : next;
  };
  return {
    name,
    argumentCount,
    deterministic: settings.deterministic,
    safeIntegers: settings.safeIntegers,
    start: typeof start === 'function' ? () => (start as () => unknown)() : () => start,
    step: accumulate(step),
    ...(inverse ? { inverse: accumulate(inverse) } : {}),
    result: (total: unknown) => returnedValue(name, result ? result(total) : total),
  };
}

function registrationSettings(options: object, defaultSafeIntegers: boolean) {
  const safeIntegers = 'safeIntegers' in options ? booleanOption(options, 'safeIntegers') : defaultSafeIntegers;
  const deterministic = booleanOption(options, 'deterministic');
  booleanOption(options, 'directOnly');
  const varargs = booleanOption(options, 'varargs');
  return { safeIntegers, deterministic, varargs };
}

function functionOption(options: Record<string, unknown>, key: string, required: boolean): ((...args: never[]) => unknown) | null {
  const value = key in options ? options[key] : null;
  if (typeof value === 'function') return value as (...args: never[]) => unknown;
  if (value != null) throw new TypeError(`Expected the "${key}" option to be a function`);
  if (required) throw new TypeError(`Missing required option "${key}"`);
  return null;
}

function functionLength(fn: (...args: never[]) => unknown): number {
  const length = fn.length;
  if (Number.isInteger(length) && length >= 0) return length;
  throw new TypeError('Expected function.length to be a positive integer');
}

/** A user function's return value as a SQL value, or better-sqlite3's error. */
function returnedValue(name: string, value: unknown): BindValue {
  switch (typeof value) {
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      if (value >= INT64_MIN && value <= INT64_MAX) return value;
      throw new RangeError(`User-defined function ${name}() returned a bigint that was too big`);
    case 'undefined':
      return null;
    case 'object':
      if (value === null) return null;
      if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      break;
  }
  throw new TypeError(`User-defined function ${name}() returned an invalid value`);
}
