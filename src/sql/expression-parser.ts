/**
 * ExpressionParser: expressions and the small clauses built from them
 * (type names, sort lists, window specifications), with SQLite's exact
 * operator precedence, lowest to highest:
 *
 *   OR; AND; NOT (prefix); = == != <> IS [NOT] IN LIKE GLOB MATCH REGEXP
 *   BETWEEN ISNULL NOTNULL NOT NULL; < <= > >=; & | << >>; + -; * / %;
 *   || -> ->>; COLLATE; unary - + ~.
 *
 * Binary operators are left-associative. A prefix NOT takes everything above
 * AND as its operand (`NOT a = b` is `NOT (a = b)`); unary - + ~ take only a
 * primary (`-a COLLATE x` is `(-a) COLLATE x`). It also numbers parameters
 * as SQLite does and enforces SQLite's parse-time limits: expression height
 * at most 1000 ("Expression tree is too large (maximum depth 1000)") and
 * nesting ("Recursion limit").
 *
 * Subqueries are parsed by the subclass (`parseSelect`).
 */

import type {
  BinaryOperator, CaseWhen, CurrentTime, Expr, FrameBound, FunctionCall, Identifier, Literal,
  OrderingTerm, SelectStmt, TypeName, WindowFrame, WindowSpec,
} from './ast.js';
import {
  TokenCursor, isIdjToken, isIdsToken, isNameToken, parseError,
} from './token-cursor.js';
import {
  TK_ABORT, TK_ALL, TK_AND, TK_AS, TK_ASC, TK_BETWEEN, TK_BITAND, TK_BITNOT, TK_BITOR,
  TK_BLOB, TK_BY, TK_CASE, TK_CAST, TK_COLLATE, TK_COMMA, TK_CONCAT, TK_CTIME_KW,
  TK_CURRENT, TK_DESC, TK_DISTINCT, TK_DOT, TK_ELSE, TK_END, TK_EQ, TK_ESCAPE, TK_EXCLUDE,
  TK_EXISTS, TK_FAIL, TK_FILTER, TK_FIRST, TK_FLOAT, TK_FOLLOWING, TK_FROM, TK_GE,
  TK_GROUP, TK_GROUPS, TK_GT, TK_IGNORE, TK_IN, TK_INTEGER, TK_IS,
  TK_ISNULL, TK_LAST, TK_LE, TK_LIKE_KW, TK_LP, TK_LSHIFT, TK_LT, TK_MATCH, TK_MINUS,
  TK_NE, TK_NO, TK_NOT, TK_NOTNULL, TK_NULL, TK_NULLS, TK_OR, TK_ORDER, TK_OTHERS,
  TK_OVER, TK_PARTITION, TK_PLUS, TK_PRECEDING, TK_PTR, TK_RAISE, TK_RANGE, TK_REM,
  TK_ROLLBACK, TK_ROW, TK_ROWS, TK_RP, TK_RSHIFT, TK_SELECT, TK_SLASH, TK_STAR,
  TK_STRING, TK_THEN, TK_TIES, TK_UNBOUNDED, TK_VALUES, TK_VARIABLE, TK_WHEN, TK_WHERE,
  TK_WITH,
} from './tokens.js';

const P_OR = 1;
const P_AND = 2;
const P_NOT = 3;
const P_EQ = 4;
const P_CMP = 5;
const P_BIT = 7;
const P_ADD = 8;
const P_MUL = 9;
const P_CONCAT = 10;
const P_COLLATE = 11;

/** SQLITE_MAX_EXPR_DEPTH. */
const MAX_EXPR_HEIGHT = 1000;
/**
 * SQLite's parser gives up ("Recursion limit") when its LALR stack would
 * exceed its depth limit. Nesting is charged here in units of that stack, per
 * construct, as measured against SQLite: a parenthesis or prefix operator 1,
 * a function call 3, an IN list 3, CASE 5, a scalar subquery 5, EXISTS 6, a
 * parenthesised FROM item 2, a FROM subquery 6. (Plain parentheses nested
 * over about 1700 deep exhaust the JS stack first; parser.ts reports that as
 * the same error.)
 */
const MAX_NESTING = 2493;
const NEST_OPERAND = 1;
export const NEST_SELECT = 4;
export const NEST_FROM_ITEM = 2;
const NEST_FUNCTION_ARGS = 2;
const NEST_IN_LIST = 3;
const NEST_CASE = 4;
const NEST_EXISTS = 1;
/** SQLITE_MAX_VARIABLE_NUMBER. */
const MAX_VARIABLE_NUMBER = 32766;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

export abstract class ExpressionParser extends TokenCursor {
  /** Height of the expression most recently returned by a parse method. */
  protected h = 0;
  /** Greatest expression height seen in the SELECT being parsed (SQLite's heightOfSelect). */
  protected selectHeight = 0;
  private nesting = 0;

  /** Parameters of the statement being parsed. */
  protected parameterCount = 0;
  protected readonly parameterNames: (string | null)[] = [];
  private readonly parameterIndex = new Map<string, number>();

  /** Forgets everything about the previous statement. */
  protected resetExpressionState(): void {
    this.h = 0;
    this.selectHeight = 0;
    this.nesting = 0;
    this.parameterCount = 0;
    this.parameterNames.length = 0;
    if (this.parameterIndex.size > 0) this.parameterIndex.clear();
  }

  /** Parses a SELECT statement (with optional WITH prefix) at the current token. */
  protected abstract parseSelect(): SelectStmt;

  /** True if the current token starts a SELECT (SELECT, VALUES or WITH). */
  protected atSelectStart(): boolean {
    const t = this.t;
    return t === TK_SELECT || t === TK_VALUES || t === TK_WITH;
  }

  protected enterNesting(weight: number): void {
    this.nesting += weight;
    if (this.nesting > MAX_NESTING) throw parseError('Recursion limit');
  }

  protected leaveNesting(weight: number): void {
    this.nesting -= weight;
  }

  /** Records the height of a composite node built from children of height `childHeight`. */
  private setHeight(childHeight: number): void {
    const h = childHeight + 1;
    if (h > MAX_EXPR_HEIGHT) {
      throw parseError(`Expression tree is too large (maximum depth ${MAX_EXPR_HEIGHT})`);
    }
    this.h = h;
  }

  // -------------------------------------------------------------------------
  // Expressions

  /** Parses an expression whose operators all bind at least as tightly as `minPrec`. */
  protected parseExpr(minPrec = P_OR): Expr {
    let left = this.parsePrefixed();
    let leftHeight = this.h;
    const start = left.start;
    for (;;) {
      const t = this.t;
      let prec: number;
      switch (t) {
        case TK_OR: prec = P_OR; break;
        case TK_AND: prec = P_AND; break;
        case TK_EQ: case TK_NE: case TK_IS: case TK_ISNULL: case TK_NOTNULL:
        case TK_LIKE_KW: case TK_MATCH: case TK_BETWEEN: case TK_IN: case TK_NOT:
          prec = P_EQ; break;
        case TK_LT: case TK_LE: case TK_GT: case TK_GE: prec = P_CMP; break;
        case TK_BITAND: case TK_BITOR: case TK_LSHIFT: case TK_RSHIFT: prec = P_BIT; break;
        case TK_PLUS: case TK_MINUS: prec = P_ADD; break;
        case TK_STAR: case TK_SLASH: case TK_REM: prec = P_MUL; break;
        case TK_CONCAT: case TK_PTR: prec = P_CONCAT; break;
        case TK_COLLATE: prec = P_COLLATE; break;
        default: prec = 0;
      }
      if (prec < minPrec || prec === 0) break;
      left = this.parseOperatorTail(left, leftHeight, start, t);
      leftHeight = this.h;
    }
    this.h = leftHeight;
    if (leftHeight > this.selectHeight) this.selectHeight = leftHeight;
    return left;
  }

  /** Parses the operator at the current token and its right-hand side, with `left` already parsed. */
  private parseOperatorTail(left: Expr, leftHeight: number, start: number, t: number): Expr {
    const opText = this.tokenText();
    this.advance();
    switch (t) {
      case TK_COLLATE: {
        if (!isIdsToken(this.t)) this.syntaxError();
        const collation = this.takeIdentifier();
        this.setHeight(leftHeight);
        return { kind: 'Collate', expr: left, collation, start, end: this.lastEnd };
      }
      case TK_ISNULL:
      case TK_NOTNULL:
        this.setHeight(leftHeight);
        return { kind: 'NullTest', not: t === TK_NOTNULL, expr: left, start, end: this.lastEnd };
      case TK_IS: {
        let op: BinaryOperator = 'IS';
        if (this.accept(TK_NOT)) {
          if (this.accept(TK_DISTINCT)) this.expect(TK_FROM);
          else op = 'IS NOT';
        } else if (this.accept(TK_DISTINCT)) {
          this.expect(TK_FROM);
          op = 'IS NOT';
        }
        const right = this.parseExpr(P_EQ + 1);
        this.setHeight(Math.max(leftHeight, this.h));
        if (right.kind === 'Literal' && right.type === 'null') {
          return { kind: 'NullTest', not: op === 'IS NOT', expr: left, start, end: this.lastEnd };
        }
        return { kind: 'Binary', op, left, right, start, end: this.lastEnd };
      }
      case TK_NOT: {
        const next = this.t;
        if (next === TK_NULL) {
          this.advance();
          this.setHeight(leftHeight);
          return { kind: 'NullTest', not: true, expr: left, start, end: this.lastEnd };
        }
        if (next === TK_LIKE_KW || next === TK_MATCH) return this.parseLike(left, leftHeight, start, true);
        if (next === TK_BETWEEN) {
          this.advance();
          return this.parseBetween(left, leftHeight, start, true);
        }
        if (next === TK_IN) {
          this.advance();
          return this.parseIn(left, leftHeight, start, true);
        }
        return this.syntaxError();
      }
      case TK_LIKE_KW:
      case TK_MATCH:
        return this.parseLikeAfterOperator(left, leftHeight, start, false, opText);
      case TK_BETWEEN:
        return this.parseBetween(left, leftHeight, start, false);
      case TK_IN:
        return this.parseIn(left, leftHeight, start, false);
      default: {
        const op = binaryOperator(t, opText);
        const right = this.parseExpr(binaryPrecedence(t) + 1);
        this.setHeight(Math.max(leftHeight, this.h));
        return { kind: 'Binary', op, left, right, start, end: this.lastEnd };
      }
    }
  }

  private parseLike(left: Expr, leftHeight: number, start: number, not: boolean): Expr {
    const opText = this.tokenText();
    this.advance();
    return this.parseLikeAfterOperator(left, leftHeight, start, not, opText);
  }

  private parseLikeAfterOperator(left: Expr, leftHeight: number, start: number, not: boolean, opText: string): Expr {
    const op = opText.toUpperCase() as 'LIKE' | 'GLOB' | 'MATCH' | 'REGEXP';
    const right = this.parseExpr(P_EQ + 1);
    let h = Math.max(leftHeight, this.h);
    let escape: Expr | null = null;
    if (this.accept(TK_ESCAPE)) {
      escape = this.parseExpr(P_EQ + 1);
      h = Math.max(h, this.h);
    }
    this.setHeight(not ? h + 1 : h);
    return { kind: 'Like', op, not, left, right, escape, start, end: this.lastEnd };
  }

  /**
   * `x BETWEEN low AND high`. The AND that ends `low` is the BETWEEN's; an
   * OR inside `low` makes SQLite's parser take the following ANDs into the
   * OR's right-hand side, which this reproduces (such input never parses).
   */
  private parseBetween(left: Expr, leftHeight: number, start: number, not: boolean): Expr {
    let low = this.parseExpr(P_NOT);
    let lowHeight = this.h;
    while (this.t === TK_OR) {
      this.advance();
      const right = this.parseExpr(P_AND);
      this.setHeight(Math.max(lowHeight, this.h));
      low = { kind: 'Binary', op: 'OR', left: low, right, start: low.start, end: this.lastEnd };
      lowHeight = this.h;
    }
    this.expect(TK_AND);
    const high = this.parseExpr(P_EQ + 1);
    const h = Math.max(leftHeight, lowHeight, this.h);
    this.setHeight(not ? h + 1 : h);
    return { kind: 'Between', not, expr: left, low, high, start, end: this.lastEnd };
  }

  private parseIn(left: Expr, leftHeight: number, start: number, not: boolean): Expr {
    this.enterNesting(NEST_IN_LIST);
    const result = this.parseInTarget(left, leftHeight, start, not);
    this.leaveNesting(NEST_IN_LIST);
    return result;
  }

  private parseInTarget(left: Expr, leftHeight: number, start: number, not: boolean): Expr {
    if (this.t === TK_LP) {
      this.advance();
      if (this.atSelectStart()) {
        const select = this.parseSubquerySelect();
        this.expect(TK_RP);
        this.setHeight(Math.max(leftHeight, this.h));
        return { kind: 'InSelect', not, expr: left, select, start, end: this.lastEnd };
      }
      const list: Expr[] = [];
      let h = leftHeight;
      if (this.t !== TK_RP) {
        for (;;) {
          list.push(this.parseExpr());
          if (this.h > h) h = this.h;
          if (!this.accept(TK_COMMA)) break;
        }
      }
      this.expect(TK_RP);
      this.setHeight(not ? h + 1 : h);
      if (list.length === 1 && list[0].kind === 'Subquery') {
        return { kind: 'InSelect', not, expr: left, select: list[0].select, start, end: this.lastEnd };
      }
      return { kind: 'InList', not, expr: left, list, start, end: this.lastEnd };
    }
    let schema: Identifier | null = null;
    let table = this.parseName();
    if (this.accept(TK_DOT)) {
      schema = table;
      table = this.parseName();
    }
    let args: Expr[] | null = null;
    let h = leftHeight;
    if (this.accept(TK_LP)) {
      args = this.parseExprListUntil(TK_RP);
      if (this.h > h) h = this.h;
      this.expect(TK_RP);
    }
    this.setHeight(h);
    return { kind: 'InTable', not, expr: left, schema, table, args, start, end: this.lastEnd };
  }

  /** A possibly empty comma-separated list ending before `closer`; sets `h` to the greatest item height. */
  protected parseExprListUntil(closer: number): Expr[] {
    const list: Expr[] = [];
    let h = 0;
    if (this.t !== closer) {
      for (;;) {
        list.push(this.parseExpr());
        if (this.h > h) h = this.h;
        if (!this.accept(TK_COMMA)) break;
      }
    }
    this.h = h;
    return list;
  }

  /** A non-empty comma-separated expression list; sets `h` to the greatest item height. */
  protected parseNonEmptyExprList(): Expr[] {
    const list: Expr[] = [];
    let h = 0;
    for (;;) {
      list.push(this.parseExpr());
      if (this.h > h) h = this.h;
      if (!this.accept(TK_COMMA)) break;
    }
    this.h = h;
    return list;
  }

  /** A prefix operator applied to an operand, or a primary expression. */
  private parsePrefixed(): Expr {
    this.enterNesting(NEST_OPERAND);
    const t = this.t;
    const start = this.ts;
    let result: Expr;
    if (t === TK_MINUS || t === TK_PLUS || t === TK_BITNOT) {
      this.advance();
      const operand = this.parsePrefixed();
      this.setHeight(this.h);
      result = { kind: 'Unary', op: t === TK_MINUS ? '-' : t === TK_PLUS ? '+' : '~', operand, start, end: this.lastEnd };
    } else if (t === TK_NOT) {
      this.advance();
      const operand = this.parseExpr(P_NOT);
      this.setHeight(this.h);
      result = { kind: 'Unary', op: 'NOT', operand, start, end: this.lastEnd };
    } else {
      result = this.parsePrimary();
    }
    this.leaveNesting(NEST_OPERAND);
    return result;
  }

  private parsePrimary(): Expr {
    const t = this.t;
    const start = this.ts;
    switch (t) {
      case TK_INTEGER:
      case TK_FLOAT:
        return this.parseNumber();
      case TK_STRING:
        if (this.peek(1) === TK_DOT) return this.parseColumnRef();
        return this.parseLiteral();
      case TK_BLOB:
      case TK_NULL:
        return this.parseLiteral();
      case TK_VARIABLE:
        return this.parseParameter();
      case TK_CTIME_KW:
        return this.parseCurrentTime();
      case TK_LP:
        return this.parseParenthesized();
      case TK_CAST: {
        this.advance();
        this.expect(TK_LP);
        const expr = this.parseExpr();
        const h = this.h;
        this.expect(TK_AS);
        const type = this.parseTypeName(false);
        this.expect(TK_RP);
        this.setHeight(h);
        return { kind: 'Cast', expr, type, start, end: this.lastEnd };
      }
      case TK_CASE: {
        this.enterNesting(NEST_CASE);
        const result = this.parseCase();
        this.leaveNesting(NEST_CASE);
        return result;
      }
      case TK_EXISTS: {
        this.advance();
        this.expect(TK_LP);
        this.enterNesting(NEST_EXISTS);
        const select = this.parseSubquerySelect();
        this.leaveNesting(NEST_EXISTS);
        this.expect(TK_RP);
        this.setHeight(this.h);
        return { kind: 'Exists', select, start, end: this.lastEnd };
      }
      case TK_RAISE:
        return this.parseRaise();
      default:
        if (isIdjToken(t)) {
          const next = this.peek(1);
          if (next === TK_LP) return this.parseFunctionCall();
          return this.parseColumnRef();
        }
        return this.syntaxError();
    }
  }

  /** Parses a SELECT nested in an expression; `h` becomes the SELECT's height. */
  protected parseSubquerySelect(): SelectStmt {
    const outer = this.selectHeight;
    this.selectHeight = 0;
    this.enterNesting(NEST_SELECT);
    const select = this.parseSelect();
    this.leaveNesting(NEST_SELECT);
    this.h = this.selectHeight;
    this.selectHeight = outer;
    return select;
  }

  private parseParenthesized(): Expr {
    const start = this.ts;
    this.advance();
    if (this.atSelectStart()) {
      const select = this.parseSubquerySelect();
      this.expect(TK_RP);
      this.setHeight(this.h);
      return { kind: 'Subquery', select, start, end: this.lastEnd };
    }
    const first = this.parseExpr();
    if (this.t === TK_COMMA) {
      const items = [first];
      let h = this.h;
      while (this.accept(TK_COMMA)) {
        items.push(this.parseExpr());
        if (this.h > h) h = this.h;
      }
      this.expect(TK_RP);
      this.setHeight(h);
      return { kind: 'Vector', items, start, end: this.lastEnd };
    }
    this.expect(TK_RP);
    first.start = start;
    first.end = this.lastEnd;
    return first;
  }

  /**
   * SQLite's `term`: a single literal token (number, string, blob, NULL) or
   * CURRENT_*; null when the current token is none of these.
   */
  protected parseTerm(): Literal | CurrentTime | null {
    switch (this.t) {
      case TK_INTEGER:
      case TK_FLOAT:
        return this.parseNumber();
      case TK_STRING:
      case TK_BLOB:
      case TK_NULL:
        return this.parseLiteral();
      case TK_CTIME_KW:
        return this.parseCurrentTime();
      default:
        return null;
    }
  }

  private parseCurrentTime(): CurrentTime {
    const start = this.ts;
    const keyword = this.tokenText().toUpperCase() as CurrentTime['keyword'];
    this.advance();
    this.h = 1;
    return { kind: 'CurrentTime', keyword, start, end: this.lastEnd };
  }

  private parseNumber(): Literal {
    const start = this.ts;
    const end = this.te;
    const text = this.sql.slice(start, end);
    let type: 'integer' | 'float' = this.t === TK_INTEGER ? 'integer' : 'float';
    let value = text;
    const separated = this.tSeparator;
    this.advance();
    if (separated) {
      const dequoted = dequoteNumber(text);
      if (typeof dequoted === 'string') {
        this.deferError(parseError(`unrecognized token: "${dequoted}"`));
      } else {
        value = dequoted.value;
        type = dequoted.isFloat ? 'float' : 'integer';
      }
    }
    this.h = 1;
    return { kind: 'Literal', type, text, value, start, end };
  }

  private parseLiteral(): Literal {
    const start = this.ts;
    const end = this.te;
    const text = this.sql.slice(start, end);
    const t = this.t;
    this.advance();
    this.h = 1;
    if (t === TK_STRING) {
      const inner = text.slice(1, -1);
      const value = inner.includes("''") ? inner.split("''").join("'") : inner;
      return { kind: 'Literal', type: 'string', text, value, start, end };
    }
    if (t === TK_BLOB) return { kind: 'Literal', type: 'blob', text, value: text.slice(2, -1), start, end };
    return { kind: 'Literal', type: 'null', text, value: 'NULL', start, end };
  }

  private parseParameter(): Expr {
    const start = this.ts;
    const end = this.te;
    const text = this.sql.slice(start, end);
    const c0 = text.charCodeAt(0);
    this.advance();
    let index = 0;
    let name: string | null = text;
    if (c0 === 35 && isDigitCode(text.charCodeAt(1))) {
      this.deferError(parseError(`near "${text}": syntax error`));
    } else if (c0 === 63) {
      if (text.length === 1) {
        index = ++this.parameterCount;
        name = null;
        if (index > MAX_VARIABLE_NUMBER) this.deferError(parseError('too many SQL variables'));
      } else {
        index = text.length > 12 ? 0 : Number(text.slice(1));
        if (index < 1 || index > MAX_VARIABLE_NUMBER) {
          this.deferError(parseError(`variable number must be between ?1 and ?${MAX_VARIABLE_NUMBER}`));
        } else {
          if (index > this.parameterCount) this.parameterCount = index;
          if (this.parameterNames[index - 1] == null) this.parameterNames[index - 1] = text;
        }
      }
    } else {
      const known = this.parameterIndex.get(text);
      if (known !== undefined) {
        index = known;
      } else {
        index = ++this.parameterCount;
        if (index > MAX_VARIABLE_NUMBER) this.deferError(parseError('too many SQL variables'));
        this.parameterIndex.set(text, index);
        this.parameterNames[index - 1] = text;
      }
    }
    this.h = 1;
    return { kind: 'Parameter', text, index, name, start, end };
  }

  /** `name`, `table.name` or `schema.table.name` (each part `nm`). */
  private parseColumnRef(): Expr {
    const start = this.ts;
    const first = this.takeIdentifier();
    if (this.t !== TK_DOT) {
      this.h = 1;
      return { kind: 'ColumnRef', schema: null, table: null, column: first, start, end: this.lastEnd };
    }
    this.advance();
    const second = this.parseName();
    if (this.t !== TK_DOT) {
      this.h = 2;
      return { kind: 'ColumnRef', schema: null, table: first, column: second, start, end: this.lastEnd };
    }
    this.advance();
    const third = this.parseName();
    this.h = 3;
    return { kind: 'ColumnRef', schema: first, table: second, column: third, start, end: this.lastEnd };
  }

  private parseCase(): Expr {
    const start = this.ts;
    this.advance();
    let operand: Expr | null = null;
    let h = 0;
    if (this.t !== TK_WHEN) {
      operand = this.parseExpr();
      h = this.h;
    }
    const whens: CaseWhen[] = [];
    do {
      const whenStart = this.ts;
      this.expect(TK_WHEN);
      const when = this.parseExpr();
      if (this.h > h) h = this.h;
      this.expect(TK_THEN);
      const then = this.parseExpr();
      if (this.h > h) h = this.h;
      whens.push({ kind: 'CaseWhen', when, then, start: whenStart, end: this.lastEnd });
    } while (this.t === TK_WHEN);
    let elseExpr: Expr | null = null;
    if (this.accept(TK_ELSE)) {
      elseExpr = this.parseExpr();
      if (this.h > h) h = this.h;
    }
    this.expect(TK_END);
    this.setHeight(h);
    return { kind: 'Case', operand, whens, else: elseExpr, start, end: this.lastEnd };
  }

  private parseRaise(): Expr {
    const start = this.ts;
    this.advance();
    this.expect(TK_LP);
    const t = this.t;
    if (t === TK_IGNORE) {
      this.advance();
      this.expect(TK_RP);
      this.h = 1;
      return { kind: 'Raise', action: 'IGNORE', message: null, start, end: this.lastEnd };
    }
    if (t !== TK_ROLLBACK && t !== TK_ABORT && t !== TK_FAIL) this.syntaxError();
    const action = t === TK_ROLLBACK ? 'ROLLBACK' : t === TK_ABORT ? 'ABORT' : 'FAIL';
    this.advance();
    this.expect(TK_COMMA);
    const message = this.parseExpr();
    this.expect(TK_RP);
    this.setHeight(this.h);
    return { kind: 'Raise', action, message, start, end: this.lastEnd };
  }

  private parseFunctionCall(): FunctionCall {
    const start = this.ts;
    const name = this.takeIdentifier();
    this.advance(); // (
    this.enterNesting(NEST_FUNCTION_ARGS);
    let quantifier: 'DISTINCT' | 'ALL' | null = null;
    let star = false;
    let args: Expr[] = [];
    let orderBy: OrderingTerm[] | null = null;
    let h = 0;
    if (this.t === TK_STAR) {
      this.advance();
      star = true;
    } else {
      if (this.t === TK_DISTINCT || this.t === TK_ALL) {
        quantifier = this.t === TK_DISTINCT ? 'DISTINCT' : 'ALL';
        this.advance();
      }
      if (this.t !== TK_ORDER) {
        args = this.parseExprListUntil(TK_RP);
        h = this.h;
      }
      if (this.t === TK_ORDER) {
        this.advance();
        this.expect(TK_BY);
        orderBy = this.parseSortList();
        if (this.h > h) h = this.h;
      }
    }
    this.expect(TK_RP);
    this.leaveNesting(NEST_FUNCTION_ARGS);
    let filter: Expr | null = null;
    if (this.t === TK_FILTER) {
      this.advance();
      this.expect(TK_LP);
      this.expect(TK_WHERE);
      filter = this.parseExpr();
      if (this.h > h) h = this.h;
      this.expect(TK_RP);
    }
    let over: WindowSpec | Identifier | null = null;
    if (this.t === TK_OVER) {
      this.advance();
      if (this.t === TK_LP) {
        const overStart = this.ts;
        this.advance();
        over = this.parseWindowBody(overStart);
        this.expect(TK_RP);
        over.end = this.lastEnd;
      } else {
        over = this.parseName();
      }
      if (quantifier === 'DISTINCT') throw parseError('DISTINCT is not supported for window functions');
    }
    this.setHeight(h);
    return { kind: 'FunctionCall', name, quantifier, star, args, orderBy, filter, over, start, end: this.lastEnd };
  }

  // -------------------------------------------------------------------------
  // Clauses built from expressions

  /**
   * `typetoken`: a type name of one or more name tokens, optionally with one
   * or two signed numbers in parentheses. Returns null when no type is written.
   *
   * SQLite's parser takes `GENERATED ALWAYS` of a generated column into the
   * type name (both words can stand for identifiers there), and its column
   * builder then cuts a trailing `GENERATED ALWAYS` off the type. In a column
   * definition (`inColumnDef`) this does the same, so `a INT GENERATED ALWAYS
   * AS (1)` has type `INT` followed by an `AS (1)` constraint.
   */
  protected parseTypeName(inColumnDef: boolean): TypeName | null {
    if (!isIdsToken(this.t)) return null;
    const start = this.ts;
    do {
      this.advance();
    } while (isIdsToken(this.t));
    let nameEnd = this.lastEnd;
    const args: string[] = [];
    if (this.accept(TK_LP)) {
      args.push(this.parseSignedNumber());
      if (this.accept(TK_COMMA)) args.push(this.parseSignedNumber());
      this.expect(TK_RP);
    } else if (inColumnDef) {
      nameEnd = stripGeneratedAlways(this.sql, start, nameEnd);
      if (nameEnd === start) return null;
    }
    const end = args.length > 0 ? this.lastEnd : nameEnd;
    const text = this.sql.slice(start, end);
    return { kind: 'TypeName', text, name: this.sql.slice(start, nameEnd), args, start, end };
  }

  /** `[+|-] number` as written. */
  protected parseSignedNumber(): string {
    const start = this.ts;
    if (this.t === TK_PLUS || this.t === TK_MINUS) this.advance();
    if ((this.t !== TK_INTEGER && this.t !== TK_FLOAT) || this.tSeparator) this.syntaxError();
    this.advance();
    return this.sql.slice(start, this.lastEnd);
  }

  /** `expr [ASC|DESC] [NULLS FIRST|LAST], ...`; sets `h` to the greatest expression height. */
  protected parseSortList(): OrderingTerm[] {
    const terms: OrderingTerm[] = [];
    let h = 0;
    for (;;) {
      const expr = this.parseExpr();
      if (this.h > h) h = this.h;
      let direction: 'ASC' | 'DESC' | null = null;
      if (this.t === TK_ASC || this.t === TK_DESC) {
        direction = this.t === TK_ASC ? 'ASC' : 'DESC';
        this.advance();
      }
      let nulls: 'FIRST' | 'LAST' | null = null;
      if (this.accept(TK_NULLS)) {
        if (this.t !== TK_FIRST && this.t !== TK_LAST) this.syntaxError();
        nulls = this.t === TK_FIRST ? 'FIRST' : 'LAST';
        this.advance();
      }
      terms.push({ kind: 'OrderingTerm', expr, direction, nulls, start: expr.start, end: this.lastEnd });
      if (!this.accept(TK_COMMA)) break;
    }
    this.h = h;
    return terms;
  }

  /** The inside of `OVER (...)` or `AS (...)`: `[base] [PARTITION BY ...] [ORDER BY ...] [frame]`. */
  protected parseWindowBody(start: number): WindowSpec {
    let base: Identifier | null = null;
    const t = this.t;
    if (isNameToken(t) && t !== TK_PARTITION && t !== TK_RANGE && t !== TK_ROWS && t !== TK_GROUPS) {
      base = this.takeIdentifier();
    }
    let partitionBy: Expr[] | null = null;
    if (this.t === TK_PARTITION) {
      this.advance();
      this.expect(TK_BY);
      partitionBy = this.parseNonEmptyExprList();
    }
    let orderBy: OrderingTerm[] | null = null;
    if (this.t === TK_ORDER) {
      this.advance();
      this.expect(TK_BY);
      orderBy = this.parseSortList();
    }
    let frame: WindowFrame | null = null;
    if (this.t === TK_RANGE || this.t === TK_ROWS || this.t === TK_GROUPS) frame = this.parseFrame();
    return { kind: 'WindowSpec', base, partitionBy, orderBy, frame, start, end: this.lastEnd };
  }

  private parseFrame(): WindowFrame {
    const start = this.ts;
    const units = this.t === TK_RANGE ? 'RANGE' : this.t === TK_ROWS ? 'ROWS' : 'GROUPS';
    this.advance();
    let frameStart: FrameBound;
    let frameEnd: FrameBound | null = null;
    if (this.accept(TK_BETWEEN)) {
      frameStart = this.parseFrameBound(true);
      this.expect(TK_AND);
      frameEnd = this.parseFrameBound(false);
    } else {
      frameStart = this.parseFrameBound(true);
    }
    let exclude: WindowFrame['exclude'] = null;
    if (this.accept(TK_EXCLUDE)) {
      const e = this.t;
      if (e === TK_NO) {
        this.advance();
        this.expect(TK_OTHERS);
        exclude = 'NO OTHERS';
      } else if (e === TK_CURRENT) {
        this.advance();
        this.expect(TK_ROW);
        exclude = 'CURRENT ROW';
      } else if (e === TK_GROUP || e === TK_TIES) {
        this.advance();
        exclude = e === TK_GROUP ? 'GROUP' : 'TIES';
      } else {
        this.syntaxError();
      }
    }
    if (this.t !== TK_RP) this.syntaxError();
    const s = frameStart.type;
    const e = frameEnd === null ? 'CURRENT ROW' : frameEnd.type;
    if ((s === 'CURRENT ROW' && e === 'PRECEDING') || (s === 'FOLLOWING' && (e === 'PRECEDING' || e === 'CURRENT ROW'))) {
      throw parseError('unsupported frame specification');
    }
    return { kind: 'WindowFrame', units, startBound: frameStart, endBound: frameEnd, exclude, start, end: this.lastEnd };
  }

  private parseFrameBound(isStart: boolean): FrameBound {
    const start = this.ts;
    if (this.t === TK_UNBOUNDED) {
      this.advance();
      this.expect(isStart ? TK_PRECEDING : TK_FOLLOWING);
      return { kind: 'FrameBound', type: isStart ? 'UNBOUNDED PRECEDING' : 'UNBOUNDED FOLLOWING', expr: null, start, end: this.lastEnd };
    }
    if (this.t === TK_CURRENT) {
      this.advance();
      this.expect(TK_ROW);
      return { kind: 'FrameBound', type: 'CURRENT ROW', expr: null, start, end: this.lastEnd };
    }
    const expr = this.parseExpr();
    if (this.t !== TK_PRECEDING && this.t !== TK_FOLLOWING) this.syntaxError();
    const type = this.t === TK_PRECEDING ? 'PRECEDING' : 'FOLLOWING';
    this.advance();
    return { kind: 'FrameBound', type, expr, start, end: this.lastEnd };
  }
}

function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** sqlite3AddColumn's trimming of a trailing `GENERATED ALWAYS` from `sql[start, end)`; returns the new end. */
function stripGeneratedAlways(sql: string, start: number, end: number): number {
  if (end - start < 16 || sql.slice(end - 6, end).toLowerCase() !== 'always') return end;
  let e = end - 6;
  while (e > start && isSpaceCode(sql.charCodeAt(e - 1))) e--;
  if (e - start >= 9 && sql.slice(e - 9, e).toLowerCase() === 'generated') {
    e -= 9;
    while (e > start && isSpaceCode(sql.charCodeAt(e - 1))) e--;
  }
  return e;
}

function binaryPrecedence(t: number): number {
  switch (t) {
    case TK_OR: return P_OR;
    case TK_AND: return P_AND;
    case TK_EQ: case TK_NE: return P_EQ;
    case TK_LT: case TK_LE: case TK_GT: case TK_GE: return P_CMP;
    case TK_BITAND: case TK_BITOR: case TK_LSHIFT: case TK_RSHIFT: return P_BIT;
    case TK_PLUS: case TK_MINUS: return P_ADD;
    case TK_STAR: case TK_SLASH: case TK_REM: return P_MUL;
    default: return P_CONCAT;
  }
}

function binaryOperator(t: number, text: string): BinaryOperator {
  switch (t) {
    case TK_OR: return 'OR';
    case TK_AND: return 'AND';
    case TK_EQ: return '=';
    case TK_NE: return '!=';
    case TK_LT: return '<';
    case TK_LE: return '<=';
    case TK_GT: return '>';
    case TK_GE: return '>=';
    case TK_BITAND: return '&';
    case TK_BITOR: return '|';
    case TK_LSHIFT: return '<<';
    case TK_RSHIFT: return '>>';
    case TK_PLUS: return '+';
    case TK_MINUS: return '-';
    case TK_STAR: return '*';
    case TK_SLASH: return '/';
    case TK_REM: return '%';
    case TK_CONCAT: return '||';
    default: return text === '->>' ? '->>' : '->';
  }
}

/**
 * Removes `_` digit separators from a number token the way SQLite's
 * sqlite3DequoteNumber does, including its error: a separator must sit
 * between two digits (hex digits in a hex literal). SQLite rewrites the
 * token in place while checking, so its message shows the partly rewritten
 * text; this reproduces that. Returns that text when a separator is misplaced.
 */
function dequoteNumber(text: string): { value: string; isFloat: boolean } | string {
  const buf = text.split('');
  const hex = text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 0x20) === 120;
  let out = 0;
  let isFloat = false;
  let error: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '_') {
      buf[out++] = c;
      if (!hex && (c === 'e' || c === 'E' || c === '.')) isFloat = true;
    } else {
      const before = i > 0 ? buf[i - 1].charCodeAt(0) : NaN;
      const after = i + 1 < text.length ? text.charCodeAt(i + 1) : NaN;
      const ok = hex ? isHexCode(before) && isHexCode(after) : isDigitCode(before) && isDigitCode(after);
      if (!ok) error = buf.join('');
    }
  }
  if (error !== null) return error;
  return { value: buf.slice(0, out).join(''), isFloat };
}
