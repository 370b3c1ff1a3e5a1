/**
 * SQLite's JSON SQL functions over text JSON: json, json_valid,
 * json_array, json_object, json_quote, json_extract and the `->` / `->>`
 * operators (registered as functions named '->' and '->>' with two
 * arguments, as SQLite does), json_type, json_array_length, json_insert,
 * json_replace, json_set, json_remove, json_patch, json_pretty,
 * json_error_position, and the aggregates json_group_array and
 * json_group_object. Output text, numbers and errors ("malformed JSON",
 * "bad JSON path: '...'", ...) are SQLite 3.53's.
 *
 * Subtypes: every function that returns JSON text sets
 * `call.resultSubtype = JSON_SUBTYPE` (the aggregates declare it with
 * `resultSubtype`), and TEXT arguments whose `call.argSubtypes[i]` is
 * JSON_SUBTYPE are taken as JSON instead of being quoted as strings.
 *
 * JSONB (SQLite's binary JSON in BLOBs) is not supported: the jsonb_*
 * functions raise an error saying so, and a BLOB argument is read as the
 * JSON text in its bytes where SQLite would fall back to that, or rejected
 * with "JSON cannot hold BLOB values" where SQLite rejects non-JSONB blobs.
 *
 * A parsed document is cached per call site (in `call.auxData`) while the
 * JSON argument stays the same text, like SQLite's JSON parse cache.
 */
import { SqliteError } from '../../sqlite-error.js';
import { toInt64, toText } from '../values/conversions.js';
import { type SqlValue } from '../values/value.js';
import {
  JSON_SUBTYPE,
  aggregateFunction,
  scalarFunction,
  type Accumulator,
  type AggregateFunctionDef,
  type FunctionCall,
  type FunctionDef,
} from './function-types.js';
import {
  JSON_TYPE_NAMES,
  JsonKind,
  JsonNode,
  cloneJson,
  jsonToSql,
  malformedJson,
  quoteJsonString,
  renderJson,
  renderPrettyJson,
  sqlToJson,
  sqlValueAsJson,
  stringNodeValue,
} from './json-node.js';
import { errorPosition, parseJson, type ParsedJson } from './json-parse.js';
import { Edit, FOUND, NOT_FOUND, pathResult, walkPath } from './json-path.js';
import { sqlLiteral } from './text-functions.js';

/** A C-string view of SQL text: everything before the first NUL. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function badPath(path: string): SqliteError {
  return new SqliteError(`bad JSON path: ${sqlLiteral(path)}`, 'SQLITE_ERROR');
}

interface ParseCache {
  text: string;
  parsed: ParsedJson;
}

/** Parses JSON text, throwing "malformed JSON" like SQLite. */
function parseText(text: string): ParsedJson {
  const parsed = text.length === 0 ? null : parseJson(text);
  if (parsed === null) throw malformedJson();
  return parsed;
}

/**
 * The parse of a JSON argument (jsonParseFuncArg), or null for SQL NULL.
 * The result is shared through the call-site cache and must not be edited.
 */
function parseArgument(v: SqlValue, call: FunctionCall): ParsedJson | null {
  if (v === null) return null;
  const text = toText(v)!;
  const cache = call.auxData as ParseCache | undefined;
  if (cache !== undefined && cache.text === text) return cache.parsed;
  const parsed = parseText(text);
  call.auxData = { text, parsed } satisfies ParseCache;
  return parsed;
}

/** A private, editable copy of a JSON argument's tree. */
function editableArgument(v: SqlValue, call: FunctionCall): JsonNode | null {
  const parsed = parseArgument(v, call);
  return parsed === null ? null : cloneJson(parsed.root);
}

function isJsonArgument(call: FunctionCall, i: number): boolean {
  return call.argSubtypes[i] === JSON_SUBTYPE;
}

function parseSubtypedText(text: string): JsonNode {
  return parseText(text).root;
}

function returnJson(node: JsonNode, call: FunctionCall): SqlValue {
  call.resultSubtype = JSON_SUBTYPE;
  return renderJson(node);
}

function jsonFunction(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const parsed = parseArgument(args[0]!, call);
  return parsed === null ? null : returnJson(parsed.root, call);
}

function jsonArray(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  let out = '[';
  for (let i = 0; i < args.length; i++) {
    if (i > 0) out += ',';
    out += sqlValueAsJson(args[i]!, isJsonArgument(call, i));
  }
  call.resultSubtype = JSON_SUBTYPE;
  return out + ']';
}

function jsonObject(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if ((args.length & 1) !== 0) throw new SqliteError('json_object() requires an even number of arguments', 'SQLITE_ERROR');
  for (let i = 0; i < args.length; i += 2) {
    if (typeof args[i] !== 'string') throw new SqliteError('json_object() labels must be TEXT', 'SQLITE_ERROR');
  }
  let out = '{';
  for (let i = 0; i < args.length; i += 2) {
    if (i > 0) out += ',';
    out += quoteJsonString(args[i] as string) + ':' + sqlValueAsJson(args[i + 1]!, isJsonArgument(call, i + 1));
  }
  call.resultSubtype = JSON_SUBTYPE;
  return out + '}';
}

function jsonQuote(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const out = sqlValueAsJson(args[0]!, isJsonArgument(call, 0));
  call.resultSubtype = JSON_SUBTYPE;
  return out;
}

/** How json_extract-like functions return what they find. */
const Extract = {
  /** json_extract(): SQL values, arrays and objects as JSON text. */
  AUTO: 0,
  /** `->`: always JSON text. */
  JSON: 1,
  /** `->>`: always an SQL value. */
  SQL: 2,
} as const;
type Extract = (typeof Extract)[keyof typeof Extract];

function isAlphanumeric(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f)) return false;
  }
  return true;
}

/** The full path (after '$') an operand of `->`/`->>` stands for (PostgreSQL-style abbreviations). */
function abbreviatedPath(pathValue: SqlValue, path: string): string {
  if (typeof pathValue === 'number' && Number.isInteger(pathValue)) return path.startsWith('-') ? `[#${path}]` : `[${path}]`;
  if (typeof pathValue === 'bigint') return path.startsWith('-') ? `[#${path}]` : `[${path}]`;
  if (isAlphanumeric(path)) return '.' + path;
  if (path.startsWith('[') && path.length >= 3 && path.endsWith(']')) return path;
  return `."${path}"`;
}

function extract(args: readonly SqlValue[], call: FunctionCall, mode: Extract): SqlValue {
  if (args.length < 2) return null;
  const parsed = parseArgument(args[0]!, call);
  if (parsed === null) return null;
  const many = args.length > 2;
  let out = '[';
  for (let i = 1; i < args.length; i++) {
    const pathValue = args[i]!;
    const pathText = toText(pathValue);
    if (pathText === null) return null;
    const path = cString(pathText);
    let rc: number;
    if (path.startsWith('$')) {
      rc = walkPath(parsed.root, path.slice(1), Edit.NONE, null);
    } else if (mode !== Extract.AUTO) {
      rc = walkPath(parsed.root, abbreviatedPath(pathValue, path), Edit.NONE, null);
    } else {
      throw badPath(path);
    }
    if (rc === FOUND) {
      const node = pathResult!;
      if (!many) {
        if (mode === Extract.JSON) return returnJson(node, call);
        const value = jsonToSql(node);
        if (mode === Extract.AUTO && node.kind >= JsonKind.ARRAY) call.resultSubtype = JSON_SUBTYPE;
        return value;
      }
      if (out.length > 1) out += ',';
      out += renderJson(node);
    } else if (rc === NOT_FOUND) {
      if (!many) return null;
      if (out.length > 1) out += ',';
      out += 'null';
    } else {
      throw badPath(path);
    }
  }
  call.resultSubtype = JSON_SUBTYPE;
  return out + ']';
}

/** json_extract(JSON, PATH, ...). */
export function jsonExtract(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  return extract(args, call, Extract.AUTO);
}

/** The `->` operator: the element at PATH as JSON text (with the JSON subtype), NULL when missing. */
export function jsonArrow(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  return extract(args, call, Extract.JSON);
}

/** The `->>` operator: the element at PATH as an SQL value, NULL when missing. */
export function jsonDoubleArrow(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  return extract(args, call, Extract.SQL);
}

/** Looks up an optional PATH argument; returns the node, or undefined for a NULL result. */
function lookupOptionalPath(root: JsonNode, args: readonly SqlValue[]): JsonNode | undefined {
  if (args.length < 2) return root;
  const pathText = toText(args[1]!);
  if (pathText === null) return undefined;
  const path = cString(pathText);
  if (!path.startsWith('$')) throw badPath(path);
  const rc = walkPath(root, path.slice(1), Edit.NONE, null);
  if (rc === NOT_FOUND) return undefined;
  if (rc !== FOUND) throw badPath(path);
  return pathResult!;
}

function jsonType(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const parsed = parseArgument(args[0]!, call);
  if (parsed === null) return null;
  const node = lookupOptionalPath(parsed.root, args);
  return node === undefined ? null : JSON_TYPE_NAMES[node.kind]!;
}

function jsonArrayLength(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const parsed = parseArgument(args[0]!, call);
  if (parsed === null) return null;
  const node = lookupOptionalPath(parsed.root, args);
  if (node === undefined) return null;
  return node.kind === JsonKind.ARRAY ? node.children!.length : 0;
}

function jsonValid(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  let flags = 1;
  if (args.length === 2) {
    const f = toInt64(args[1]!);
    if (f < 1 || f > 15) throw new SqliteError('FLAGS parameter to json_valid() must be between 1 and 15', 'SQLITE_ERROR');
    flags = Number(f);
  }
  const v = args[0]!;
  if (v === null) return null;
  if ((flags & 3) === 0) return 0;
  const text = toText(v)!;
  const cache = call.auxData as ParseCache | undefined;
  const parsed = cache !== undefined && cache.text === text ? cache.parsed : text.length === 0 ? null : parseJson(text);
  if (parsed === null) return 0;
  return (flags & 2) !== 0 || !parsed.nonstandard ? 1 : 0;
}

function wrongArgumentCount(name: string): SqliteError {
  return new SqliteError(`json_${name}() needs an odd number of arguments`, 'SQLITE_ERROR');
}

function insertInto(args: readonly SqlValue[], call: FunctionCall, edit: Edit): SqlValue {
  let root = editableArgument(args[0]!, call);
  if (root === null) return null;
  for (let i = 1; i < args.length - 1; i += 2) {
    const pathText = toText(args[i]!);
    if (pathText === null) continue;
    const path = cString(pathText);
    if (!path.startsWith('$')) throw badPath(path);
    const value = sqlToJson(args[i + 1]!, isJsonArgument(call, i + 1), parseSubtypedText);
    if (path.length === 1) {
      if (edit === Edit.REPLACE || edit === Edit.SET) root = value;
      continue;
    }
    const rc = walkPath(root, path.slice(1), edit, value);
    if (rc !== FOUND && rc !== NOT_FOUND) throw badPath(path);
  }
  return returnJson(root, call);
}

function jsonInsert(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if ((args.length & 1) === 0) throw wrongArgumentCount('insert');
  return insertInto(args, call, Edit.INSERT);
}

function jsonReplace(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if ((args.length & 1) === 0) throw wrongArgumentCount('replace');
  return insertInto(args, call, Edit.REPLACE);
}

function jsonSet(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if ((args.length & 1) === 0) throw wrongArgumentCount('set');
  return insertInto(args, call, Edit.SET);
}

function jsonRemove(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const root = editableArgument(args[0]!, call);
  if (root === null) return null;
  for (let i = 1; i < args.length; i++) {
    const pathText = toText(args[i]!);
    if (pathText === null) return null;
    const path = cString(pathText);
    if (!path.startsWith('$')) throw badPath(path);
    if (path.length === 1) return null;
    const rc = walkPath(root, path.slice(1), Edit.DELETE, null);
    if (rc !== FOUND && rc !== NOT_FOUND) throw badPath(path);
  }
  return returnJson(root, call);
}

function labelsEqual(a: JsonNode, b: JsonNode): boolean {
  const aRaw = a.kind === JsonKind.TEXT || a.kind === JsonKind.TEXTRAW;
  const bRaw = b.kind === JsonKind.TEXT || b.kind === JsonKind.TEXTRAW;
  if (aRaw && bRaw) return a.text === b.text;
  return stringNodeValue(a) === stringNodeValue(b);
}

/** RFC 7396 MergePatch as SQLite implements it (jsonMergePatch); returns the new target. */
function mergePatch(target: JsonNode, patch: JsonNode): JsonNode {
  if (patch.kind !== JsonKind.OBJECT) return cloneJson(patch);
  const result = target.kind === JsonKind.OBJECT ? target : new JsonNode(JsonKind.OBJECT, '', []);
  const targetItems = result.children!;
  const patchItems = patch.children!;
  for (let p = 0; p < patchItems.length; p += 2) {
    const label = patchItems[p]!;
    const value = patchItems[p + 1]!;
    let t = 0;
    while (t < targetItems.length && !labelsEqual(label, targetItems[t]!)) t += 2;
    if (t < targetItems.length) {
      if (value.kind === JsonKind.NULL) targetItems.splice(t, 2);
      else targetItems[t + 1] = mergePatch(targetItems[t + 1]!, value);
    } else if (value.kind !== JsonKind.NULL) {
      const merged = value.kind !== JsonKind.OBJECT ? cloneJson(value) : mergePatch(new JsonNode(JsonKind.OBJECT, '', []), value);
      targetItems.push(label, merged);
    }
  }
  return result;
}

function jsonPatch(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const target = editableArgument(args[0]!, call);
  if (target === null) return null;
  const patchValue = args[1]!;
  if (patchValue === null) return null;
  const patch = parseText(toText(patchValue)!);
  return returnJson(mergePatch(target, patch.root), call);
}

function jsonPretty(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  const parsed = parseArgument(args[0]!, call);
  if (parsed === null) return null;
  const indent = args.length === 2 ? toText(args[1]!) : null;
  return renderPrettyJson(parsed.root, indent === null ? '    ' : cString(indent));
}

function jsonErrorPosition(args: readonly SqlValue[]): SqlValue {
  const text = toText(args[0]!);
  return text === null ? null : errorPosition(text);
}

function jsonbUnsupported(name: string): FunctionDef {
  return scalarFunction(name, -1, () => {
    throw new SqliteError(`${name}() is not supported: Shoal has no JSONB (binary JSON) support`, 'SQLITE_ERROR');
  });
}

class GroupArray implements Accumulator {
  private body = '';
  private any = false;
  step(args: readonly SqlValue[], call: FunctionCall): void {
    const item = sqlValueAsJson(args[0]!, isJsonArgument(call, 0));
    this.body = this.any ? this.body + ',' + item : item;
    this.any = true;
  }
  result(): SqlValue {
    return '[' + this.body + ']';
  }
}

class GroupObject implements Accumulator {
  private body = '';
  private any = false;
  step(args: readonly SqlValue[], call: FunctionCall): void {
    const name = toText(args[0]!);
    if (name === null) return;
    const item = quoteJsonString(cString(name)) + ':' + sqlValueAsJson(args[1]!, isJsonArgument(call, 1));
    this.body = this.any ? this.body + ',' + item : item;
    this.any = true;
  }
  result(): SqlValue {
    return '{' + this.body + '}';
  }
}

function jsonAggregate(name: string, argCount: number, create: () => Accumulator): AggregateFunctionDef {
  return { ...aggregateFunction(name, argCount, create), resultSubtype: JSON_SUBTYPE };
}

export const jsonFunctions: FunctionDef[] = [
  scalarFunction('json', 1, jsonFunction),
  scalarFunction('json_array', -1, jsonArray),
  scalarFunction('json_array_length', 1, jsonArrayLength),
  scalarFunction('json_array_length', 2, jsonArrayLength),
  scalarFunction('json_error_position', 1, jsonErrorPosition),
  scalarFunction('json_extract', -1, jsonExtract),
  scalarFunction('->', 2, jsonArrow),
  scalarFunction('->>', 2, jsonDoubleArrow),
  scalarFunction('json_insert', -1, jsonInsert),
  scalarFunction('json_object', -1, jsonObject),
  scalarFunction('json_patch', 2, jsonPatch),
  scalarFunction('json_pretty', 1, jsonPretty),
  scalarFunction('json_pretty', 2, jsonPretty),
  scalarFunction('json_quote', 1, jsonQuote),
  scalarFunction('json_remove', -1, jsonRemove),
  scalarFunction('json_replace', -1, jsonReplace),
  scalarFunction('json_set', -1, jsonSet),
  scalarFunction('json_type', 1, jsonType),
  scalarFunction('json_type', 2, jsonType),
  scalarFunction('json_valid', 1, jsonValid),
  scalarFunction('json_valid', 2, jsonValid),
  jsonAggregate('json_group_array', 1, () => new GroupArray()),
  jsonAggregate('json_group_object', 2, () => new GroupObject()),
  ...['jsonb', 'jsonb_array', 'jsonb_extract', 'jsonb_insert', 'jsonb_object', 'jsonb_patch', 'jsonb_remove', 'jsonb_replace',
    'jsonb_set', 'jsonb_group_array', 'jsonb_group_object'].map(jsonbUnsupported),
];
