/**
 * JSON text to `JsonNode`s, accepting exactly what SQLite 3.53 accepts
 * (jsonTranslateTextToBlob): RFC-8259 JSON plus the JSON5 extensions
 * (comments, trailing commas, unquoted and single-quoted keys and strings,
 * hex integers, '.5' and '5.', leading '+', Infinity/NaN, extra escapes
 * and whitespace). Nesting deeper than 1000 levels is an error, as in
 * SQLite. A NUL character ends the text, as it ends a C string.
 *
 * Promise: `parseJson(text)` returns the root node and whether any JSON5
 * feature was used (json_valid() needs that), or null when SQLite would
 * report "malformed JSON"; `errorPosition` is SQLite's 1-based character
 * offset of the first error (json_error_position()).
 */
import { JSON_FALSE, JSON_NULL, JSON_TRUE, JsonKind, JsonNode } from './json-node.js';

const MAX_DEPTH = 1000;

/** Returns of `element`: end of input, and the four structural characters seen. */
const END = 0;
const FAILED = -1;
const CLOSE_BRACE = -2;
const CLOSE_BRACKET = -3;
const COMMA = -4;
const COLON = -5;

/** `separatorAfter`'s answer for a container closed at position p (below FAILED, so never a position). */
function closing(p: number): number {
  return -2 - p;
}

function closedAt(answer: number): number {
  return -2 - answer;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function isAlnum(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** RFC-8259 whitespace. */
function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** First character of an unquoted JSON5 key (sqlite3JsonId1). */
function isIdStart(c: number): boolean {
  return ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f || c === 0x24 || c >= 0x80;
}

/** Later characters of an unquoted JSON5 key (sqlite3JsonId2). */
function isIdPart(c: number): boolean {
  return isIdStart(c) || isDigit(c);
}

/** Non-ASCII characters JSON5 counts as whitespace. */
function isJson5WideSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
    c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const NAN_INF: readonly { name: string; node: JsonNode | null }[] = [
  { name: 'inf', node: null },
  { name: 'infinity', node: null },
  { name: 'nan', node: JSON_NULL },
  { name: 'qnan', node: JSON_NULL },
  { name: 'snan', node: JSON_NULL },
];

class Parser {
  readonly z: string;
  readonly n: number;
  errorAt = 0;
  depth = 0;
  nonstandard = false;
  /** Where `element` appends the node it parses. */
  target: JsonNode[] = [];

  constructor(text: string) {
    const nul = text.indexOf('\0');
    this.z = nul < 0 ? text : text.slice(0, nul);
    this.n = this.z.length;
  }

  at(i: number): number {
    return i < this.n ? this.z.charCodeAt(i) : 0;
  }

  /** Length of the JSON5 whitespace and comments at `i` (json5Whitespace). */
  json5Whitespace(i: number): number {
    const start = i;
    for (;;) {
      const c = this.at(i);
      if (c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x20 || isJson5WideSpace(c)) {
        i++;
        continue;
      }
      if (c !== 0x2f) break;
      const next = this.at(i + 1);
      if (next === 0x2a && this.at(i + 2) !== 0) {
        let j = i + 3;
        let closed = true;
        while (this.at(j) !== 0x2f || this.at(j - 1) !== 0x2a) {
          if (this.at(j) === 0) {
            closed = false;
            break;
          }
          j++;
        }
        if (!closed) break;
        i = j + 1;
      } else if (next === 0x2f) {
        let j = i + 2;
        for (;;) {
          const d = this.at(j);
          if (d === 0 || d === 0x0a || d === 0x0d || d === 0x2028 || d === 0x2029) break;
          j++;
        }
        i = j;
        if (this.at(i) !== 0) i++;
      } else {
        break;
      }
    }
    return i - start;
  }

  push(node: JsonNode): void {
    this.target.push(node);
  }

  /** `\uXXXX` at `i` (the backslash). */
  isUnicodeEscape(i: number): boolean {
    return this.at(i) === 0x5c && this.at(i + 1) === 0x75 && isHex(this.at(i + 2)) && isHex(this.at(i + 3)) &&
      isHex(this.at(i + 4)) && isHex(this.at(i + 5));
  }

  /** Parses one element at `i`; returns the index after it or a negative code. */
  element(i: number): number {
    for (;;) {
      const c = this.at(i);
      switch (c) {
        case 0x7b:
          return this.object(i);
        case 0x5b:
          return this.array(i);
        case 0x27:
          this.nonstandard = true;
          return this.string(i);
        case 0x22:
          return this.string(i);
        case 0x74:
          return this.literal(i, 'true', JSON_TRUE);
        case 0x66:
          return this.literal(i, 'false', JSON_FALSE);
        case 0x6e:
          if (this.z.startsWith('null', i) && !isAlnum(this.at(i + 4))) {
            this.push(JSON_NULL);
            return i + 4;
          }
          return this.nanOrInfinity(i);
        case 0x2b:
        case 0x2d:
        case 0x2e:
        case 0x30:
        case 0x31:
        case 0x32:
        case 0x33:
        case 0x34:
        case 0x35:
        case 0x36:
        case 0x37:
        case 0x38:
        case 0x39:
          return this.number(i);
        case 0x7d:
          this.errorAt = i;
          return CLOSE_BRACE;
        case 0x5d:
          this.errorAt = i;
          return CLOSE_BRACKET;
        case 0x2c:
          this.errorAt = i;
          return COMMA;
        case 0x3a:
          this.errorAt = i;
          return COLON;
        case 0:
          return END;
        case 0x09:
        case 0x0a:
        case 0x0d:
        case 0x20:
          i++;
          while (isJsonSpace(this.at(i))) i++;
          continue;
        default: {
          if (c === 0x0b || c === 0x0c || c === 0x2f || isJson5WideSpace(c)) {
            const skip = this.json5Whitespace(i);
            if (skip > 0) {
              i += skip;
              this.nonstandard = true;
              continue;
            }
            this.errorAt = i;
            return FAILED;
          }
          return this.nanOrInfinity(i);
        }
      }
    }
  }

  literal(i: number, word: string, node: JsonNode): number {
    if (this.z.startsWith(word, i) && !isAlnum(this.at(i + word.length))) {
      this.push(node);
      return i + word.length;
    }
    this.errorAt = i;
    return FAILED;
  }

  nanOrInfinity(i: number): number {
    const c = this.at(i) | 0x20;
    for (const entry of NAN_INF) {
      if (entry.name.charCodeAt(0) !== c) continue;
      const len = entry.name.length;
      if (this.z.slice(i, i + len).toLowerCase() !== entry.name) continue;
      if (isAlnum(this.at(i + len))) continue;
      this.push(entry.node ?? new JsonNode(JsonKind.FLOAT, '9e999', null));
      this.nonstandard = true;
      return i + len;
    }
    this.errorAt = i;
    return FAILED;
  }

  object(i: number): number {
    if (++this.depth > MAX_DEPTH) {
      this.errorAt = i;
      return FAILED;
    }
    const saved = this.target;
    const children: JsonNode[] = [];
    this.target = children;
    let j = i + 1;
    for (;; j++) {
      const before = children.length;
      let x = this.element(j);
      if (x <= 0) {
        if (x === CLOSE_BRACE) {
          j = this.errorAt;
          if (children.length !== 0) this.nonstandard = true;
          break;
        }
        j += this.json5Whitespace(j);
        if (isIdStart(this.at(j)) || this.isUnicodeEscape(j)) {
          let kind: JsonKind = JsonKind.TEXT;
          if (this.at(j) === 0x5c) kind = JsonKind.TEXTJ;
          let k = j + 1;
          for (;;) {
            if (isIdPart(this.at(k)) && this.json5Whitespace(k) === 0) {
              k++;
            } else if (this.isUnicodeEscape(k)) {
              kind = JsonKind.TEXTJ;
              k++;
            } else {
              break;
            }
          }
          children.length = before;
          children.push(new JsonNode(kind, this.z.slice(j, k), null));
          this.nonstandard = true;
          x = k;
        } else {
          if (x !== FAILED) this.errorAt = j;
          return FAILED;
        }
      }
      const label = children[before]!;
      if (label.kind < JsonKind.TEXT || label.kind > JsonKind.TEXTRAW) {
        this.errorAt = j;
        return FAILED;
      }
      j = x;
      let haveColon = false;
      if (this.at(j) === 0x3a) {
        j++;
        haveColon = true;
      } else if (isJsonSpace(this.at(j))) {
        do j++;
        while (isJsonSpace(this.at(j)));
        if (this.at(j) === 0x3a) {
          j++;
          haveColon = true;
        }
      }
      if (!haveColon) {
        x = this.element(j);
        if (x !== COLON) {
          if (x !== FAILED) this.errorAt = j;
          return FAILED;
        }
        j = this.errorAt + 1;
      }
      x = this.element(j);
      if (x <= 0) {
        if (x !== FAILED) this.errorAt = j;
        return FAILED;
      }
      const next = this.separatorAfter(x, 0x7d, CLOSE_BRACE);
      if (next === FAILED) return FAILED;
      if (next >= 0) {
        j = next;
        continue;
      }
      j = closedAt(next);
      break;
    }
    this.target = saved;
    this.push(new JsonNode(JsonKind.OBJECT, '', children));
    this.depth--;
    return j + 1;
  }

  array(i: number): number {
    if (++this.depth > MAX_DEPTH) {
      this.errorAt = i;
      return FAILED;
    }
    const saved = this.target;
    const children: JsonNode[] = [];
    this.target = children;
    let j = i + 1;
    for (;; j++) {
      let x = this.element(j);
      if (x <= 0) {
        if (x === CLOSE_BRACKET) {
          j = this.errorAt;
          if (children.length !== 0) this.nonstandard = true;
          break;
        }
        if (x !== FAILED) this.errorAt = j;
        return FAILED;
      }
      const next = this.separatorAfter(x, 0x5d, CLOSE_BRACKET);
      if (next === FAILED) return FAILED;
      if (next >= 0) {
        j = next;
        continue;
      }
      j = closedAt(next);
      break;
    }
    this.target = saved;
    this.push(new JsonNode(JsonKind.ARRAY, '', children));
    this.depth--;
    return j + 1;
  }

  /**
   * What follows a member or element that ends at `j`: the position of the
   * ',' that continues the container, `closing(p)` when `close` (the
   * container's closing character, `closeToken` as `element` reports it)
   * ends it at p, or FAILED with `errorAt` set. Plain and JSON5 whitespace
   * and comments may come first.
   */
  private separatorAfter(j: number, close: number, closeToken: number): number {
    let c = this.at(j);
    if (c === 0x2c) return j;
    if (c === close) return closing(j);
    if (isJsonSpace(c)) {
      do j++;
      while (isJsonSpace(this.at(j)));
      c = this.at(j);
      if (c === 0x2c) return j;
      if (c === close) return closing(j);
    }
    const x = this.element(j);
    if (x === COMMA) return this.errorAt;
    if (x === closeToken) return closing(this.errorAt);
    this.errorAt = j;
    return FAILED;
  }

  string(i: number): number {
    const delimiter = this.at(i);
    let kind: JsonKind = JsonKind.TEXT;
    let j = i + 1;
    for (;;) {
      const c = this.at(j);
      if (c === delimiter) break;
      if (c === 0x5c) {
        const e = this.at(++j);
        if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74 ||
          (e === 0x75 && isHex(this.at(j + 1)) && isHex(this.at(j + 2)) && isHex(this.at(j + 3)) && isHex(this.at(j + 4)))) {
          if (kind === JsonKind.TEXT) kind = JsonKind.TEXTJ;
        } else if (e === 0x27 || e === 0x76 || e === 0x0a || (e === 0x30 && !isDigit(this.at(j + 1))) || e === 0x2028 ||
          e === 0x2029 || (e === 0x78 && isHex(this.at(j + 1)) && isHex(this.at(j + 2)))) {
          kind = JsonKind.TEXT5;
          this.nonstandard = true;
        } else if (e === 0x0d) {
          if (this.at(j + 1) === 0x0a) j++;
          kind = JsonKind.TEXT5;
          this.nonstandard = true;
        } else {
          this.errorAt = j;
          return FAILED;
        }
      } else if (c < 0x20) {
        if (c === 0) {
          this.errorAt = j;
          return FAILED;
        }
        kind = JsonKind.TEXT5;
        this.nonstandard = true;
      } else if (c === 0x22) {
        kind = JsonKind.TEXT5;
      }
      j++;
    }
    this.push(new JsonNode(kind, this.z.slice(i + 1, j), null));
    return j + 1;
  }

  number(i: number): number {
    const z = this.z;
    let json5 = false;
    let isFloat = false;
    let j: number;
    const c = this.at(i);
    if (c === 0x2b) this.nonstandard = true;
    if (c === 0x2e) {
      if (!isDigit(this.at(i + 1))) {
        this.errorAt = i;
        return FAILED;
      }
      this.nonstandard = true;
      json5 = true;
      isFloat = true;
    } else if (c === 0x30) {
      const x = this.at(i + 1);
      if ((x === 0x78 || x === 0x58) && isHex(this.at(i + 2))) {
        this.nonstandard = true;
        for (j = i + 3; isHex(this.at(j)); j++);
        return this.finishNumber(i, j, JsonKind.INT5);
      }
      if (isDigit(x)) {
        this.errorAt = i + 1;
        return FAILED;
      }
    } else if (c === 0x2b || c === 0x2d) {
      const d = this.at(i + 1);
      if (!isDigit(d)) {
        if ((d | 0x20) === 0x69 && z.slice(i + 1, i + 4).toLowerCase() === 'inf') {
          this.nonstandard = true;
          this.push(new JsonNode(JsonKind.FLOAT, c === 0x2d ? '-9e999' : '9e999', null));
          return i + (z.slice(i + 4, i + 9).toLowerCase() === 'inity' ? 9 : 4);
        }
        if (d === 0x2e) {
          this.nonstandard = true;
          json5 = true;
        } else {
          this.errorAt = i;
          return FAILED;
        }
      } else if (d === 0x30) {
        const e = this.at(i + 2);
        if (isDigit(e)) {
          this.errorAt = i + 1;
          return FAILED;
        }
        if ((e === 0x78 || e === 0x58) && isHex(this.at(i + 3))) {
          this.nonstandard = true;
          for (j = i + 4; isHex(this.at(j)); j++);
          return this.finishNumber(i, j, JsonKind.INT5);
        }
      }
    }
    let seenE = false;
    for (j = i + 1; ; j++) {
      const d = this.at(j);
      if (isDigit(d)) continue;
      if (d === 0x2e) {
        if (isFloat) {
          this.errorAt = j;
          return FAILED;
        }
        isFloat = true;
        continue;
      }
      if (d === 0x65 || d === 0x45) {
        if (this.at(j - 1) < 0x30) {
          if (this.at(j - 1) === 0x2e && j - 2 >= i && isDigit(this.at(j - 2))) {
            this.nonstandard = true;
            json5 = true;
          } else {
            this.errorAt = j;
            return FAILED;
          }
        }
        if (seenE) {
          this.errorAt = j;
          return FAILED;
        }
        isFloat = true;
        seenE = true;
        let e = this.at(j + 1);
        if (e === 0x2b || e === 0x2d) {
          j++;
          e = this.at(j + 1);
        }
        if (!isDigit(e)) {
          this.errorAt = j;
          return FAILED;
        }
        continue;
      }
      break;
    }
    if (this.at(j - 1) < 0x30) {
      if (this.at(j - 1) === 0x2e && j - 2 >= i && isDigit(this.at(j - 2))) {
        this.nonstandard = true;
        json5 = true;
      } else {
        this.errorAt = j;
        return FAILED;
      }
    }
    const kind = isFloat ? (json5 ? JsonKind.FLOAT5 : JsonKind.FLOAT) : json5 ? JsonKind.INT5 : JsonKind.INT;
    return this.finishNumber(i, j, kind);
  }

  finishNumber(i: number, j: number, kind: JsonKind): number {
    const start = this.at(i) === 0x2b ? i + 1 : i;
    this.push(new JsonNode(kind, this.z.slice(start, j), null));
    return j;
  }
}

export interface ParsedJson {
  readonly root: JsonNode;
  /** The text used JSON5 features (not canonical RFC-8259). */
  readonly nonstandard: boolean;
}

/** Parses JSON text; null when malformed (jsonConvertTextToBlob). */
export function parseJson(text: string): ParsedJson | null {
  const p = new Parser(text);
  return runParser(p) ? { root: p.target[0]!, nonstandard: p.nonstandard } : null;
}

function runParser(p: Parser): boolean {
  let i = p.element(0);
  if (i <= 0) return false;
  while (isJsonSpace(p.at(i))) i++;
  if (i < p.n) {
    i += p.json5Whitespace(i);
    if (i < p.n) return false;
    p.nonstandard = true;
  }
  return true;
}

/** json_error_position(): 0 when `text` is well-formed, else the 1-based character of the first error. */
export function errorPosition(text: string): number {
  const p = new Parser(text);
  if (runParser(p)) return 0;
  let position = 0;
  for (let k = 0; k < p.errorAt && k < p.n; k++) {
    const c = p.z.charCodeAt(k);
    if (c < 0xdc00 || c > 0xdfff) position++;
  }
  return position + 1;
}
