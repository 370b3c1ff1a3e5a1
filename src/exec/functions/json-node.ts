/**
 * The parsed form of a JSON value and its conversions, mirroring the
 * element kinds of SQLite's JSONB so that every output is byte-for-byte
 * what SQLite 3.53 produces.
 *
 * A `JsonNode` keeps the literal text of numbers and strings as it
 * appeared in the input (SQLite never reformats a JSON number it parsed)
 * together with a kind saying how that text must be rendered:
 *   INT / FLOAT    canonical RFC-8259 number text, copied verbatim;
 *   INT5 / FLOAT5  JSON5 number text (hex, '.5', '5.'), normalised on output;
 *   TEXT           string content needing no escapes;
 *   TEXTJ          string content with RFC-8259 escapes, copied verbatim;
 *   TEXT5          string content with JSON5 escapes, normalised on output;
 *   TEXTRAW        SQL text that must be escaped on output.
 * An OBJECT's `children` alternate label, value, label, value... (labels are
 * string nodes); duplicate labels are kept, in order, as SQLite keeps them.
 *
 * Promises: `renderJson` writes canonical RFC-8259 text (SQLite's
 * jsonTranslateBlobToText); `jsonToSql` gives the SQL value json_extract()
 * returns for a node (jsonReturnFromBlob); `sqlToJson` and
 * `appendSqlValue` turn SQL values into JSON the two ways SQLite does
 * (edits keep REAL text as CAST AS TEXT shows it, constructors such as
 * json_array() print REALs with 15 significant digits).
 */
import { SqliteError } from '../../sqlite-error.js';
import { realToText, formatFloat, type FloatFormat } from '../values/float-format.js';
import { ATOI_2POW63, ATOI_OK, ATOF_TRAILING, parseInteger, parseReal, parsedInteger, parsedReal } from '../values/text-to-number.js';
import { integerToText } from '../values/conversions.js';
import { SqlReal, realValue, type SqlValue } from '../values/value.js';

export const JsonKind = {
  NULL: 0,
  TRUE: 1,
  FALSE: 2,
  INT: 3,
  INT5: 4,
  FLOAT: 5,
  FLOAT5: 6,
  TEXT: 7,
  TEXTJ: 8,
  TEXT5: 9,
  TEXTRAW: 10,
  ARRAY: 11,
  OBJECT: 12,
} as const;
export type JsonKind = (typeof JsonKind)[keyof typeof JsonKind];

export class JsonNode {
  constructor(
    public kind: JsonKind,
    /** Number text or string content (without quotes); '' for the rest. */
    public text: string,
    /** Elements of an ARRAY, label/value pairs of an OBJECT, else null. */
    public children: JsonNode[] | null,
  ) {}
}

export const JSON_NULL = new JsonNode(JsonKind.NULL, '', null);
export const JSON_TRUE = new JsonNode(JsonKind.TRUE, '', null);
export const JSON_FALSE = new JsonNode(JsonKind.FALSE, '', null);

/** json_type() names by kind. */
export const JSON_TYPE_NAMES: readonly string[] = [
  'null', 'true', 'false', 'integer', 'integer', 'real', 'real', 'text', 'text', 'text', 'text', 'array', 'object',
];

/** A deep copy (for edits of a shared, cached parse). */
export function cloneJson(node: JsonNode): JsonNode {
  if (node.children === null) return node;
  return new JsonNode(node.kind, node.text, node.children.map(cloneJson));
}

export function malformedJson(): SqliteError {
  return new SqliteError('malformed JSON', 'SQLITE_ERROR');
}

export function blobNotAllowed(): SqliteError {
  return new SqliteError('JSON cannot hold BLOB values', 'SQLITE_ERROR');
}

const HEX = '0123456789abcdef';

/** The escape SQLite writes for control character `c` (< 0x20). */
function controlEscape(c: number): string {
  switch (c) {
    case 0x08:
      return '\\b';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0c:
      return '\\f';
    case 0x0d:
      return '\\r';
    default:
      return '\\u00' + HEX[c >> 4]! + HEX[c & 15]!;
  }
}

/** Characters jsonAppendString must escape: '"', '\', and controls. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/** SQL text as a JSON string literal (jsonAppendString). */
export function quoteJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) {
      out += s.slice(from, i) + '\\' + s[i];
      from = i + 1;
    } else if (c < 0x20) {
      out += s.slice(from, i) + controlEscape(c);
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

function isHexCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A JSON5 hex integer rendered in decimal ("9.0e999" when it overflows 64 bits). */
function renderHexInteger(text: string): string {
  let k = 2;
  let sign = '';
  if (text.charCodeAt(0) === 0x2d) {
    sign = '-';
    k++;
  } else if (text.charCodeAt(0) === 0x2b) {
    k++;
  }
  let u = 0n;
  let overflow = false;
  for (; k < text.length; k++) {
    if ((u >> 60n) !== 0n) overflow = true;
    else u = u * 16n + BigInt(parseInt(text[k]!, 16));
  }
  return sign + (overflow ? '9.0e999' : u.toString());
}

/** A JSON5 real ('.5', '5.', '5.e3') with the missing zeros added. */
function renderJson5Real(text: string): string {
  let out = '';
  let k = 0;
  if (text.charCodeAt(0) === 0x2d) {
    out = '-';
    k = 1;
  }
  if (text.charCodeAt(k) === 0x2e) out += '0';
  for (; k < text.length; k++) {
    out += text[k];
    if (text.charCodeAt(k) === 0x2e && (k + 1 === text.length || !isDigitCode(text.charCodeAt(k + 1)))) out += '0';
  }
  return out;
}

/** JSON5 string content rendered as an RFC-8259 string literal (with quotes). */
function renderJson5String(z: string): string {
  let out = '"';
  let i = 0;
  const n = z.length;
  while (i < n) {
    const c = z.charCodeAt(i);
    if (c === 0x22) {
      out += '\\"';
      i++;
      continue;
    }
    if (c < 0x20) {
      out += controlEscape(c);
      i++;
      continue;
    }
    if (c !== 0x5c) {
      let k = i + 1;
      while (k < n) {
        const d = z.charCodeAt(k);
        if (d === 0x22 || d === 0x5c || d < 0x20) break;
        k++;
      }
      out += z.slice(i, k);
      i = k;
      continue;
    }
    const e = z.charCodeAt(i + 1);
    switch (e) {
      case 0x27:
        out += "'";
        break;
      case 0x76:
        out += '\\u000b';
        break;
      case 0x78:
        out += '\\u00' + z.slice(i + 2, i + 4);
        i += 2;
        break;
      case 0x30:
        out += '\\u0000';
        break;
      case 0x0d:
        if (z.charCodeAt(i + 2) === 0x0a) i++;
        break;
      case 0x0a:
      case 0x2028:
      case 0x2029:
        break;
      default:
        out += z.slice(i, i + 2);
        break;
    }
    i += 2;
  }
  return out + '"';
}

/** Canonical JSON text of `node` (jsonTranslateBlobToText). */
export function renderJson(node: JsonNode): string {
  switch (node.kind) {
    case JsonKind.NULL:
      return 'null';
    case JsonKind.TRUE:
      return 'true';
    case JsonKind.FALSE:
      return 'false';
    case JsonKind.INT:
    case JsonKind.FLOAT:
      return node.text;
    case JsonKind.INT5:
      return renderHexInteger(node.text);
    case JsonKind.FLOAT5:
      return renderJson5Real(node.text);
    case JsonKind.TEXT:
    case JsonKind.TEXTJ:
      return '"' + node.text + '"';
    case JsonKind.TEXT5:
      return renderJson5String(node.text);
    case JsonKind.TEXTRAW:
      return quoteJsonString(node.text);
    case JsonKind.ARRAY: {
      const items = node.children!;
      if (items.length === 0) return '[]';
      let out = '[' + renderJson(items[0]!);
      for (let i = 1; i < items.length; i++) out += ',' + renderJson(items[i]!);
      return out + ']';
    }
    default: {
      const items = node.children!;
      if (items.length === 0) return '{}';
      let out = '{';
      for (let i = 0; i < items.length; i += 2) {
        if (i > 0) out += ',';
        out += renderJson(items[i]!) + ':' + renderJson(items[i + 1]!);
      }
      return out + '}';
    }
  }
}

/** json_pretty(): like `renderJson` with one element per line. */
export function renderPrettyJson(node: JsonNode, indent: string, depth = 0): string {
  const items = node.children;
  if (items === null || items.length === 0) return renderJson(node);
  const inner = indent.repeat(depth + 1);
  let out = node.kind === JsonKind.ARRAY ? '[\n' : '{\n';
  if (node.kind === JsonKind.ARRAY) {
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out += ',\n';
      out += inner + renderPrettyJson(items[i]!, indent, depth + 1);
    }
  } else {
    for (let i = 0; i < items.length; i += 2) {
      if (i > 0) out += ',\n';
      out += inner + renderJson(items[i]!) + ': ' + renderPrettyJson(items[i + 1]!, indent, depth + 1);
    }
  }
  return out + '\n' + indent.repeat(depth) + (node.kind === JsonKind.ARRAY ? ']' : '}');
}

/** Value of 4 hex digits at `z[at]`. */
function hex4(z: string, at: number): number {
  return parseInt(z.slice(at, at + 4), 16);
}

/** Sentinel for an escape that decodes to nothing (jsonUnescapeOneChar's invalid char). */
const INVALID_CHAR = -1;
let unescaped = 0;

/** Length of the run of escaped line breaks at `z[at]` (jsonBytesToBypass). */
function escapedBreaks(z: string, at: number, end: number): number {
  let i = at;
  while (i + 1 < end) {
    if (z.charCodeAt(i) !== 0x5c) return i - at;
    const c = z.charCodeAt(i + 1);
    if (c === 0x0a || c === 0x2028 || c === 0x2029) {
      i += 2;
    } else if (c === 0x0d) {
      i += i + 2 < end && z.charCodeAt(i + 2) === 0x0a ? 3 : 2;
    } else {
      break;
    }
  }
  return i - at;
}

/**
 * Decodes the escape at `z[at]` (a backslash) into `unescaped` (a code
 * point, or INVALID_CHAR) and returns its length (jsonUnescapeOneChar).
 */
function unescapeOne(z: string, at: number, end: number): number {
  const n = end - at;
  if (n < 2) {
    unescaped = INVALID_CHAR;
    return n;
  }
  switch (z.charCodeAt(at + 1)) {
    case 0x75: {
      if (n < 6) {
        unescaped = INVALID_CHAR;
        return n;
      }
      const v = hex4(z, at + 2);
      if ((v & 0xfc00) === 0xd800 && n >= 12 && z.charCodeAt(at + 6) === 0x5c && z.charCodeAt(at + 7) === 0x75) {
        const low = hex4(z, at + 8);
        if ((low & 0xfc00) === 0xdc00) {
          unescaped = ((v & 0x3ff) << 10) + (low & 0x3ff) + 0x10000;
          return 12;
        }
      }
      unescaped = v;
      return 6;
    }
    case 0x62:
      unescaped = 0x08;
      return 2;
    case 0x66:
      unescaped = 0x0c;
      return 2;
    case 0x6e:
      unescaped = 0x0a;
      return 2;
    case 0x72:
      unescaped = 0x0d;
      return 2;
    case 0x74:
      unescaped = 0x09;
      return 2;
    case 0x76:
      unescaped = 0x0b;
      return 2;
    case 0x30:
      unescaped = n > 2 && isDigitCode(z.charCodeAt(at + 2)) ? INVALID_CHAR : 0;
      return 2;
    case 0x27:
    case 0x22:
    case 0x2f:
    case 0x5c:
      unescaped = z.charCodeAt(at + 1);
      return 2;
    case 0x78:
      if (n < 4) {
        unescaped = INVALID_CHAR;
        return n;
      }
      unescaped = parseInt(z.slice(at + 2, at + 4), 16);
      return 4;
    case 0x0a:
    case 0x0d:
    case 0x2028:
    case 0x2029: {
      const skip = escapedBreaks(z, at, end);
      if (skip === 0) {
        unescaped = INVALID_CHAR;
        return n;
      }
      if (skip === n) {
        unescaped = 0;
        return n;
      }
      if (z.charCodeAt(at + skip) === 0x5c) return skip + unescapeOne(z, at + skip, end);
      const cp = z.codePointAt(at + skip)!;
      unescaped = cp;
      return skip + (cp > 0xffff ? 2 : 1);
    }
    default:
      unescaped = INVALID_CHAR;
      return 2;
  }
}

/** String content with escapes decoded (the SQL text of a TEXTJ/TEXT5 node). */
export function unescapeJsonText(z: string): string {
  let i = z.indexOf('\\');
  if (i < 0) return z;
  let out = z.slice(0, i);
  const end = z.length;
  while (i < end) {
    const c = z.charCodeAt(i);
    if (c !== 0x5c) {
      const next = z.indexOf('\\', i);
      const stop = next < 0 ? end : next;
      out += z.slice(i, stop);
      i = stop;
      continue;
    }
    const len = unescapeOne(z, i, end);
    if (unescaped !== INVALID_CHAR) out += String.fromCodePoint(unescaped);
    i += len;
  }
  return out;
}

/** The text a label or string node stands for. */
export function stringNodeValue(node: JsonNode): string {
  return node.kind === JsonKind.TEXTJ || node.kind === JsonKind.TEXT5 ? unescapeJsonText(node.text) : node.text;
}

/** sqlite3DecOrHexToI64 on a hex literal without sign: 0 ok, 2 too many digits. */
function hexToInt64(text: string): { rc: number; value: bigint } {
  let k = 2;
  while (k < text.length && text.charCodeAt(k) === 0x30) k++;
  let value = 0n;
  let digits = 0;
  for (; k < text.length && isHexCode(text.charCodeAt(k)); k++) {
    value = value * 16n + BigInt(parseInt(text[k]!, 16));
    digits++;
  }
  if (digits > 16 || k < text.length) return { rc: 2, value: 0n };
  return { rc: 0, value: BigInt.asIntN(64, value) };
}

function doubleOf(text: string): SqlValue {
  const rc = parseReal(text);
  if (rc === 0 || (rc & ATOF_TRAILING) !== 0) throw malformedJson();
  return realValue(parsedReal());
}

function integerNodeValue(text: string): SqlValue {
  let negative = false;
  let body = text;
  if (text.charCodeAt(0) === 0x2d) {
    negative = true;
    body = text.slice(1);
  }
  if (body.length === 0) throw malformedJson();
  if (body.charCodeAt(0) === 0x30 && (body.charCodeAt(1) | 0x20) === 0x78) {
    const { rc, value } = hexToInt64(body);
    if (rc !== 0) return doubleOf(text);
    if (value < 0n) {
      const r = Number(BigInt.asUintN(64, value));
      return realValue(negative ? -r : r);
    }
    return normalizeInteger(negative ? -value : value);
  }
  const rc = parseInteger(body);
  if (rc === ATOI_OK) {
    const v = parsedInteger();
    return typeof v === 'number' ? (negative && v !== 0 ? -v : v) : normalizeInteger(negative ? -v : v);
  }
  if (rc === ATOI_2POW63 && negative) return -0x8000000000000000n;
  if (rc === 1) throw malformedJson();
  return doubleOf(text);
}

function normalizeInteger(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** The SQL value of a node, as json_extract() returns it (jsonReturnFromBlob). */
export function jsonToSql(node: JsonNode): SqlValue {
  switch (node.kind) {
    case JsonKind.NULL:
      return null;
    case JsonKind.TRUE:
      return 1;
    case JsonKind.FALSE:
      return 0;
    case JsonKind.INT:
    case JsonKind.INT5:
      return integerNodeValue(node.text);
    case JsonKind.FLOAT:
    case JsonKind.FLOAT5:
      return doubleOf(node.text);
    case JsonKind.TEXT:
    case JsonKind.TEXTRAW:
      return node.text;
    case JsonKind.TEXTJ:
    case JsonKind.TEXT5:
      return unescapeJsonText(node.text);
    default:
      return renderJson(node);
  }
}

/** "%!0.15g": how json_array() and friends print a REAL. */
const JSON_REAL_FORMAT: FloatFormat = {
  precision: 15,
  width: 0,
  alternate: false,
  alternate2: true,
  prefix: '',
  zeroPad: true,
  leftJustify: false,
  thousands: false,
};

/**
 * An SQL value as JSON text for json_array(), json_object(), json_quote()
 * and the group aggregates (jsonAppendSqlValue). TEXT with the JSON
 * subtype is inserted as JSON; other TEXT becomes a string.
 */
export function sqlValueAsJson(v: SqlValue, isJson: boolean): string {
  switch (typeof v) {
    case 'string':
      return isJson ? v : quoteJsonString(v);
    case 'number':
      return Number.isInteger(v) ? integerToText(v) : formatFloat(v, 'g', JSON_REAL_FORMAT);
    case 'bigint':
      return String(v);
    default:
      if (v === null) return 'null';
      if (v instanceof SqlReal) return formatFloat(v.value, 'g', JSON_REAL_FORMAT);
      throw blobNotAllowed();
  }
}

/**
 * An SQL value as a node to insert with json_set() and friends
 * (jsonFunctionArgToBlob). `parse` reads TEXT that carries the JSON subtype.
 */
export function sqlToJson(v: SqlValue, isJson: boolean, parse: (text: string) => JsonNode): JsonNode {
  switch (typeof v) {
    case 'string':
      return isJson ? parse(v) : new JsonNode(JsonKind.TEXTRAW, v, null);
    case 'number':
      if (Number.isInteger(v)) return new JsonNode(JsonKind.INT, integerToText(v), null);
      return realNode(v);
    case 'bigint':
      return new JsonNode(JsonKind.INT, String(v), null);
    default:
      if (v === null) return JSON_NULL;
      if (v instanceof SqlReal) return realNode(v.value);
      throw blobNotAllowed();
  }
}

function realNode(r: number): JsonNode {
  if (r === Infinity) return new JsonNode(JsonKind.FLOAT, '9e999', null);
  if (r === -Infinity) return new JsonNode(JsonKind.FLOAT, '-9e999', null);
  return new JsonNode(JsonKind.FLOAT, realToText(r), null);
}
