/**
 * Lexer: splits SQL text into tokens exactly where SQLite's tokenizer
 * (tokenize.c, sqlite3GetToken) does, one token per call, as a tight loop
 * over char codes that allocates nothing.
 *
 * Promises:
 * - Whitespace and comments (`-- ...`, `/* ... *\/`, unterminated block
 *   comments included) are skipped; a NUL character ends the input, as in C.
 * - Malformed tokens (unterminated strings, `12abc`, `x'0g'`, a lone `!`,
 *   `@` without a name, ...) come back as TK_ILLEGAL covering SQLite's extent
 *   of the bad token, so the parser can report `unrecognized token: "..."`.
 * - Numbers with `_` digit separators are INTEGER/FLOAT tokens with
 *   `hasSeparator` set; validating the separators is the parser's job.
 * - WINDOW, OVER and FILTER are keywords only in the contexts where SQLite's
 *   tokenizer makes them so (see `classifyWindowKeyword`); elsewhere TK_ID.
 * - Tcl-style parameters (`$a::b(c)`) are not recognised, matching the
 *   SQLite build better-sqlite3 ships.
 */

import {
  TK_BITAND, TK_BITNOT, TK_BITOR, TK_BLOB, TK_COMMA, TK_CONCAT, TK_DOT, TK_EOF, TK_EQ,
  TK_FILTER, TK_FLOAT, TK_GE, TK_GT, TK_ID, TK_ILLEGAL, TK_INTEGER, TK_JOIN_KW, TK_LE,
  TK_LP, TK_LSHIFT, TK_LT, TK_MINUS, TK_NE, TK_OVER, TK_PLUS, TK_PTR, TK_REM, TK_RP,
  TK_RSHIFT, TK_SEMI, TK_SLASH, TK_STAR, TK_STRING, TK_VARIABLE, TK_WINDOW, TK_AS,
  isFallbackKeyword, keywordCode,
} from './tokens.js';

// Character classes for the first character of a token (SQLite's aiClass).
const CC_X = 0; // x or X: maybe a blob literal
const CC_KYWD0 = 1; // letter that can start a keyword
const CC_KYWD = 2; // letter or '_' that can appear in a keyword
const CC_DIGIT = 3;
const CC_DOLLAR = 4;
const CC_VARALPHA = 5; // @ # :
const CC_VARNUM = 6; // ?
const CC_SPACE = 7;
const CC_QUOTE = 8; // " ' `
const CC_QUOTE2 = 9; // [
const CC_PIPE = 10;
const CC_MINUS = 11;
const CC_LT = 12;
const CC_GT = 13;
const CC_EQ = 14;
const CC_BANG = 15;
const CC_SLASH = 16;
const CC_LP = 17;
const CC_RP = 18;
const CC_SEMI = 19;
const CC_PLUS = 20;
const CC_STAR = 21;
const CC_PERCENT = 22;
const CC_COMMA = 23;
const CC_AND = 24;
const CC_TILDA = 25;
const CC_DOT = 26;
const CC_ID = 27; // non-ASCII: usable in identifiers
const CC_ILLEGAL = 28;
const CC_NUL = 29;

const charClass = new Uint8Array(128).fill(CC_ILLEGAL);
(function initClasses(): void {
  charClass[0] = CC_NUL;
  for (const c of [9, 10, 12, 13, 32]) charClass[c] = CC_SPACE;
  for (let c = 65; c <= 90; c++) {
    charClass[c] = CC_KYWD0;
    charClass[c + 32] = CC_KYWD0;
  }
  for (const c of 'XxYyZz_') charClass[c.charCodeAt(0)] = CC_KYWD;
  charClass[88] = CC_X;
  charClass[120] = CC_X;
  for (let c = 48; c <= 57; c++) charClass[c] = CC_DIGIT;
  const single: Array<[string, number]> = [
    ['$', CC_DOLLAR], ['@', CC_VARALPHA], ['#', CC_VARALPHA], [':', CC_VARALPHA],
    ['?', CC_VARNUM], ['"', CC_QUOTE], ["'", CC_QUOTE], ['`', CC_QUOTE], ['[', CC_QUOTE2],
    ['|', CC_PIPE], ['-', CC_MINUS], ['<', CC_LT], ['>', CC_GT], ['=', CC_EQ], ['!', CC_BANG],
    ['/', CC_SLASH], ['(', CC_LP], [')', CC_RP], [';', CC_SEMI], ['+', CC_PLUS], ['*', CC_STAR],
    ['%', CC_PERCENT], [',', CC_COMMA], ['&', CC_AND], ['~', CC_TILDA], ['.', CC_DOT],
  ];
  for (const [ch, cls] of single) charClass[ch.charCodeAt(0)] = cls;
})();

/** Can `c` (a char code, NaN past the end) appear inside an identifier? Letters, digits, `_`, `$`, non-ASCII. */
function isIdChar(c: number): boolean {
  if (c >= 0x80) return true;
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** SQLite's sqlite3Isspace: the continuation of a run of whitespace (includes \v). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A letter or '_' (a character allowed in keywords). */
function isKeywordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

const DIGIT_SEPARATOR = 95; // '_'
const BOM = 0xfeff;
/** Internal token type for skipped whitespace and comments; never returned by `next()`. */
const SPACE = -1;
/**
 * Scans tokens from `sql`. After `next()`, `type`, `start` and `end`
 * describe the token (`start` is past any skipped whitespace/comments).
 */
export class Lexer {
  sql = '';
  /** Where the next scan starts. */
  pos = 0;
  type = TK_EOF;
  start = 0;
  end = 0;
  /** For INTEGER/FLOAT tokens: the number contains `_` separators. */
  hasSeparator = false;
  /** The type of the previous token returned (for OVER/FILTER context). */
  private previous = TK_EOF;

  /** Starts scanning `sql` at offset `pos`. */
  reset(sql: string, pos: number): void {
    this.sql = sql;
    this.pos = pos;
    this.previous = TK_EOF;
  }

  /** Scans the next significant token into `type`/`start`/`end`. */
  next(): number {
    const sql = this.sql;
    let pos = this.pos;
    let type: number;
    for (;;) {
      // Plain whitespace is skipped here; comments go through scan(). A run
      // of whitespace may contain \v but not start with it, as in SQLite.
      let c = sql.charCodeAt(pos);
      if (c === 32 || (c >= 9 && c <= 13 && c !== 11)) {
        do c = sql.charCodeAt(++pos); while (c === 32 || (c >= 9 && c <= 13));
      }
      type = this.scan(pos);
      if (type !== SPACE) break;
      pos = this.end;
    }
    if (type === TK_WINDOW || type === TK_OVER || type === TK_FILTER) {
      type = this.classifyWindowKeyword(type, this.end);
    }
    this.pos = this.end;
    this.type = type;
    this.previous = type;
    return type;
  }

  /**
   * SQLite decides by context whether WINDOW, OVER and FILTER are keywords:
   * WINDOW when followed by a name and AS; OVER when it follows `)` and is
   * followed by `(` or a name; FILTER when it follows `)` and is followed by `(`.
   */
  private classifyWindowKeyword(type: number, after: number): number {
    const start = this.start;
    const end = this.end;
    const hasSeparator = this.hasSeparator;
    let result = TK_ID;
    if (type === TK_WINDOW) {
      if (this.peekNameClass(after) === TK_ID && this.peekNameClass(this.end) === TK_AS) result = TK_WINDOW;
    } else if (this.previous === TK_RP) {
      const t = this.peekNameClass(after);
      if (t === TK_LP || (type === TK_OVER && t === TK_ID)) result = type;
    }
    this.start = start;
    this.end = end;
    this.hasSeparator = hasSeparator;
    return result;
  }

  /** The next token's type from `pos` with anything name-like (ids, strings, fallback keywords) reported as TK_ID. */
  private peekNameClass(pos: number): number {
    let t: number;
    for (;;) {
      t = this.scan(pos);
      if (t !== SPACE) break;
      pos = this.end;
    }
    if (t === TK_ID || t === TK_STRING || t === TK_JOIN_KW || t === TK_WINDOW || t === TK_OVER || isFallbackKeyword(t)) {
      return TK_ID;
    }
    return t;
  }

  /** Scans one raw token (possibly SPACE) starting exactly at `pos`. */
  private scan(pos: number): number {
    const sql = this.sql;
    const n = sql.length;
    this.start = pos;
    this.hasSeparator = false;
    if (pos >= n) {
      this.end = pos;
      return TK_EOF;
    }
    const c = sql.charCodeAt(pos);
    if (c === BOM) {
      this.end = pos + 1;
      return SPACE;
    }
    const cls = c < 128 ? charClass[c] : CC_ID;
    let i = pos + 1;
    switch (cls) {
      case CC_SPACE:
        while (i < n && isSpace(sql.charCodeAt(i))) i++;
        this.end = i;
        return SPACE;
      case CC_MINUS: {
        const c1 = sql.charCodeAt(i);
        if (c1 === 45) {
          i++;
          while (i < n) {
            const ch = sql.charCodeAt(i);
            if (ch === 10 || ch === 0) break;
            i++;
          }
          this.end = i;
          return SPACE;
        }
        if (c1 === 62) {
          this.end = sql.charCodeAt(i + 1) === 62 ? i + 2 : i + 1;
          return TK_PTR;
        }
        this.end = i;
        return TK_MINUS;
      }
      case CC_LP: this.end = i; return TK_LP;
      case CC_RP: this.end = i; return TK_RP;
      case CC_SEMI: this.end = i; return TK_SEMI;
      case CC_PLUS: this.end = i; return TK_PLUS;
      case CC_STAR: this.end = i; return TK_STAR;
      case CC_PERCENT: this.end = i; return TK_REM;
      case CC_COMMA: this.end = i; return TK_COMMA;
      case CC_AND: this.end = i; return TK_BITAND;
      case CC_TILDA: this.end = i; return TK_BITNOT;
      case CC_SLASH: {
        if (sql.charCodeAt(i) !== 42 || i + 1 >= n || sql.charCodeAt(i + 1) === 0) {
          this.end = i;
          return TK_SLASH;
        }
        i += 2;
        let prev = sql.charCodeAt(i - 1);
        while (i < n) {
          const ch = sql.charCodeAt(i);
          if (ch === 0) break;
          if (prev === 42 && ch === 47) {
            i++;
            break;
          }
          prev = ch;
          i++;
        }
        this.end = i;
        return SPACE;
      }
      case CC_EQ:
        this.end = sql.charCodeAt(i) === 61 ? i + 1 : i;
        return TK_EQ;
      case CC_LT: {
        const c1 = sql.charCodeAt(i);
        if (c1 === 61) { this.end = i + 1; return TK_LE; }
        if (c1 === 62) { this.end = i + 1; return TK_NE; }
        if (c1 === 60) { this.end = i + 1; return TK_LSHIFT; }
        this.end = i;
        return TK_LT;
      }
      case CC_GT: {
        const c1 = sql.charCodeAt(i);
        if (c1 === 61) { this.end = i + 1; return TK_GE; }
        if (c1 === 62) { this.end = i + 1; return TK_RSHIFT; }
        this.end = i;
        return TK_GT;
      }
      case CC_BANG:
        if (sql.charCodeAt(i) === 61) { this.end = i + 1; return TK_NE; }
        this.end = i;
        return TK_ILLEGAL;
      case CC_PIPE:
        if (sql.charCodeAt(i) === 124) { this.end = i + 1; return TK_CONCAT; }
        this.end = i;
        return TK_BITOR;
      case CC_QUOTE: {
        let ch = 0;
        let closed = false;
        while (i < n) {
          ch = sql.charCodeAt(i);
          if (ch === 0) break;
          if (ch === c) {
            if (sql.charCodeAt(i + 1) === c) {
              i += 2;
              continue;
            }
            closed = true;
            break;
          }
          i++;
        }
        if (!closed) {
          this.end = i;
          return TK_ILLEGAL;
        }
        this.end = i + 1;
        return c === 39 ? TK_STRING : TK_ID;
      }
      case CC_DOT:
        if (!isDigit(sql.charCodeAt(i))) {
          this.end = i;
          return TK_DOT;
        }
        return this.scanNumber(pos);
      case CC_DIGIT:
        return this.scanNumber(pos);
      case CC_QUOTE2: {
        while (i < n) {
          const ch = sql.charCodeAt(i);
          if (ch === 0) break;
          i++;
          if (ch === 93) {
            this.end = i;
            return TK_ID;
          }
        }
        this.end = i;
        return TK_ILLEGAL;
      }
      case CC_VARNUM:
        while (isDigit(sql.charCodeAt(i))) i++;
        this.end = i;
        return TK_VARIABLE;
      case CC_DOLLAR:
      case CC_VARALPHA: {
        const nameStart = i;
        while (i < n && isIdChar(sql.charCodeAt(i))) i++;
        this.end = i;
        return i === nameStart ? TK_ILLEGAL : TK_VARIABLE;
      }
      case CC_KYWD0: {
        while (i < n && isKeywordChar(sql.charCodeAt(i))) i++;
        if (i < n && isIdChar(sql.charCodeAt(i))) break;
        this.end = i;
        return keywordCode(sql, pos, i);
      }
      case CC_X:
        if (sql.charCodeAt(i) === 39) return this.scanBlob(pos);
        break;
      case CC_KYWD:
      case CC_ID:
        break;
      case CC_NUL:
        this.end = pos;
        return TK_EOF;
      default:
        this.end = i;
        return TK_ILLEGAL;
    }
    while (i < n && isIdChar(sql.charCodeAt(i))) i++;
    this.end = i;
    return TK_ID;
  }

  private scanNumber(pos: number): number {
    const sql = this.sql;
    let type = TK_INTEGER;
    let sep = false;
    let i = pos;
    if (sql.charCodeAt(i) === 48 && (sql.charCodeAt(i + 1) | 0x20) === 120 && isHexDigit(sql.charCodeAt(i + 2))) {
      i += 3;
      for (;;) {
        const ch = sql.charCodeAt(i);
        if (isHexDigit(ch)) i++;
        else if (ch === DIGIT_SEPARATOR) { sep = true; i++; }
        else break;
      }
    } else {
      for (;;) {
        const ch = sql.charCodeAt(i);
        if (isDigit(ch)) i++;
        else if (ch === DIGIT_SEPARATOR) { sep = true; i++; }
        else break;
      }
      if (sql.charCodeAt(i) === 46) {
        type = TK_FLOAT;
        i++;
        for (;;) {
          const ch = sql.charCodeAt(i);
          if (isDigit(ch)) i++;
          else if (ch === DIGIT_SEPARATOR) { sep = true; i++; }
          else break;
        }
      }
      const e = sql.charCodeAt(i);
      if (e === 101 || e === 69) {
        const c1 = sql.charCodeAt(i + 1);
        if (isDigit(c1) || ((c1 === 43 || c1 === 45) && isDigit(sql.charCodeAt(i + 2)))) {
          type = TK_FLOAT;
          i += 2;
          for (;;) {
            const ch = sql.charCodeAt(i);
            if (isDigit(ch)) i++;
            else if (ch === DIGIT_SEPARATOR) { sep = true; i++; }
            else break;
          }
        }
      }
    }
    if (isIdChar(sql.charCodeAt(i))) {
      type = TK_ILLEGAL;
      while (isIdChar(sql.charCodeAt(i))) i++;
    }
    this.end = i;
    this.hasSeparator = sep;
    return type;
  }

  private scanBlob(pos: number): number {
    const sql = this.sql;
    const n = sql.length;
    let i = pos + 2;
    while (isHexDigit(sql.charCodeAt(i))) i++;
    let type = TK_BLOB;
    if (sql.charCodeAt(i) !== 39 || (i - pos) % 2 === 1) {
      type = TK_ILLEGAL;
      while (i < n) {
        const ch = sql.charCodeAt(i);
        if (ch === 0 || ch === 39) break;
        i++;
      }
    }
    if (i < n && sql.charCodeAt(i) !== 0) i++;
    this.end = i;
    return type;
  }
}
