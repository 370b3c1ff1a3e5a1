/**
 * The SQL front end's public surface: parse SQL text into `ParsedStatement`s
 * (see `parser.ts`), the AST types (`ast.ts`), exact source text of any node
 * (`sqlText`) and a canonical printer (`printer.ts`). Everything here is pure:
 * no schema, no storage. Errors are `SqliteError`s worded as SQLite words them.
 */

export * from './ast.js';
export { parseScript, parseStatement, type StatementParse } from './parser.js';
export { formatExpr, formatIdentifier, formatSelect, formatStatement } from './printer.js';
