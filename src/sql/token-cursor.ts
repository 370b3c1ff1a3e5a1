/**
 * TokenCursor: the parser's view of the token stream, plus SQLite's error
 * reporting rules.
 *
 * It lexes lazily into a small buffer so the parser can look a few tokens
 * ahead without the lexer running past the statement being parsed. The
 * current token is kept in `t` (type), `ts`/`te` (start/end). Errors follow
 * SQLite exactly:
 * - moving onto a malformed token throws `unrecognized token: "<text>"`
 *   (looking ahead at one does not: SQLite reports a syntax error in an
 *   earlier token first);
 * - `syntaxError()` throws `near "<token>": syntax error`, or
 *   `incomplete input` when the offending token is the end of input.
 * All errors are `SqliteError`s with code SQLITE_ERROR.
 */

import { SqliteError } from '../sqlite-error.js';
import type { Identifier } from './ast.js';
import { Lexer } from './lexer.js';
import {
  TK_EOF, TK_ID, TK_ILLEGAL, TK_INDEXED, TK_JOIN_KW, TK_STRING, isFallbackKeyword,
} from './tokens.js';

/** An error of the parse phase, worded and coded as SQLite does. */
export function parseError(message: string): SqliteError {
  return new SqliteError(message, 'SQLITE_ERROR');
}

/** `nm` in SQLite's grammar: an identifier, a string, INDEXED, a join keyword or a fallback keyword. */
export function isNameToken(t: number): boolean {
  return t === TK_ID || t === TK_STRING || t === TK_INDEXED || t === TK_JOIN_KW || isFallbackKeyword(t);
}

/** `ids`: an identifier, a string or a fallback keyword (aliases, type names, collation names). */
export function isIdsToken(t: number): boolean {
  return t === TK_ID || t === TK_STRING || isFallbackKeyword(t);
}

/** `idj`: a name usable as a column or function name in an expression. */
export function isIdjToken(t: number): boolean {
  return t === TK_ID || t === TK_INDEXED || t === TK_JOIN_KW || isFallbackKeyword(t);
}

/** `id`: an identifier, INDEXED or a fallback keyword. */
export function isIdToken(t: number): boolean {
  return t === TK_ID || t === TK_INDEXED || isFallbackKeyword(t);
}

/** Removes SQL quoting: `"a""b"` → `a"b`, `'x'` → `x`, `` `y` `` → `y`, `[z]` → `z`. */
export function dequote(text: string): string {
  const q = text.charCodeAt(0);
  if (q === 91) return text.slice(1, text.length - 1);
  if (q !== 34 && q !== 39 && q !== 96) return text;
  const inner = text.slice(1, text.length - 1);
  const quote = text[0];
  return inner.includes(quote) ? inner.split(quote + quote).join(quote) : inner;
}

export class TokenCursor {
  protected sql = '';
  private readonly lexer = new Lexer();
  // Lexed tokens of the statement being parsed; `count` of them are valid.
  private readonly types: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly separators: boolean[] = [];
  private count = 0;
  private index = 0;
  /** Current token: type, start, end, and whether a number token has `_` separators. */
  protected t = TK_EOF;
  protected ts = 0;
  protected te = 0;
  protected tSeparator = false;
  /** End of the last token moved past (the end of whatever was just parsed). */
  protected lastEnd = 0;
  /** An error SQLite raises only once the token after the offending one is accepted (see `deferError`). */
  private pending: SqliteError | null = null;

  /** Starts reading `sql` at `offset`; throws if the first token is malformed. */
  protected resetCursor(sql: string, offset: number): void {
    this.sql = sql;
    this.lexer.reset(sql, offset);
    this.lastEnd = offset;
    this.count = 0;
    this.index = 0;
    this.pending = null;
    this.fill();
    this.load();
  }

  private fill(): void {
    const lx = this.lexer;
    const i = this.count++;
    this.types[i] = lx.next();
    this.starts[i] = lx.start;
    this.ends[i] = lx.end;
    this.separators[i] = lx.hasSeparator;
  }

  private load(): void {
    const i = this.index;
    this.t = this.types[i];
    this.ts = this.starts[i];
    this.te = this.ends[i];
    this.tSeparator = this.separators[i];
    if (this.t === TK_ILLEGAL) {
      throw parseError(`unrecognized token: "${this.sql.slice(this.ts, this.te)}"`);
    }
  }

  /** Moves to the next token; throws if it is malformed. Never moves past the end. */
  protected advance(): void {
    this.throwDeferred();
    if (this.t === TK_EOF) return;
    this.lastEnd = this.te;
    this.index++;
    if (this.index === this.count) this.fill();
    this.load();
  }

  /** The type of the token `k` places ahead (k ≥ 1). */
  protected peek(k: number): number {
    const i = this.index + k;
    while (this.count <= i) {
      if (this.types[this.count - 1] === TK_EOF) return TK_EOF;
      this.fill();
    }
    return this.types[i];
  }

  /**
   * Records an error about the token just moved past. SQLite raises such
   * errors in a grammar action that runs when the following token turns out
   * to fit, so a syntax error at the following token takes precedence: the
   * error is thrown when the parser moves past the current token or accepts
   * the end of the statement (`throwDeferred`).
   */
  protected deferError(error: SqliteError): void {
    if (this.pending === null) this.pending = error;
  }

  /** Throws the deferred error, if any. */
  protected throwDeferred(): void {
    if (this.pending !== null) throw this.pending;
  }

  /** Consumes the current token if it has type `type`. */
  protected accept(type: number): boolean {
    if (this.t !== type) return false;
    this.advance();
    return true;
  }

  /** Consumes a token of type `type` or reports a syntax error at the current token. */
  protected expect(type: number): void {
    if (this.t !== type) this.syntaxError();
    this.advance();
  }

  /** The source text of the current token. */
  protected tokenText(): string {
    return this.sql.slice(this.ts, this.te);
  }

  /** Throws SQLite's syntax error for the current token. */
  protected syntaxError(): never {
    if (this.t === TK_EOF) throw parseError('incomplete input');
    throw parseError(`near "${this.tokenText()}": syntax error`);
  }

  /** Consumes the current token as an Identifier (the caller has checked it is name-like). */
  protected takeIdentifier(): Identifier {
    const start = this.ts;
    const end = this.te;
    const raw = this.sql.slice(start, end);
    const c = raw.charCodeAt(0);
    const quoted = c === 34 || c === 39 || c === 96 || c === 91;
    this.advance();
    return { kind: 'Identifier', name: quoted ? dequote(raw) : raw, quoted, start, end };
  }

  /** Parses `nm` (any name-like token) or reports a syntax error. */
  protected parseName(): Identifier {
    if (!isNameToken(this.t)) this.syntaxError();
    return this.takeIdentifier();
  }
}
