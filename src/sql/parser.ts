/**
 * The SQL parser's entry points: text in, `ParsedStatement`s out.
 *
 * - `parseStatement(sql, offset)` is what `prepare()` needs: it skips empty
 *   statements (`;`), parses the first real one, and returns it with the
 *   offset just past its `;` (the tail). Like sqlite3_prepare, it reads no
 *   further than that `;`, so errors in later statements are not seen.
 * - `parseScript(sql)` parses every statement of a script in order, which
 *   is what `exec()` needs when it wants all of them up front; `exec()` that
 *   must run each statement before parsing the next uses `parseStatement`
 *   in a loop instead.
 *
 * Errors are `SqliteError`s (code SQLITE_ERROR) with SQLite's messages.
 */

import type { ParsedStatement } from './ast.js';
import { parseError } from './token-cursor.js';
import { StatementParser } from './statement-parser.js';
import { TK_EOF, TK_EXPLAIN, TK_PLAN, TK_QUERY, TK_SEMI } from './tokens.js';

export interface StatementParse {
  /** The statement, or null when only whitespace, comments and `;` remained. */
  statement: ParsedStatement | null;
  /** Offset just past the statement's `;`, or the end of input. */
  tail: number;
}

class ScriptParser extends StatementParser {
  parseOne(sql: string, offset: number): StatementParse {
    this.reset(sql, offset);
    while (this.t === TK_SEMI) this.advance();
    if (this.t === TK_EOF) return { statement: null, tail: this.ts };
    const start = this.ts;
    let explain: ParsedStatement['explain'] = null;
    if (this.t === TK_EXPLAIN) {
      this.advance();
      explain = 'EXPLAIN';
      if (this.accept(TK_QUERY)) {
        this.expect(TK_PLAN);
        explain = 'QUERY PLAN';
      }
    }
    const stmt = this.parseCommand();
    if (!this.atStatementEnd()) this.syntaxError();
    this.throwDeferred();
    const end = this.lastEnd;
    const tail = this.t === TK_SEMI ? this.te : this.ts;
    const parameterNames: (string | null)[] = [];
    for (let i = 0; i < this.parameterCount; i++) parameterNames.push(this.parameterNames[i] ?? null);
    const statement: ParsedStatement = {
      kind: 'ParsedStatement', explain, stmt, text: this.sql.slice(start, end),
      parameterCount: this.parameterCount, parameterNames, start, end,
    };
    return { statement, tail };
  }
}

// Parsing is synchronous and never re-entered, so one parser (and its token
// buffers) serves every call.
const parser = new ScriptParser();

/** Parses the first statement at or after `offset` (see the module comment). */
export function parseStatement(sql: string, offset = 0): StatementParse {
  try {
    return parser.parseOne(sql, offset);
  } catch (e) {
    // Deeply nested input (over about 1700 parentheses) can exhaust the JS
    // stack before SQLite's own nesting limit trips; report it the way SQLite
    // reports a too-deep parse.
    if (e instanceof RangeError && e.message.includes('call stack')) throw parseError('Recursion limit');
    throw e;
  }
}

/** Parses every statement of `sql`, in order. */
export function parseScript(sql: string): ParsedStatement[] {
  const statements: ParsedStatement[] = [];
  let offset = 0;
  for (;;) {
    const { statement, tail } = parseStatement(sql, offset);
    if (statement === null) return statements;
    statements.push(statement);
    offset = tail;
  }
}
