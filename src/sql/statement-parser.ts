/**
 * StatementParser: every statement of SQLite's grammar other than the SELECT
 * machinery it inherits: INSERT/REPLACE with upsert and RETURNING, UPDATE,
 * DELETE, CREATE TABLE/INDEX/VIEW/TRIGGER/VIRTUAL TABLE, DROP, ALTER TABLE,
 * transactions and savepoints, PRAGMA, VACUUM, REINDEX, ANALYZE, ATTACH and
 * DETACH.
 *
 * `parseCommand()` parses one statement (without EXPLAIN or the closing
 * `;`). Parse-time errors SQLite raises while building statements are
 * reproduced: `unknown table option`, the INDEXED BY / NOT INDEXED and
 * qualified-name restrictions inside triggers, and `cannot use RETURNING in
 * a trigger`. Semantic checks that need a schema are left to the compiler.
 */

import type {
  AlterTableAction, ColumnConstraint, ColumnDef, ConflictResolution, CreateTableStmt,
  CreateTriggerStmt, DeleteStmt, Expr, ForeignKeyAction, ForeignKeyClause, Identifier,
  InsertStmt, Literal, OrderingTerm, PragmaStmt, QualifiedTableName, ResultColumn, SetClause,
  Span, Statement, TableCheck, TableConstraint, TriggerStep, UpdateStmt, UpsertClause, WithClause,
} from './ast.js';
import { SelectParser } from './select-parser.js';
import { dequote, isIdToken, isIdsToken, isNameToken, parseError } from './token-cursor.js';
import {
  TK_ABORT, TK_ACTION, TK_ADD, TK_AFTER, TK_ALTER, TK_ALWAYS, TK_ANALYZE, TK_AS, TK_ASC, TK_ATTACH,
  TK_AUTOINCR, TK_BEFORE, TK_BEGIN, TK_BY, TK_CASCADE, TK_CHECK, TK_COLLATE, TK_COLUMNKW,
  TK_COMMA, TK_COMMIT, TK_CONFLICT, TK_CONSTRAINT, TK_CREATE, TK_DATABASE, TK_DEFAULT,
  TK_DEFERRABLE, TK_DEFERRED, TK_DELETE, TK_DESC, TK_DETACH, TK_DO, TK_DOT, TK_DROP, TK_EACH,
  TK_END, TK_EOF, TK_EQ, TK_EXCLUSIVE, TK_EXISTS, TK_FAIL, TK_FLOAT, TK_FOR, TK_FOREIGN,
  TK_FROM, TK_GENERATED, TK_ID, TK_IF, TK_IGNORE, TK_IMMEDIATE, TK_INDEX, TK_INDEXED,
  TK_INITIALLY, TK_INSERT, TK_INSTEAD, TK_INTEGER, TK_INTO, TK_KEY, TK_LIMIT, TK_LP, TK_MATCH,
  TK_MINUS, TK_NO, TK_NOT, TK_NOTHING, TK_NULL, TK_OF, TK_ON, TK_OR, TK_ORDER, TK_PLUS,
  TK_PRAGMA, TK_PRIMARY, TK_REFERENCES, TK_REINDEX, TK_RELEASE, TK_RENAME, TK_REPLACE,
  TK_RESTRICT, TK_RETURNING, TK_ROLLBACK, TK_ROW, TK_RP, TK_SAVEPOINT, TK_SELECT, TK_SEMI,
  TK_SET, TK_TABLE, TK_TEMP, TK_TO, TK_TRANSACTION, TK_TRIGGER, TK_UNIQUE, TK_UPDATE,
  TK_USING, TK_VACUUM, TK_VALUES, TK_VIEW, TK_VIRTUAL, TK_WHEN, TK_WHERE, TK_WITH,
  TK_WITHOUT, isFallbackKeyword,
} from './tokens.js';

const TRIGGER_QUALIFIED_NAME =
  'qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers';

function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export class StatementParser extends SelectParser {
  /** Parsing the body of CREATE TRIGGER. */
  private inTrigger = false;
  /**
   * The `CONSTRAINT name` in effect while parsing CREATE TABLE. As in SQLite
   * it names every later constraint until the next column definition or
   * table-constraint comma (so a trailing `CONSTRAINT n` on the last column
   * names the first table constraint).
   */
  private constraintName: Identifier | null = null;
  /** The most recent foreign key of the table being defined (a later DEFERRABLE clause applies to it). */
  private lastForeignKey: ForeignKeyClause | null = null;

  /** Prepares to parse the statement at `offset` of `sql`. */
  protected reset(sql: string, offset: number): void {
    this.resetExpressionState();
    this.inTrigger = false;
    this.constraintName = null;
    this.lastForeignKey = null;
    this.resetCursor(sql, offset);
  }

  /** Parses one statement at the current token. */
  parseCommand(): Statement {
    const start = this.ts;
    switch (this.t) {
      case TK_SELECT:
      case TK_VALUES:
        return this.parseSelect();
      case TK_WITH: {
        const withClause = this.parseWith();
        return this.parseAfterWith(withClause, start);
      }
      case TK_INSERT:
      case TK_REPLACE:
        return this.parseInsert(null, start);
      case TK_UPDATE:
        return this.parseUpdate(null, start);
      case TK_DELETE:
        return this.parseDelete(null, start);
      case TK_CREATE:
        return this.parseCreate();
      case TK_DROP:
        return this.parseDrop();
      case TK_ALTER:
        return this.parseAlterTable();
      case TK_BEGIN:
        return this.parseBegin();
      case TK_COMMIT:
      case TK_END:
        this.advance();
        this.parseTransactionOpt();
        return { kind: 'Commit', start, end: this.lastEnd };
      case TK_ROLLBACK:
        return this.parseRollback();
      case TK_SAVEPOINT: {
        this.advance();
        const name = this.parseName();
        return { kind: 'Savepoint', name, start, end: this.lastEnd };
      }
      case TK_RELEASE: {
        this.advance();
        this.accept(TK_SAVEPOINT);
        const name = this.parseName();
        return { kind: 'Release', name, start, end: this.lastEnd };
      }
      case TK_PRAGMA:
        return this.parsePragma();
      case TK_VACUUM:
        return this.parseVacuum();
      case TK_REINDEX:
      case TK_ANALYZE: {
        const kind = this.t === TK_REINDEX ? 'Reindex' : 'Analyze';
        this.advance();
        let schema: Identifier | null = null;
        let name: Identifier | null = null;
        if (isNameToken(this.t)) {
          name = this.takeIdentifier();
          if (this.accept(TK_DOT)) {
            schema = name;
            name = this.parseName();
          }
        }
        return { kind, schema, name, start, end: this.lastEnd };
      }
      case TK_ATTACH: {
        this.advance();
        this.accept(TK_DATABASE);
        const file = this.parseExpr();
        this.expect(TK_AS);
        const schema = this.parseExpr();
        const key = this.accept(TK_KEY) ? this.parseExpr() : null;
        return { kind: 'Attach', file, schema, key, start, end: this.lastEnd };
      }
      case TK_DETACH: {
        this.advance();
        this.accept(TK_DATABASE);
        const schema = this.parseExpr();
        return { kind: 'Detach', schema, start, end: this.lastEnd };
      }
      default:
        return this.syntaxError();
    }
  }

  /** After a leading WITH clause: the SELECT, INSERT, UPDATE or DELETE it belongs to. */
  private parseAfterWith(withClause: WithClause, start: number): Statement {
    switch (this.t) {
      case TK_INSERT:
      case TK_REPLACE:
        return this.parseInsert(withClause, start);
      case TK_UPDATE:
        return this.parseUpdate(withClause, start);
      case TK_DELETE:
        return this.parseDelete(withClause, start);
      default:
        return this.parseSelectBody(withClause, start);
    }
  }

  // -------------------------------------------------------------------------
  // Data modification

  private parseInsert(withClause: WithClause | null, start: number): InsertStmt {
    let replaceKeyword = false;
    let orConflict: ConflictResolution | null = null;
    if (this.t === TK_REPLACE) {
      this.advance();
      replaceKeyword = true;
      orConflict = 'REPLACE';
    } else {
      this.expect(TK_INSERT);
      if (this.accept(TK_OR)) orConflict = this.parseResolveType();
    }
    this.expect(TK_INTO);
    const table = this.parseTargetTable(false);
    const columns = this.t === TK_LP ? this.parseIdList() : null;
    let select = null;
    const upsert: UpsertClause[] = [];
    if (this.t === TK_DEFAULT) {
      this.advance();
      this.expect(TK_VALUES);
    } else {
      if (!this.atSelectStart()) this.syntaxError();
      select = this.parseNestedSelect();
      while (this.t === TK_ON) {
        const clause = this.parseUpsertClause();
        upsert.push(clause);
        if (clause.target === null) break;
      }
    }
    const returning = this.parseReturning();
    return {
      kind: 'Insert', with: withClause, replaceKeyword, orConflict, table, columns, select, upsert, returning,
      start, end: this.lastEnd,
    };
  }

  private parseUpsertClause(): UpsertClause {
    const start = this.ts;
    this.advance();
    this.expect(TK_CONFLICT);
    let target: OrderingTerm[] | null = null;
    let targetWhere: Expr | null = null;
    if (this.accept(TK_LP)) {
      target = this.parseSortList();
      this.expect(TK_RP);
      if (this.accept(TK_WHERE)) targetWhere = this.parseExpr();
    }
    this.expect(TK_DO);
    let set: SetClause[] | null = null;
    let where: Expr | null = null;
    if (!this.accept(TK_NOTHING)) {
      this.expect(TK_UPDATE);
      this.expect(TK_SET);
      set = this.parseSetList();
      if (this.accept(TK_WHERE)) where = this.parseExpr();
    }
    return { kind: 'Upsert', target, targetWhere, set, where, start, end: this.lastEnd };
  }

  private parseReturning(): ResultColumn[] | null {
    if (!this.accept(TK_RETURNING)) return null;
    const columns = this.parseResultColumns();
    if (this.inTrigger) throw parseError('cannot use RETURNING in a trigger');
    return columns;
  }

  private parseUpdate(withClause: WithClause | null, start: number): UpdateStmt {
    this.advance();
    const orConflict = this.accept(TK_OR) ? this.parseResolveType() : null;
    const table = this.parseTargetTable(true);
    this.expect(TK_SET);
    const set = this.parseSetList();
    const from = this.accept(TK_FROM) ? this.parseFromList() : null;
    const where = this.accept(TK_WHERE) ? this.parseExpr() : null;
    let returning: ResultColumn[] | null = null;
    let orderBy: OrderingTerm[] | null = null;
    let limit: Expr | null = null;
    let offset: Expr | null = null;
    if (!this.inTrigger) {
      returning = this.parseReturning();
      orderBy = this.parseOrderByOpt();
      ({ limit, offset } = this.parseLimit());
    }
    return {
      kind: 'Update', with: withClause, orConflict, table, set, from, where, returning, orderBy, limit, offset,
      start, end: this.lastEnd,
    };
  }

  private parseDelete(withClause: WithClause | null, start: number): DeleteStmt {
    this.advance();
    this.expect(TK_FROM);
    const table = this.parseTargetTable(true);
    const where = this.accept(TK_WHERE) ? this.parseExpr() : null;
    let returning: ResultColumn[] | null = null;
    let orderBy: OrderingTerm[] | null = null;
    let limit: Expr | null = null;
    let offset: Expr | null = null;
    if (!this.inTrigger) {
      returning = this.parseReturning();
      orderBy = this.parseOrderByOpt();
      ({ limit, offset } = this.parseLimit());
    }
    return {
      kind: 'Delete', with: withClause, table, where, returning, orderBy, limit, offset, start, end: this.lastEnd,
    };
  }

  private parseOrderByOpt(): OrderingTerm[] | null {
    if (this.t !== TK_ORDER) return null;
    this.advance();
    this.expect(TK_BY);
    return this.parseSortList();
  }

  /** `[schema.]name [AS alias]`, then (UPDATE/DELETE) `INDEXED BY name` or `NOT INDEXED`. */
  private parseTargetTable(allowIndexHint: boolean): QualifiedTableName {
    const start = this.ts;
    let schema: Identifier | null = null;
    let name = this.parseName();
    if (this.accept(TK_DOT)) {
      schema = name;
      name = this.parseName();
    }
    if (this.inTrigger && schema !== null) throw parseError(TRIGGER_QUALIFIED_NAME);
    const alias = this.accept(TK_AS) ? this.parseName() : null;
    let indexedBy: Identifier | null = null;
    let notIndexed = false;
    if (allowIndexHint) {
      if (this.t === TK_INDEXED) {
        this.advance();
        this.expect(TK_BY);
        indexedBy = this.parseName();
        if (this.inTrigger) {
          throw parseError('the INDEXED BY clause is not allowed on UPDATE or DELETE statements within triggers');
        }
      } else if (this.t === TK_NOT) {
        this.advance();
        this.expect(TK_INDEXED);
        notIndexed = true;
        if (this.inTrigger) {
          throw parseError('the NOT INDEXED clause is not allowed on UPDATE or DELETE statements within triggers');
        }
      }
    }
    return { kind: 'QualifiedTableName', schema, name, alias, indexedBy, notIndexed, start, end: this.lastEnd };
  }

  /** `col = expr` and `(a, b) = expr` assignments, comma separated. */
  private parseSetList(): SetClause[] {
    const list: SetClause[] = [];
    do {
      const start = this.ts;
      let columns: Identifier[];
      let parenthesized = false;
      if (this.t === TK_LP) {
        columns = this.parseIdList();
        parenthesized = true;
      } else {
        columns = [this.parseName()];
      }
      this.expect(TK_EQ);
      const value = this.parseExpr();
      if (parenthesized && value.kind !== 'Subquery') {
        const n = value.kind === 'Vector' ? value.items.length : 1;
        if (n !== columns.length) {
          // SQLite checks when the next token shows the assignment is complete.
          const t = this.t;
          if (t !== TK_COMMA && t !== TK_FROM && t !== TK_WHERE && t !== TK_RETURNING && t !== TK_ORDER
            && t !== TK_LIMIT && t !== TK_ON && !this.atStatementEnd()) {
            this.syntaxError();
          }
          throw parseError(`${columns.length} columns assigned ${n} values`);
        }
      }
      list.push({ kind: 'SetClause', columns, parenthesized, value, start, end: this.lastEnd });
    } while (this.accept(TK_COMMA));
    return list;
  }

  private parseResolveType(): ConflictResolution {
    const t = this.t;
    let r: ConflictResolution;
    if (t === TK_ROLLBACK) r = 'ROLLBACK';
    else if (t === TK_ABORT) r = 'ABORT';
    else if (t === TK_FAIL) r = 'FAIL';
    else if (t === TK_IGNORE) r = 'IGNORE';
    else if (t === TK_REPLACE) r = 'REPLACE';
    else return this.syntaxError();
    this.advance();
    return r;
  }

  /** `[ON CONFLICT resolution]`. */
  private parseOnConflict(): ConflictResolution | null {
    if (this.t !== TK_ON) return null;
    this.advance();
    this.expect(TK_CONFLICT);
    return this.parseResolveType();
  }

  // -------------------------------------------------------------------------
  // CREATE

  private parseCreate(): Statement {
    const start = this.ts;
    this.advance();
    const temp = this.accept(TK_TEMP);
    switch (this.t) {
      case TK_TABLE:
        return this.parseCreateTable(start, temp);
      case TK_VIEW:
        return this.parseCreateView(start, temp);
      case TK_TRIGGER:
        return this.parseCreateTrigger(start, temp);
      case TK_VIRTUAL:
        if (!temp) return this.parseCreateVirtualTable(start);
        return this.syntaxError();
      case TK_UNIQUE:
      case TK_INDEX:
        if (!temp) return this.parseCreateIndex(start);
        return this.syntaxError();
      default:
        return this.syntaxError();
    }
  }

  private parseIfNotExists(): boolean {
    if (this.t !== TK_IF) return false;
    this.advance();
    this.expect(TK_NOT);
    this.expect(TK_EXISTS);
    return true;
  }

  private parseIfExists(): boolean {
    if (this.t !== TK_IF) return false;
    this.advance();
    this.expect(TK_EXISTS);
    return true;
  }

  /** `name` or `schema.name`. */
  private parseQualifiedName(): { schema: Identifier | null; name: Identifier } {
    const first = this.parseName();
    if (!this.accept(TK_DOT)) return { schema: null, name: first };
    return { schema: first, name: this.parseName() };
  }

  private parseCreateTable(start: number, temp: boolean): CreateTableStmt {
    this.advance();
    const ifNotExists = this.parseIfNotExists();
    const { schema, name } = this.parseQualifiedName();
    this.constraintName = null;
    this.lastForeignKey = null;
    const base = { kind: 'CreateTable' as const, temp, ifNotExists, schema, name };
    if (this.accept(TK_AS)) {
      const asSelect = this.parseNestedSelect();
      return {
        ...base, columns: [], constraints: [], withoutRowid: false, strict: false, asSelect, start, end: this.lastEnd,
      };
    }
    this.expect(TK_LP);
    const columns: ColumnDef[] = [this.parseColumnDef()];
    const constraints: TableConstraint[] = [];
    while (this.accept(TK_COMMA)) {
      if (this.atTableConstraint()) {
        this.parseTableConstraints(constraints);
        break;
      }
      columns.push(this.parseColumnDef());
    }
    this.expect(TK_RP);
    // Table options: `[option] (, option)*`, where an option is WITHOUT ROWID
    // or STRICT. An unknown option is reported once the token after it shows
    // the option list goes on or ends, as SQLite does.
    let withoutRowid = false;
    let strict = false;
    let first = true;
    for (;;) {
      if (!first && !this.accept(TK_COMMA)) break;
      if (first && this.t !== TK_WITHOUT && !isNameToken(this.t)) {
        if (this.t !== TK_COMMA) break;
        this.advance();
      }
      first = false;
      const isWithout = this.accept(TK_WITHOUT);
      const word = this.parseName();
      if (this.t !== TK_COMMA && !this.atStatementEnd()) this.syntaxError();
      const raw = this.sql.slice(word.start, word.end);
      if (isWithout && raw.toLowerCase() === 'rowid') withoutRowid = true;
      else if (!isWithout && raw.toLowerCase() === 'strict') strict = true;
      else throw parseError(`unknown table option: ${raw}`);
    }
    return { ...base, columns, constraints, withoutRowid, strict, asSelect: null, start, end: this.lastEnd };
  }

  private atTableConstraint(): boolean {
    const t = this.t;
    return t === TK_CONSTRAINT || t === TK_PRIMARY || t === TK_UNIQUE || t === TK_CHECK || t === TK_FOREIGN;
  }

  /** `name [type] [constraints]` (also used by ALTER TABLE ADD COLUMN). */
  private parseColumnDef(): ColumnDef {
    const start = this.ts;
    this.constraintName = null;
    const name = this.parseName();
    const type = this.parseTypeName(true);
    const constraints: ColumnConstraint[] = [];
    for (;;) {
      const c = this.parseColumnConstraint();
      if (c === undefined) break;
      if (c !== null) constraints.push(c);
    }
    return { kind: 'ColumnDef', name, type, constraints, start, end: this.lastEnd };
  }

  /**
   * One column constraint. Returns undefined when none starts here, null for
   * clauses that only modify state (`CONSTRAINT name`, a DEFERRABLE clause).
   */
  private parseColumnConstraint(): ColumnConstraint | null | undefined {
    const start = this.ts;
    const name = this.constraintName;
    switch (this.t) {
      case TK_CONSTRAINT:
        this.advance();
        this.constraintName = this.parseName();
        return null;
      case TK_DEFAULT:
        return this.parseDefault(name);
      case TK_NULL: {
        this.advance();
        const onConflict = this.parseOnConflict();
        return { kind: 'Null', name, onConflict, start, end: this.lastEnd };
      }
      case TK_NOT:
        if (this.peek(1) === TK_DEFERRABLE) {
          this.applyDeferrable(this.parseDeferrable());
          return null;
        }
        this.advance();
        this.expect(TK_NULL);
        return { kind: 'NotNull', name, onConflict: this.parseOnConflict(), start, end: this.lastEnd };
      case TK_DEFERRABLE:
        this.applyDeferrable(this.parseDeferrable());
        return null;
      case TK_PRIMARY: {
        this.advance();
        this.expect(TK_KEY);
        let direction: 'ASC' | 'DESC' | null = null;
        if (this.t === TK_ASC || this.t === TK_DESC) {
          direction = this.t === TK_ASC ? 'ASC' : 'DESC';
          this.advance();
        }
        const onConflict = this.parseOnConflict();
        const autoincrement = this.accept(TK_AUTOINCR);
        return { kind: 'PrimaryKey', name, direction, onConflict, autoincrement, start, end: this.lastEnd };
      }
      case TK_UNIQUE:
        this.advance();
        return { kind: 'Unique', name, onConflict: this.parseOnConflict(), start, end: this.lastEnd };
      case TK_CHECK: {
        this.advance();
        this.expect(TK_LP);
        const expr = this.parseExpr();
        this.expect(TK_RP);
        return { kind: 'Check', name, expr, start, end: this.lastEnd };
      }
      case TK_REFERENCES: {
        const foreignKey = this.parseForeignKeyClause();
        return { kind: 'References', name, foreignKey, start, end: this.lastEnd };
      }
      case TK_COLLATE: {
        this.advance();
        const collation = this.parseIds();
        return { kind: 'Collate', name, collation, start, end: this.lastEnd };
      }
      case TK_GENERATED:
        this.advance();
        this.expect(TK_ALWAYS);
        this.expect(TK_AS);
        return this.parseGenerated(name, start);
      case TK_AS:
        this.advance();
        return this.parseGenerated(name, start);
      default:
        return undefined;
    }
  }

  private parseIds(): Identifier {
    const t = this.t;
    if (!isIdsToken(t)) this.syntaxError();
    return this.takeIdentifier();
  }

  private parseGenerated(name: Identifier | null, start: number): ColumnConstraint {
    this.expect(TK_LP);
    const expr = this.parseExpr();
    this.expect(TK_RP);
    let storage: Identifier | null = null;
    // Any keyword that can be an identifier is taken here, GENERATED included
    // (SQLite's parser does the same, so a second GENERATED clause fails).
    if (this.t === TK_ID || isFallbackKeyword(this.t)) storage = this.takeIdentifier();
    return { kind: 'Generated', name, expr, storage, start, end: this.lastEnd };
  }

  private parseDefault(name: Identifier | null): ColumnConstraint {
    const start = this.ts;
    this.advance();
    let expr: Expr;
    let exprText: Span;
    const t = this.t;
    if (t === TK_LP) {
      const open = this.te;
      this.advance();
      expr = this.parseExpr();
      const close = this.ts;
      this.expect(TK_RP);
      exprText = this.trimmedSpan(open, close);
    } else if (t === TK_PLUS || t === TK_MINUS) {
      const signStart = this.ts;
      this.advance();
      const term = this.parseTerm();
      if (term === null) return this.syntaxError();
      expr = { kind: 'Unary', op: t === TK_PLUS ? '+' : '-', operand: term, start: signStart, end: this.lastEnd };
      exprText = { start: signStart, end: this.lastEnd };
    } else {
      const term = this.parseTerm();
      if (term !== null) {
        expr = term;
      } else if (isIdToken(t)) {
        expr = this.idAsLiteral();
      } else {
        return this.syntaxError();
      }
      exprText = { start: expr.start, end: expr.end };
    }
    return { kind: 'Default', name, expr, exprText, start, end: this.lastEnd };
  }

  /** `DEFAULT name`: SQLite stores the name as a string, or as a boolean for unquoted true/false. */
  private idAsLiteral(): Literal {
    const start = this.ts;
    const end = this.te;
    const text = this.sql.slice(start, end);
    this.advance();
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === 'false') {
      return { kind: 'Literal', type: 'boolean', text, value: lower, start, end };
    }
    return { kind: 'Literal', type: 'string', text, value: dequote(text), start, end };
  }

  /** The range `[from, to)` without leading and trailing whitespace. */
  private trimmedSpan(from: number, to: number): Span {
    let s = from;
    let e = to;
    while (s < e && isSpaceCode(this.sql.charCodeAt(s))) s++;
    while (e > s && isSpaceCode(this.sql.charCodeAt(e - 1))) e--;
    return { start: s, end: e };
  }

  /** `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]` → whether the key is deferred. */
  private parseDeferrable(): boolean {
    const not = this.accept(TK_NOT);
    this.expect(TK_DEFERRABLE);
    let deferred = false;
    if (this.accept(TK_INITIALLY)) {
      if (this.t === TK_DEFERRED) deferred = true;
      else if (this.t !== TK_IMMEDIATE) this.syntaxError();
      this.advance();
    }
    return !not && deferred;
  }

  private applyDeferrable(deferred: boolean): void {
    if (this.lastForeignKey !== null) this.lastForeignKey.deferred = deferred;
  }

  /** `REFERENCES table [(cols)] [ON DELETE|UPDATE|INSERT action | MATCH name]...`. */
  private parseForeignKeyClause(): ForeignKeyClause {
    const start = this.ts;
    this.expect(TK_REFERENCES);
    const table = this.parseName();
    const columns = this.t === TK_LP ? this.parseColumnNameList() : null;
    let onDelete: ForeignKeyAction | null = null;
    let onUpdate: ForeignKeyAction | null = null;
    let match: Identifier | null = null;
    for (;;) {
      if (this.accept(TK_MATCH)) {
        match = this.parseName();
      } else if (this.t === TK_ON) {
        this.advance();
        const event = this.t;
        if (event !== TK_DELETE && event !== TK_UPDATE && event !== TK_INSERT) this.syntaxError();
        this.advance();
        const action = this.parseForeignKeyAction();
        if (event === TK_DELETE) onDelete = action;
        else if (event === TK_UPDATE) onUpdate = action;
      } else {
        break;
      }
    }
    const clause: ForeignKeyClause = {
      kind: 'ForeignKeyClause', table, columns, onDelete, onUpdate, match, deferred: false, start, end: this.lastEnd,
    };
    this.lastForeignKey = clause;
    return clause;
  }

  private parseForeignKeyAction(): ForeignKeyAction {
    const t = this.t;
    if (t === TK_SET) {
      this.advance();
      if (this.accept(TK_NULL)) return 'SET NULL';
      this.expect(TK_DEFAULT);
      return 'SET DEFAULT';
    }
    if (t === TK_CASCADE) { this.advance(); return 'CASCADE'; }
    if (t === TK_RESTRICT) { this.advance(); return 'RESTRICT'; }
    if (t === TK_NO) {
      this.advance();
      this.expect(TK_ACTION);
      return 'NO ACTION';
    }
    return this.syntaxError();
  }

  /** Table constraints after the column definitions; commas between them are optional. */
  private parseTableConstraints(out: TableConstraint[]): void {
    for (;;) {
      const c = this.parseTableConstraint();
      if (c !== null) out.push(c);
      if (this.accept(TK_COMMA)) {
        this.constraintName = null;
        continue;
      }
      if (!this.atTableConstraint()) return;
    }
  }

  private parseTableConstraint(): TableConstraint | null {
    const start = this.ts;
    const name = this.constraintName;
    switch (this.t) {
      case TK_CONSTRAINT:
        this.advance();
        this.constraintName = this.parseName();
        return null;
      case TK_PRIMARY: {
        this.advance();
        this.expect(TK_KEY);
        this.expect(TK_LP);
        const columns = this.parseSortList();
        const autoincrement = this.accept(TK_AUTOINCR);
        this.expect(TK_RP);
        const onConflict = this.parseOnConflict();
        return { kind: 'TablePrimaryKey', name, columns, autoincrement, onConflict, start, end: this.lastEnd };
      }
      case TK_UNIQUE: {
        this.advance();
        this.expect(TK_LP);
        const columns = this.parseSortList();
        this.expect(TK_RP);
        const onConflict = this.parseOnConflict();
        return { kind: 'TableUnique', name, columns, onConflict, start, end: this.lastEnd };
      }
      case TK_CHECK: {
        this.advance();
        this.expect(TK_LP);
        const expr = this.parseExpr();
        this.expect(TK_RP);
        this.parseOnConflict();
        return { kind: 'TableCheck', name, expr, start, end: this.lastEnd };
      }
      case TK_FOREIGN: {
        this.advance();
        this.expect(TK_KEY);
        const columns = this.parseColumnNameList();
        const foreignKey = this.parseForeignKeyClause();
        if (this.t === TK_DEFERRABLE || (this.t === TK_NOT && this.peek(1) === TK_DEFERRABLE)) {
          foreignKey.deferred = this.parseDeferrable();
          foreignKey.end = this.lastEnd;
        }
        return { kind: 'TableForeignKey', name, columns, foreignKey, start, end: this.lastEnd };
      }
      default:
        return this.syntaxError();
    }
  }

  private parseCreateVirtualTable(start: number): Statement {
    this.advance();
    this.expect(TK_TABLE);
    const ifNotExists = this.parseIfNotExists();
    const { schema, name } = this.parseQualifiedName();
    this.expect(TK_USING);
    const module = this.parseName();
    const args: string[] = [];
    if (this.t === TK_LP) {
      this.advance();
      let argStart = -1;
      let argEnd = -1;
      let depth = 0;
      for (;;) {
        const t = this.t;
        if (t === TK_EOF) this.syntaxError();
        if (depth === 0 && (t === TK_COMMA || t === TK_RP)) {
          args.push(argStart < 0 ? '' : this.sql.slice(argStart, argEnd));
          argStart = -1;
          this.advance();
          if (t === TK_RP) break;
          continue;
        }
        if (t === TK_LP) depth++;
        else if (t === TK_RP) depth--;
        if (argStart < 0) argStart = this.ts;
        argEnd = this.te;
        this.advance();
      }
    }
    return { kind: 'CreateVirtualTable', ifNotExists, schema, name, module, args, start, end: this.lastEnd };
  }

  private parseCreateIndex(start: number): Statement {
    const unique = this.accept(TK_UNIQUE);
    this.expect(TK_INDEX);
    const ifNotExists = this.parseIfNotExists();
    const { schema, name } = this.parseQualifiedName();
    this.expect(TK_ON);
    const table = this.parseName();
    this.expect(TK_LP);
    const columns = this.parseSortList();
    this.expect(TK_RP);
    const where = this.accept(TK_WHERE) ? this.parseExpr() : null;
    return { kind: 'CreateIndex', unique, ifNotExists, schema, name, table, columns, where, start, end: this.lastEnd };
  }

  private parseCreateView(start: number, temp: boolean): Statement {
    this.advance();
    const ifNotExists = this.parseIfNotExists();
    const { schema, name } = this.parseQualifiedName();
    const columns = this.t === TK_LP ? this.parseColumnNameList() : null;
    this.expect(TK_AS);
    const select = this.parseNestedSelect();
    return { kind: 'CreateView', temp, ifNotExists, schema, name, columns, select, start, end: this.lastEnd };
  }

  private parseCreateTrigger(start: number, temp: boolean): CreateTriggerStmt {
    this.advance();
    const ifNotExists = this.parseIfNotExists();
    const { schema, name } = this.parseQualifiedName();
    let time: CreateTriggerStmt['time'] = null;
    if (this.t === TK_BEFORE || this.t === TK_AFTER) {
      time = this.t === TK_BEFORE ? 'BEFORE' : 'AFTER';
      this.advance();
    } else if (this.t === TK_INSTEAD) {
      this.advance();
      this.expect(TK_OF);
      time = 'INSTEAD OF';
    }
    let event: CreateTriggerStmt['event'];
    let updateOf: Identifier[] | null = null;
    if (this.t === TK_DELETE) event = 'DELETE';
    else if (this.t === TK_INSERT) event = 'INSERT';
    else if (this.t === TK_UPDATE) event = 'UPDATE';
    else return this.syntaxError();
    this.advance();
    if (event === 'UPDATE' && this.accept(TK_OF)) {
      updateOf = [];
      do {
        updateOf.push(this.parseName());
      } while (this.accept(TK_COMMA));
    }
    this.expect(TK_ON);
    const target = this.parseQualifiedName();
    let forEachRow = false;
    if (this.accept(TK_FOR)) {
      this.expect(TK_EACH);
      this.expect(TK_ROW);
      forEachRow = true;
    }
    const when = this.accept(TK_WHEN) ? this.parseExpr() : null;
    this.expect(TK_BEGIN);
    const body: TriggerStep[] = [];
    this.inTrigger = true;
    do {
      body.push(this.parseTriggerStep());
      this.expect(TK_SEMI);
    } while (this.t !== TK_END);
    this.inTrigger = false;
    this.advance();
    return {
      kind: 'CreateTrigger', temp, ifNotExists, schema, name, time, event, updateOf,
      tableSchema: target.schema, table: target.name, forEachRow, when, body, start, end: this.lastEnd,
    };
  }

  private parseTriggerStep(): TriggerStep {
    const start = this.ts;
    switch (this.t) {
      case TK_UPDATE:
        return this.parseUpdate(null, start);
      case TK_INSERT:
      case TK_REPLACE:
        return this.parseInsert(null, start);
      case TK_DELETE:
        return this.parseDelete(null, start);
      default:
        if (this.atSelectStart()) return this.parseNestedSelect();
        return this.syntaxError();
    }
  }

  // -------------------------------------------------------------------------
  // Other statements

  private parseDrop(): Statement {
    const start = this.ts;
    this.advance();
    let objectType: 'TABLE' | 'INDEX' | 'VIEW' | 'TRIGGER';
    if (this.t === TK_TABLE) objectType = 'TABLE';
    else if (this.t === TK_INDEX) objectType = 'INDEX';
    else if (this.t === TK_VIEW) objectType = 'VIEW';
    else if (this.t === TK_TRIGGER) objectType = 'TRIGGER';
    else return this.syntaxError();
    this.advance();
    const ifExists = this.parseIfExists();
    const { schema, name } = this.parseQualifiedName();
    return { kind: 'Drop', objectType, ifExists, schema, name, start, end: this.lastEnd };
  }

  private parseAlterTable(): Statement {
    const start = this.ts;
    this.advance();
    this.expect(TK_TABLE);
    const { schema, name: table } = this.parseQualifiedName();
    const actionStart = this.ts;
    let action: AlterTableAction;
    if (this.accept(TK_RENAME)) {
      if (this.accept(TK_TO)) {
        action = { kind: 'RenameTable', newName: this.parseName(), start: actionStart, end: this.lastEnd };
      } else {
        this.accept(TK_COLUMNKW);
        const column = this.parseName();
        this.expect(TK_TO);
        const newName = this.parseName();
        action = { kind: 'RenameColumn', column, newName, start: actionStart, end: this.lastEnd };
      }
    } else if (this.accept(TK_ADD)) {
      this.constraintName = null;
      this.lastForeignKey = null;
      if (this.t === TK_CONSTRAINT || this.t === TK_CHECK) {
        const checkStart = this.ts;
        let name: Identifier | null = null;
        if (this.accept(TK_CONSTRAINT)) name = this.parseName();
        this.expect(TK_CHECK);
        this.expect(TK_LP);
        const expr = this.parseExpr();
        this.expect(TK_RP);
        this.parseOnConflict();
        const check: TableCheck = { kind: 'TableCheck', name, expr, start: checkStart, end: this.lastEnd };
        action = { kind: 'AddCheck', check, start: actionStart, end: this.lastEnd };
      } else {
        this.accept(TK_COLUMNKW);
        const column = this.parseColumnDef();
        action = { kind: 'AddColumn', column, start: actionStart, end: this.lastEnd };
      }
    } else if (this.accept(TK_DROP)) {
      if (this.accept(TK_CONSTRAINT)) {
        action = { kind: 'DropConstraint', name: this.parseName(), start: actionStart, end: this.lastEnd };
      } else {
        this.accept(TK_COLUMNKW);
        const column = this.parseName();
        action = { kind: 'DropColumn', column, start: actionStart, end: this.lastEnd };
      }
    } else if (this.accept(TK_ALTER)) {
      this.accept(TK_COLUMNKW);
      const column = this.parseName();
      if (this.accept(TK_SET)) {
        this.expect(TK_NOT);
        this.expect(TK_NULL);
        const onConflict = this.parseOnConflict();
        action = { kind: 'SetNotNull', column, onConflict, start: actionStart, end: this.lastEnd };
      } else {
        this.expect(TK_DROP);
        this.expect(TK_NOT);
        this.expect(TK_NULL);
        action = { kind: 'DropNotNull', column, start: actionStart, end: this.lastEnd };
      }
    } else {
      return this.syntaxError();
    }
    return { kind: 'AlterTable', schema, table, action, start, end: this.lastEnd };
  }

  private parseBegin(): Statement {
    const start = this.ts;
    this.advance();
    let mode: 'DEFERRED' | 'IMMEDIATE' | 'EXCLUSIVE' | null = null;
    if (this.t === TK_DEFERRED) mode = 'DEFERRED';
    else if (this.t === TK_IMMEDIATE) mode = 'IMMEDIATE';
    else if (this.t === TK_EXCLUSIVE) mode = 'EXCLUSIVE';
    if (mode !== null) this.advance();
    this.parseTransactionOpt();
    return { kind: 'Begin', mode, start, end: this.lastEnd };
  }

  /** `[TRANSACTION [name]]`. */
  private parseTransactionOpt(): void {
    if (this.accept(TK_TRANSACTION) && isNameToken(this.t)) this.advance();
  }

  private parseRollback(): Statement {
    const start = this.ts;
    this.advance();
    this.parseTransactionOpt();
    let savepoint: Identifier | null = null;
    if (this.accept(TK_TO)) {
      this.accept(TK_SAVEPOINT);
      savepoint = this.parseName();
    }
    return { kind: 'Rollback', savepoint, start, end: this.lastEnd };
  }

  private parsePragma(): PragmaStmt {
    const start = this.ts;
    this.advance();
    const { schema, name } = this.parseQualifiedName();
    let value: string | null = null;
    let valueSpan: Span | null = null;
    const t = this.t;
    if (t === TK_EQ || t === TK_LP) {
      this.advance();
      const valueStart = this.ts;
      value = this.parsePragmaValue();
      valueSpan = { start: valueStart, end: this.lastEnd };
      if (t === TK_LP) this.expect(TK_RP);
    }
    return { kind: 'Pragma', schema, name, value, valueSpan, start, end: this.lastEnd };
  }

  /** `nmnum` or `minus_num`: a signed number, a name, or ON / DELETE / DEFAULT. */
  private parsePragmaValue(): string {
    const t = this.t;
    if (t === TK_PLUS || t === TK_MINUS) {
      this.advance();
      const number = this.parsePragmaNumber();
      return t === TK_MINUS ? `-${number}` : number;
    }
    if (t === TK_INTEGER || t === TK_FLOAT) return this.parsePragmaNumber();
    if (t === TK_ON || t === TK_DELETE || t === TK_DEFAULT) {
      const text = this.tokenText();
      this.advance();
      return text;
    }
    return this.parseName().name;
  }

  private parsePragmaNumber(): string {
    if ((this.t !== TK_INTEGER && this.t !== TK_FLOAT) || this.tSeparator) this.syntaxError();
    const text = this.tokenText();
    this.advance();
    return text;
  }

  private parseVacuum(): Statement {
    const start = this.ts;
    this.advance();
    const schema = isNameToken(this.t) ? this.takeIdentifier() : null;
    const into = this.accept(TK_INTO) ? this.parseExpr() : null;
    return { kind: 'Vacuum', schema, into, start, end: this.lastEnd };
  }

  /** True when the current token ends a statement (`;` or end of input). */
  atStatementEnd(): boolean {
    return this.t === TK_SEMI || this.t === TK_EOF;
  }
}
