/**
 * Function lookup by name and argument count.
 *
 * `builtinFunctions` holds every built-in scalar and aggregate. A
 * `FunctionRegistry` is one connection's view: its own registrations (user
 * functions from `db.function()` / `db.aggregate()`) overlay the built-ins,
 * so a user function with the same name and argument count replaces the
 * built-in for that connection only.
 *
 * Resolution follows SQLite: names are case-insensitive; a definition with
 * exactly `argCount` arguments wins over a variadic one (-1). An unknown
 * name raises "no such function: NAME"; a known name with no matching
 * arity raises "wrong number of arguments to function NAME()", both
 * `SQLITE_ERROR`, with NAME spelled as the caller wrote it.
 */
import { SqliteError } from '../../sqlite-error.js';
import { aggregateFunctions } from './aggregates.js';
import { coreFunctions } from './core-functions.js';
import { datetimeFunctions } from './datetime-functions.js';
import { jsonFunctions } from './json-functions.js';
import type { FunctionDef } from './function-types.js';
import { mathFunctions } from './math-functions.js';
import { patternFunctions } from './pattern-functions.js';
import { textFunctions } from './text-functions.js';

type FunctionTable = Map<string, FunctionDef[]>;

function addTo(table: FunctionTable, def: FunctionDef): void {
  const key = def.name.toLowerCase();
  const list = table.get(key);
  if (!list) {
    table.set(key, [def]);
    return;
  }
  const i = list.findIndex((d) => d.argCount === def.argCount);
  if (i >= 0) list[i] = def;
  else list.push(def);
}

function pick(list: FunctionDef[] | undefined, argCount: number): FunctionDef | undefined {
  if (!list) return undefined;
  let variadic: FunctionDef | undefined;
  for (const def of list) {
    if (def.argCount === argCount) return def;
    if (def.argCount < 0 && argCount >= (def.minArgs ?? 0)) variadic = def;
  }
  return variadic;
}

const builtins: FunctionTable = new Map();
for (const family of [coreFunctions, textFunctions, mathFunctions, patternFunctions, aggregateFunctions, datetimeFunctions, jsonFunctions]) {
  for (const def of family) addTo(builtins, def);
}

/** One connection's functions: user registrations over the built-ins. */
export class FunctionRegistry {
  private readonly own: FunctionTable = new Map();

  /** Adds or replaces a function for this registry only. */
  register(def: FunctionDef): void {
    addTo(this.own, def);
  }

  /** The definition for `name` with `argCount` arguments, or undefined. */
  find(name: string, argCount: number): FunctionDef | undefined {
    const key = name.toLowerCase();
    return pick(this.own.get(key), argCount) ?? pick(builtins.get(key), argCount);
  }

  /** Like `find`, but throws SQLite's errors when there is no match. */
  lookup(name: string, argCount: number): FunctionDef {
    const def = this.find(name, argCount);
    if (def) return def;
    const key = name.toLowerCase();
    if (this.own.has(key) || builtins.has(key)) {
      throw new SqliteError(`wrong number of arguments to function ${name}()`, 'SQLITE_ERROR');
    }
    throw new SqliteError(`no such function: ${name}`, 'SQLITE_ERROR');
  }
}

const shared = new FunctionRegistry();

/** Looks up a built-in function (no user overlay). */
export function lookupFunction(name: string, argCount: number): FunctionDef {
  return shared.lookup(name, argCount);
}
