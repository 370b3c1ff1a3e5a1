/**
 * SelectParser: SELECT statements and their parts: WITH clauses, compound
 * operators, result columns, FROM lists with joins, VALUES, WINDOW, ORDER BY
 * and LIMIT, as SQLite's grammar (parse.y) accepts them.
 *
 * It reproduces SQLite's parse-time checks for SELECT: `unknown join type`,
 * `ORDER BY clause should come after UNION not before` (and the LIMIT
 * variant), `too many terms in compound SELECT`, and `syntax error after
 * column name` for COLLATE/ASC/DESC in a CTE column list. It also follows
 * SQLite in flattening a parenthesised FROM item that holds a single table
 * or subquery (the item takes the outer alias; an inner alias is dropped
 * unless the group is the first item and has no alias or join constraint).
 */

import type {
  CommonTableExpr, CompoundPart, Expr, FromItem, Identifier, JoinConstraint, JoinOperator,
  OrderingTerm, ResultColumn, SelectCore, SelectStmt, ValuesClause, WindowDefinition, WithClause,
} from './ast.js';
import { ExpressionParser, NEST_FROM_ITEM, NEST_SELECT } from './expression-parser.js';
import { isIdsToken, isNameToken, parseError } from './token-cursor.js';
import {
  TK_ALL, TK_AS, TK_ASC, TK_BY, TK_COLLATE, TK_COMMA, TK_DESC, TK_DISTINCT, TK_DOT, TK_EXCEPT,
  TK_FROM, TK_GROUP, TK_HAVING, TK_INDEXED, TK_INTERSECT, TK_JOIN, TK_JOIN_KW, TK_LIMIT,
  TK_LP, TK_MATERIALIZED, TK_NOT, TK_OFFSET, TK_ON, TK_ORDER, TK_RECURSIVE, TK_RP,
  TK_SELECT, TK_STAR, TK_UNION, TK_USING, TK_VALUES, TK_WHERE, TK_WINDOW, TK_WITH, TK_EOF, TK_SEMI,
  TK_RETURNING,
} from './tokens.js';

/** SQLITE_MAX_COMPOUND_SELECT. */
const MAX_COMPOUND_SELECT = 500;

/** One `SELECT ...` or `VALUES ...` of a compound, with the ORDER BY/LIMIT written after it. */
interface OneSelect {
  body: SelectCore | ValuesClause;
  orderBy: OrderingTerm[] | null;
  limit: Expr | null;
  offset: Expr | null;
}

const JT_INNER = 1;
const JT_CROSS = 2;
const JT_NATURAL = 4;
const JT_LEFT = 8;
const JT_RIGHT = 16;
const JT_OUTER = 32;
const JT_ERROR = 64;

const JOIN_WORDS: ReadonlyArray<readonly [string, number]> = [
  ['natural', JT_NATURAL],
  ['left', JT_LEFT | JT_OUTER],
  ['outer', JT_OUTER],
  ['right', JT_RIGHT | JT_OUTER],
  ['full', JT_LEFT | JT_RIGHT | JT_OUTER],
  ['inner', JT_INNER],
  ['cross', JT_INNER | JT_CROSS],
];

function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export abstract class SelectParser extends ExpressionParser {
  protected parseSelect(): SelectStmt {
    const start = this.ts;
    const withClause = this.t === TK_WITH ? this.parseWith() : null;
    return this.parseSelectBody(withClause, start);
  }

  /** The SELECT after its WITH clause (if any): compound parts, then ORDER BY and LIMIT. */
  protected parseSelectBody(withClause: WithClause | null, start: number): SelectStmt {
    const parts: OneSelect[] = [this.parseOneSelect()];
    const compounds: CompoundPart[] = [];
    for (;;) {
      const t = this.t;
      if (t !== TK_UNION && t !== TK_INTERSECT && t !== TK_EXCEPT) break;
      const opStart = this.ts;
      this.advance();
      let op: CompoundPart['op'] = t === TK_UNION ? 'UNION' : t === TK_INTERSECT ? 'INTERSECT' : 'EXCEPT';
      if (t === TK_UNION && this.accept(TK_ALL)) op = 'UNION ALL';
      const part = this.parseOneSelect();
      parts.push(part);
      compounds.push({ kind: 'CompoundPart', op, select: part.body, start: opStart, end: this.lastEnd });
    }
    for (let i = parts.length - 2; i >= 0; i--) {
      const p = parts[i];
      if (p.orderBy !== null || p.limit !== null) {
        throw parseError(`${p.orderBy !== null ? 'ORDER BY' : 'LIMIT'} clause should come after ${compounds[i].op} not before`);
      }
    }
    const last = parts[parts.length - 1];
    if (parts.length > MAX_COMPOUND_SELECT && last.body.kind !== 'Values') {
      throw parseError('too many terms in compound SELECT');
    }
    return {
      kind: 'Select', with: withClause, first: parts[0].body, compounds,
      orderBy: last.orderBy, limit: last.limit, offset: last.offset, start, end: this.lastEnd,
    };
  }

  /** `WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (select), ...`. */
  protected parseWith(): WithClause {
    const start = this.ts;
    this.advance();
    const recursive = this.accept(TK_RECURSIVE);
    const ctes: CommonTableExpr[] = [];
    do {
      const cteStart = this.ts;
      const name = this.parseName();
      const columns = this.t === TK_LP ? this.parseColumnNameList() : null;
      this.expect(TK_AS);
      let materialized: boolean | null = null;
      if (this.t === TK_NOT) {
        this.advance();
        this.expect(TK_MATERIALIZED);
        materialized = false;
      } else if (this.accept(TK_MATERIALIZED)) {
        materialized = true;
      }
      this.expect(TK_LP);
      const select = this.parseNestedSelect();
      this.expect(TK_RP);
      ctes.push({ kind: 'CommonTableExpr', name, columns, materialized, select, start: cteStart, end: this.lastEnd });
    } while (this.accept(TK_COMMA));
    return { kind: 'With', recursive, ctes, start, end: this.lastEnd };
  }

  /** A SELECT whose expressions do not count toward the enclosing SELECT's height (FROM items, CTEs, DDL bodies). */
  protected parseNestedSelect(): SelectStmt {
    const outer = this.selectHeight;
    this.selectHeight = 0;
    this.enterNesting(NEST_SELECT);
    const select = this.parseSelect();
    this.leaveNesting(NEST_SELECT);
    this.selectHeight = outer;
    return select;
  }

  /**
   * `(name [COLLATE x] [ASC|DESC], ...)`: SQLite's eidlist. COLLATE and
   * ASC/DESC are accepted by the grammar but rejected with SQLite's error.
   */
  protected parseColumnNameList(): Identifier[] {
    this.expect(TK_LP);
    const names: Identifier[] = [];
    do {
      const name = this.parseName();
      let decorated = false;
      if (this.accept(TK_COLLATE)) {
        if (!isIdsToken(this.t)) this.syntaxError();
        this.advance();
        decorated = true;
      }
      if (this.t === TK_ASC || this.t === TK_DESC) {
        this.advance();
        decorated = true;
      }
      if (decorated) {
        if (this.t !== TK_COMMA && this.t !== TK_RP) this.syntaxError();
        throw parseError(`syntax error after column name "${this.sql.slice(name.start, name.end)}"`);
      }
      names.push(name);
    } while (this.accept(TK_COMMA));
    this.expect(TK_RP);
    return names;
  }

  private parseOneSelect(): OneSelect {
    if (this.t === TK_VALUES) return { body: this.parseValues(), orderBy: null, limit: null, offset: null };
    const start = this.ts;
    this.expect(TK_SELECT);
    let quantifier: SelectCore['quantifier'] = null;
    if (this.t === TK_DISTINCT || this.t === TK_ALL) {
      quantifier = this.t === TK_DISTINCT ? 'DISTINCT' : 'ALL';
      this.advance();
    }
    const columns = this.parseResultColumns();
    let from: FromItem[] | null = null;
    if (this.accept(TK_FROM)) from = this.parseFromList();
    const where = this.accept(TK_WHERE) ? this.parseExpr() : null;
    let groupBy: Expr[] | null = null;
    if (this.t === TK_GROUP) {
      this.advance();
      this.expect(TK_BY);
      groupBy = this.parseNonEmptyExprList();
    }
    const having = this.accept(TK_HAVING) ? this.parseExpr() : null;
    const windows = this.t === TK_WINDOW ? this.parseWindowClause() : null;
    const body: SelectCore = {
      kind: 'SelectCore', quantifier, columns, from, where, groupBy, having, windows, start, end: this.lastEnd,
    };
    let orderBy: OrderingTerm[] | null = null;
    if (this.t === TK_ORDER) {
      this.advance();
      this.expect(TK_BY);
      orderBy = this.parseSortList();
    }
    const { limit, offset } = this.parseLimit();
    return { body, orderBy, limit, offset };
  }

  /** `[LIMIT expr [OFFSET expr | , expr]]`; `LIMIT a, b` means offset a, limit b. */
  protected parseLimit(): { limit: Expr | null; offset: Expr | null } {
    if (!this.accept(TK_LIMIT)) return { limit: null, offset: null };
    const first = this.parseExpr();
    if (this.accept(TK_OFFSET)) return { limit: first, offset: this.parseExpr() };
    if (this.accept(TK_COMMA)) return { limit: this.parseExpr(), offset: first };
    return { limit: first, offset: null };
  }

  private parseValues(): ValuesClause {
    const start = this.ts;
    this.advance();
    const rows: Expr[][] = [];
    do {
      this.expect(TK_LP);
      rows.push(this.parseNonEmptyExprList());
      this.expect(TK_RP);
    } while (this.accept(TK_COMMA));
    return { kind: 'Values', rows, start, end: this.lastEnd };
  }

  /** A result column list (SELECT or RETURNING). */
  protected parseResultColumns(): ResultColumn[] {
    const columns: ResultColumn[] = [];
    do {
      const start = this.ts;
      if (this.t === TK_STAR) {
        this.advance();
        columns.push({ kind: 'ResultStar', start, end: this.lastEnd });
        continue;
      }
      if (isNameToken(this.t) && this.peek(1) === TK_DOT && this.peek(2) === TK_STAR) {
        const table = this.takeIdentifier();
        this.advance();
        this.advance();
        columns.push({ kind: 'ResultTableStar', table, start, end: this.lastEnd });
        continue;
      }
      const expr = this.parseExpr();
      let nameEnd = this.ts;
      while (nameEnd > expr.end && isSpaceCode(this.sql.charCodeAt(nameEnd - 1))) nameEnd--;
      const alias = this.parseAlias();
      columns.push({ kind: 'ResultExpr', expr, alias, nameEnd, start, end: this.lastEnd });
    } while (this.accept(TK_COMMA));
    return columns;
  }

  /** `AS name`, a bare alias (`ids`), or nothing. */
  protected parseAlias(): Identifier | null {
    if (this.accept(TK_AS)) return this.parseName();
    if (isIdsToken(this.t)) return this.takeIdentifier();
    return null;
  }

  private parseWindowClause(): WindowDefinition[] {
    this.advance();
    const windows: WindowDefinition[] = [];
    do {
      const start = this.ts;
      const name = this.parseName();
      this.expect(TK_AS);
      const specStart = this.ts;
      this.expect(TK_LP);
      const spec = this.parseWindowBody(specStart);
      this.expect(TK_RP);
      spec.end = this.lastEnd;
      windows.push({ kind: 'WindowDefinition', name, spec, start, end: this.lastEnd });
    } while (this.accept(TK_COMMA));
    return windows;
  }

  // -------------------------------------------------------------------------
  // FROM

  protected parseFromList(): FromItem[] {
    const items: FromItem[] = [this.parseFromItem(null, true)];
    for (;;) {
      const join = this.parseJoinOperator();
      if (join === null) break;
      items.push(this.parseFromItem(join, false));
    }
    return items;
  }

  private parseJoinOperator(): JoinOperator | null {
    const start = this.ts;
    const t = this.t;
    if (t === TK_COMMA || t === TK_JOIN) {
      this.advance();
      return { kind: 'JoinOperator', comma: t === TK_COMMA, natural: false, type: 'INNER', start, end: this.lastEnd };
    }
    if (t !== TK_JOIN_KW) return null;
    const words: Array<[number, number]> = [];
    words.push([this.ts, this.te]);
    this.advance();
    while (this.t !== TK_JOIN) {
      if (words.length === 3 || !isNameToken(this.t)) this.syntaxError();
      words.push([this.ts, this.te]);
      this.advance();
    }
    let flags = 0;
    for (const [s, e] of words) {
      const word = this.sql.slice(s, e).toLowerCase();
      const match = JOIN_WORDS.find((w) => w[0] === word);
      if (match === undefined) {
        flags |= JT_ERROR;
        break;
      }
      flags |= match[1];
    }
    this.advance();
    // SQLite checks the join words once the token after JOIN shows a FROM item follows.
    if (this.t !== TK_LP && !isNameToken(this.t)) this.syntaxError();
    if ((flags & (JT_INNER | JT_OUTER)) === (JT_INNER | JT_OUTER) || (flags & JT_ERROR) !== 0
      || (flags & (JT_OUTER | JT_LEFT | JT_RIGHT)) === JT_OUTER) {
      const text = words.map(([s, e]) => this.sql.slice(s, e)).join(' ');
      throw parseError(`unknown join type: ${text}`);
    }
    const natural = (flags & JT_NATURAL) !== 0;
    let type: JoinOperator['type'] = 'INNER';
    if ((flags & JT_LEFT) !== 0 && (flags & JT_RIGHT) !== 0) type = 'FULL';
    else if ((flags & JT_LEFT) !== 0) type = 'LEFT';
    else if ((flags & JT_RIGHT) !== 0) type = 'RIGHT';
    else if ((flags & JT_CROSS) !== 0) type = 'CROSS';
    return { kind: 'JoinOperator', comma: false, natural, type, start, end: this.lastEnd };
  }

  private parseFromItem(join: JoinOperator | null, first: boolean): FromItem {
    this.enterNesting(NEST_FROM_ITEM);
    const start = this.ts;
    let item: FromItem;
    if (this.t === TK_LP) {
      this.advance();
      if (this.atSelectStart()) {
        const select = this.parseNestedSelect();
        this.expect(TK_RP);
        const alias = this.parseAlias();
        const constraint = this.parseJoinConstraint();
        item = { kind: 'SubqueryRef', select, join, alias, constraint, start, end: this.lastEnd };
      } else {
        const inner = this.parseFromList();
        this.expect(TK_RP);
        const alias = this.parseAlias();
        const constraint = this.parseJoinConstraint();
        const end = this.lastEnd;
        if (inner.length === 1) {
          const only = inner[0];
          if (first && alias === null && constraint === null) {
            item = only;
          } else if (only.kind === 'TableRef') {
            item = { ...only, join, alias, constraint, indexedBy: null, notIndexed: false, start, end };
          } else {
            item = { ...only, join, alias, constraint, start, end };
          }
        } else {
          item = { kind: 'JoinGroup', items: inner, join, alias, constraint, start, end };
        }
      }
    } else {
      let schema: Identifier | null = null;
      let name = this.parseName();
      if (this.accept(TK_DOT)) {
        schema = name;
        name = this.parseName();
      }
      let args: Expr[] | null = null;
      let indexedBy: Identifier | null = null;
      let notIndexed = false;
      let alias: Identifier | null;
      if (this.accept(TK_LP)) {
        args = this.parseExprListUntil(TK_RP);
        this.expect(TK_RP);
        alias = this.parseAlias();
      } else {
        alias = this.parseAlias();
        if (this.t === TK_INDEXED) {
          this.advance();
          this.expect(TK_BY);
          indexedBy = this.parseName();
        } else if (this.t === TK_NOT) {
          this.advance();
          this.expect(TK_INDEXED);
          notIndexed = true;
        }
      }
      const constraint = this.parseJoinConstraint();
      item = {
        kind: 'TableRef', schema, name, args, indexedBy, notIndexed, join, alias, constraint, start, end: this.lastEnd,
      };
    }
    if (first && item.constraint !== null) {
      if (!this.atFromItemEnd()) this.syntaxError();
      throw parseError(`a JOIN clause is required before ${item.constraint.kind === 'On' ? 'ON' : 'USING'}`);
    }
    this.leaveNesting(NEST_FROM_ITEM);
    return item;
  }

  /** True if the current token may follow a FROM item (SQLite finishes the item only then). */
  private atFromItemEnd(): boolean {
    switch (this.t) {
      case TK_COMMA: case TK_JOIN: case TK_JOIN_KW: case TK_WHERE: case TK_GROUP: case TK_HAVING:
      case TK_WINDOW: case TK_ORDER: case TK_LIMIT: case TK_UNION: case TK_INTERSECT: case TK_EXCEPT:
      case TK_RP: case TK_SEMI: case TK_EOF: case TK_RETURNING:
        return true;
      default:
        return false;
    }
  }

  private parseJoinConstraint(): JoinConstraint | null {
    const start = this.ts;
    if (this.accept(TK_ON)) {
      const expr = this.parseExpr();
      return { kind: 'On', expr, start, end: this.lastEnd };
    }
    if (this.accept(TK_USING)) {
      const columns = this.parseIdList();
      return { kind: 'Using', columns, start, end: this.lastEnd };
    }
    return null;
  }

  /** `(name, ...)`: SQLite's idlist in parentheses. */
  protected parseIdList(): Identifier[] {
    this.expect(TK_LP);
    const names: Identifier[] = [];
    do {
      names.push(this.parseName());
    } while (this.accept(TK_COMMA));
    this.expect(TK_RP);
    return names;
  }
}
