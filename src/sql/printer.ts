/**
 * Printer: renders AST nodes back to SQL text.
 *
 * The output is canonical rather than a copy of the source (use `sqlText`
 * for the exact source of a node): keywords upper case, single spaces, every
 * compound operand parenthesised so the text parses back to the same tree.
 * Literals, type names and parameters keep their source spelling; names that
 * were quoted are printed in double quotes.
 */

import type {
  ColumnConstraint, ColumnDef, CommonTableExpr, Expr, ForeignKeyClause, FromItem, Identifier,
  OrderingTerm, QualifiedTableName, ResultColumn, SelectCore, SelectStmt, SetClause, Statement, TableConstraint,
  UpsertClause, ValuesClause, WindowSpec, WithClause,
} from './ast.js';

/** A name as SQL: bare if it was bare in the source, else double-quoted. */
export function formatIdentifier(id: Identifier): string {
  return id.quoted ? `"${id.name.split('"').join('""')}"` : id.name;
}

function qualified(schema: Identifier | null, name: Identifier): string {
  return schema === null ? formatIdentifier(name) : `${formatIdentifier(schema)}.${formatIdentifier(name)}`;
}

function list<T>(items: readonly T[], f: (item: T) => string): string {
  return items.map(f).join(', ');
}

function names(ids: readonly Identifier[]): string {
  return list(ids, formatIdentifier);
}

/** True for expressions that print as one unit and never need parentheses. */
function isAtomic(e: Expr): boolean {
  switch (e.kind) {
    case 'Literal': case 'CurrentTime': case 'ColumnRef': case 'Parameter': case 'FunctionCall':
    case 'Subquery': case 'Exists': case 'Case': case 'Cast': case 'Vector': case 'Raise':
      return true;
    default:
      return false;
  }
}

function operand(e: Expr): string {
  return isAtomic(e) ? formatExpr(e) : `(${formatExpr(e)})`;
}

export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'Literal':
      return e.text;
    case 'CurrentTime':
      return e.keyword;
    case 'ColumnRef':
      return [e.schema, e.table, e.column].filter((p): p is Identifier => p !== null).map(formatIdentifier).join('.');
    case 'Parameter':
      return e.text;
    case 'Unary':
      return e.op === 'NOT' ? `NOT ${operand(e.operand)}` : `${e.op}${operand(e.operand)}`;
    case 'Binary':
      return `${operand(e.left)} ${e.op} ${operand(e.right)}`;
    case 'Like':
      return `${operand(e.left)} ${e.not ? 'NOT ' : ''}${e.op} ${operand(e.right)}`
        + (e.escape === null ? '' : ` ESCAPE ${operand(e.escape)}`);
    case 'Between':
      return `${operand(e.expr)} ${e.not ? 'NOT ' : ''}BETWEEN ${operand(e.low)} AND ${operand(e.high)}`;
    case 'NullTest':
      return `${operand(e.expr)} ${e.not ? 'NOTNULL' : 'ISNULL'}`;
    case 'InList':
      return `${operand(e.expr)} ${e.not ? 'NOT ' : ''}IN (${list(e.list, formatExpr)})`;
    case 'InSelect':
      return `${operand(e.expr)} ${e.not ? 'NOT ' : ''}IN (${formatSelect(e.select)})`;
    case 'InTable':
      return `${operand(e.expr)} ${e.not ? 'NOT ' : ''}IN ${qualified(e.schema, e.table)}`
        + (e.args === null ? '' : `(${list(e.args, formatExpr)})`);
    case 'Exists':
      return `EXISTS (${formatSelect(e.select)})`;
    case 'Subquery':
      return `(${formatSelect(e.select)})`;
    case 'Case':
      return `CASE${e.operand === null ? '' : ` ${formatExpr(e.operand)}`}`
        + e.whens.map((w) => ` WHEN ${formatExpr(w.when)} THEN ${formatExpr(w.then)}`).join('')
        + (e.else === null ? '' : ` ELSE ${formatExpr(e.else)}`) + ' END';
    case 'Cast':
      return `CAST(${formatExpr(e.expr)} AS${e.type === null ? '' : ` ${e.type.text}`})`;
    case 'Collate':
      return `${operand(e.expr)} COLLATE ${formatIdentifier(e.collation)}`;
    case 'FunctionCall': {
      let args: string;
      if (e.star) args = '*';
      else args = (e.quantifier === null ? '' : `${e.quantifier} `) + list(e.args, formatExpr);
      if (e.orderBy !== null) args += `${args === '' ? '' : ' '}ORDER BY ${formatOrdering(e.orderBy)}`;
      let text = `${formatIdentifier(e.name)}(${args})`;
      if (e.filter !== null) text += ` FILTER (WHERE ${formatExpr(e.filter)})`;
      if (e.over !== null) {
        text += e.over.kind === 'Identifier' ? ` OVER ${formatIdentifier(e.over)}` : ` OVER (${formatWindow(e.over)})`;
      }
      return text;
    }
    case 'Vector':
      return `(${list(e.items, formatExpr)})`;
    case 'Raise':
      return e.message === null ? `RAISE(${e.action})` : `RAISE(${e.action}, ${formatExpr(e.message)})`;
  }
}

function formatOrdering(terms: readonly OrderingTerm[]): string {
  return list(terms, (t) => formatExpr(t.expr)
    + (t.direction === null ? '' : ` ${t.direction}`) + (t.nulls === null ? '' : ` NULLS ${t.nulls}`));
}

function formatWindow(w: WindowSpec): string {
  const parts: string[] = [];
  if (w.base !== null) parts.push(formatIdentifier(w.base));
  if (w.partitionBy !== null) parts.push(`PARTITION BY ${list(w.partitionBy, formatExpr)}`);
  if (w.orderBy !== null) parts.push(`ORDER BY ${formatOrdering(w.orderBy)}`);
  const f = w.frame;
  if (f !== null) {
    const bound = (b: typeof f.startBound): string =>
      b.expr === null ? b.type : `${formatExpr(b.expr)} ${b.type}`;
    let frame = f.endBound === null
      ? `${f.units} ${bound(f.startBound)}`
      : `${f.units} BETWEEN ${bound(f.startBound)} AND ${bound(f.endBound)}`;
    if (f.exclude !== null) frame += ` EXCLUDE ${f.exclude}`;
    parts.push(frame);
  }
  return parts.join(' ');
}

function formatResultColumns(columns: readonly ResultColumn[]): string {
  return list(columns, (c) => {
    if (c.kind === 'ResultStar') return '*';
    if (c.kind === 'ResultTableStar') return `${formatIdentifier(c.table)}.*`;
    return formatExpr(c.expr) + (c.alias === null ? '' : ` AS ${formatIdentifier(c.alias)}`);
  });
}

function formatFrom(items: readonly FromItem[]): string {
  let text = '';
  items.forEach((item, i) => {
    if (i > 0 && item.join !== null) {
      const j = item.join;
      text += j.comma ? ', ' : ` ${j.natural ? 'NATURAL ' : ''}${j.type} JOIN `;
    }
    text += formatFromItem(item);
  });
  return text;
}

function formatFromItem(item: FromItem): string {
  let text: string;
  if (item.kind === 'TableRef') {
    text = qualified(item.schema, item.name);
    if (item.args !== null) text += `(${list(item.args, formatExpr)})`;
  } else if (item.kind === 'SubqueryRef') {
    text = `(${formatSelect(item.select)})`;
  } else {
    text = `(${formatFrom(item.items)})`;
  }
  if (item.alias !== null) text += ` AS ${formatIdentifier(item.alias)}`;
  if (item.kind === 'TableRef') {
    if (item.indexedBy !== null) text += ` INDEXED BY ${formatIdentifier(item.indexedBy)}`;
    if (item.notIndexed) text += ' NOT INDEXED';
  }
  const c = item.constraint;
  if (c !== null) text += c.kind === 'On' ? ` ON ${formatExpr(c.expr)}` : ` USING (${names(c.columns)})`;
  return text;
}

function formatCore(core: SelectCore | ValuesClause): string {
  if (core.kind === 'Values') return `VALUES ${list(core.rows, (r) => `(${list(r, formatExpr)})`)}`;
  let text = 'SELECT ';
  if (core.quantifier !== null) text += `${core.quantifier} `;
  text += formatResultColumns(core.columns);
  if (core.from !== null) text += ` FROM ${formatFrom(core.from)}`;
  if (core.where !== null) text += ` WHERE ${formatExpr(core.where)}`;
  if (core.groupBy !== null) text += ` GROUP BY ${list(core.groupBy, formatExpr)}`;
  if (core.having !== null) text += ` HAVING ${formatExpr(core.having)}`;
  if (core.windows !== null) {
    text += ` WINDOW ${list(core.windows, (w) => `${formatIdentifier(w.name)} AS (${formatWindow(w.spec)})`)}`;
  }
  return text;
}

function formatWith(w: WithClause | null): string {
  if (w === null) return '';
  const cte = (c: CommonTableExpr): string => formatIdentifier(c.name)
    + (c.columns === null ? '' : `(${names(c.columns)})`)
    + (c.materialized === null ? ' AS ' : c.materialized ? ' AS MATERIALIZED ' : ' AS NOT MATERIALIZED ')
    + `(${formatSelect(c.select)})`;
  return `WITH ${w.recursive ? 'RECURSIVE ' : ''}${list(w.ctes, cte)} `;
}

function formatTail(orderBy: OrderingTerm[] | null, limit: Expr | null, offset: Expr | null): string {
  let text = '';
  if (orderBy !== null) text += ` ORDER BY ${formatOrdering(orderBy)}`;
  if (limit !== null) text += ` LIMIT ${formatExpr(limit)}`;
  if (offset !== null) text += ` OFFSET ${formatExpr(offset)}`;
  return text;
}

export function formatSelect(s: SelectStmt): string {
  let text = formatWith(s.with) + formatCore(s.first);
  for (const part of s.compounds) text += ` ${part.op} ${formatCore(part.select)}`;
  return text + formatTail(s.orderBy, s.limit, s.offset);
}

function formatSet(set: readonly SetClause[]): string {
  return list(set, (c) => (c.parenthesized ? `(${names(c.columns)})` : names(c.columns)) + ` = ${formatExpr(c.value)}`);
}

function formatUpsert(u: UpsertClause): string {
  let text = ' ON CONFLICT';
  if (u.target !== null) {
    text += ` (${formatOrdering(u.target)})`;
    if (u.targetWhere !== null) text += ` WHERE ${formatExpr(u.targetWhere)}`;
  }
  if (u.set === null) return `${text} DO NOTHING`;
  text += ` DO UPDATE SET ${formatSet(u.set)}`;
  return u.where === null ? text : `${text} WHERE ${formatExpr(u.where)}`;
}

function formatReturning(r: ResultColumn[] | null): string {
  return r === null ? '' : ` RETURNING ${formatResultColumns(r)}`;
}

function formatForeignKey(fk: ForeignKeyClause): string {
  let text = `REFERENCES ${formatIdentifier(fk.table)}`;
  if (fk.columns !== null) text += `(${names(fk.columns)})`;
  if (fk.onDelete !== null) text += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate !== null) text += ` ON UPDATE ${fk.onUpdate}`;
  if (fk.match !== null) text += ` MATCH ${formatIdentifier(fk.match)}`;
  if (fk.deferred) text += ' DEFERRABLE INITIALLY DEFERRED';
  return text;
}

function constraintName(name: Identifier | null): string {
  return name === null ? '' : `CONSTRAINT ${formatIdentifier(name)} `;
}

function onConflict(r: string | null): string {
  return r === null ? '' : ` ON CONFLICT ${r}`;
}

function formatColumnConstraint(c: ColumnConstraint): string {
  const prefix = constraintName(c.name);
  switch (c.kind) {
    case 'PrimaryKey':
      return `${prefix}PRIMARY KEY${c.direction === null ? '' : ` ${c.direction}`}${onConflict(c.onConflict)}`
        + (c.autoincrement ? ' AUTOINCREMENT' : '');
    case 'NotNull': return `${prefix}NOT NULL${onConflict(c.onConflict)}`;
    case 'Null': return `${prefix}NULL${onConflict(c.onConflict)}`;
    case 'Unique': return `${prefix}UNIQUE${onConflict(c.onConflict)}`;
    case 'Check': return `${prefix}CHECK (${formatExpr(c.expr)})`;
    case 'Default': {
      const e = c.expr;
      const atom = e.kind === 'Literal' || e.kind === 'CurrentTime'
        || (e.kind === 'Unary' && (e.operand.kind === 'Literal' || e.operand.kind === 'CurrentTime'));
      return `${prefix}DEFAULT ${atom ? formatExpr(e) : `(${formatExpr(e)})`}`;
    }
    case 'Collate': return `${prefix}COLLATE ${formatIdentifier(c.collation)}`;
    case 'References': return prefix + formatForeignKey(c.foreignKey);
    case 'Generated':
      return `${prefix}AS (${formatExpr(c.expr)})${c.storage === null ? '' : ` ${formatIdentifier(c.storage)}`}`;
  }
}

function formatColumnDef(c: ColumnDef): string {
  return [formatIdentifier(c.name), ...(c.type === null ? [] : [c.type.text]), ...c.constraints.map(formatColumnConstraint)]
    .join(' ');
}

function formatTableConstraint(c: TableConstraint): string {
  const prefix = constraintName(c.name);
  switch (c.kind) {
    case 'TablePrimaryKey':
      return `${prefix}PRIMARY KEY (${formatOrdering(c.columns)}${c.autoincrement ? ' AUTOINCREMENT' : ''})`
        + onConflict(c.onConflict);
    case 'TableUnique': return `${prefix}UNIQUE (${formatOrdering(c.columns)})${onConflict(c.onConflict)}`;
    case 'TableCheck': return `${prefix}CHECK (${formatExpr(c.expr)})`;
    case 'TableForeignKey': return `${prefix}FOREIGN KEY (${names(c.columns)}) ${formatForeignKey(c.foreignKey)}`;
  }
}

export function formatStatement(s: Statement): string {
  switch (s.kind) {
    case 'Select':
      return formatSelect(s);
    case 'Insert': {
      let text = formatWith(s.with);
      if (s.replaceKeyword) text += 'REPLACE';
      else text += s.orConflict === null ? 'INSERT' : `INSERT OR ${s.orConflict}`;
      text += ` INTO ${qualified(s.table.schema, s.table.name)}`;
      if (s.table.alias !== null) text += ` AS ${formatIdentifier(s.table.alias)}`;
      if (s.columns !== null) text += ` (${names(s.columns)})`;
      text += s.select === null ? ' DEFAULT VALUES' : ` ${formatSelect(s.select)}`;
      return text + s.upsert.map(formatUpsert).join('') + formatReturning(s.returning);
    }
    case 'Update': {
      let text = `${formatWith(s.with)}UPDATE ${s.orConflict === null ? '' : `OR ${s.orConflict} `}`;
      text += formatTarget(s.table) + ` SET ${formatSet(s.set)}`;
      if (s.from !== null) text += ` FROM ${formatFrom(s.from)}`;
      if (s.where !== null) text += ` WHERE ${formatExpr(s.where)}`;
      return text + formatReturning(s.returning) + formatTail(s.orderBy, s.limit, s.offset);
    }
    case 'Delete': {
      let text = `${formatWith(s.with)}DELETE FROM ${formatTarget(s.table)}`;
      if (s.where !== null) text += ` WHERE ${formatExpr(s.where)}`;
      return text + formatReturning(s.returning) + formatTail(s.orderBy, s.limit, s.offset);
    }
    case 'CreateTable': {
      let text = `CREATE ${s.temp ? 'TEMP ' : ''}TABLE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualified(s.schema, s.name)}`;
      if (s.asSelect !== null) return `${text} AS ${formatSelect(s.asSelect)}`;
      text += ` (${[...s.columns.map(formatColumnDef), ...s.constraints.map(formatTableConstraint)].join(', ')})`;
      const options = [...(s.withoutRowid ? ['WITHOUT ROWID'] : []), ...(s.strict ? ['STRICT'] : [])];
      return options.length === 0 ? text : `${text} ${options.join(', ')}`;
    }
    case 'CreateVirtualTable':
      return `CREATE VIRTUAL TABLE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualified(s.schema, s.name)} USING `
        + formatIdentifier(s.module) + (s.args.length === 0 ? '' : `(${s.args.join(', ')})`);
    case 'CreateIndex':
      return `CREATE ${s.unique ? 'UNIQUE ' : ''}INDEX ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualified(s.schema, s.name)}`
        + ` ON ${formatIdentifier(s.table)} (${formatOrdering(s.columns)})`
        + (s.where === null ? '' : ` WHERE ${formatExpr(s.where)}`);
    case 'CreateView':
      return `CREATE ${s.temp ? 'TEMP ' : ''}VIEW ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualified(s.schema, s.name)}`
        + (s.columns === null ? '' : ` (${names(s.columns)})`) + ` AS ${formatSelect(s.select)}`;
    case 'CreateTrigger':
      return `CREATE ${s.temp ? 'TEMP ' : ''}TRIGGER ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualified(s.schema, s.name)}`
        + (s.time === null ? '' : ` ${s.time}`) + ` ${s.event}`
        + (s.updateOf === null ? '' : ` OF ${names(s.updateOf)}`)
        + ` ON ${qualified(s.tableSchema, s.table)}` + (s.forEachRow ? ' FOR EACH ROW' : '')
        + (s.when === null ? '' : ` WHEN ${formatExpr(s.when)}`)
        + ` BEGIN ${s.body.map((step) => `${formatStatement(step)}; `).join('')}END`;
    case 'Drop':
      return `DROP ${s.objectType} ${s.ifExists ? 'IF EXISTS ' : ''}${qualified(s.schema, s.name)}`;
    case 'AlterTable': {
      const a = s.action;
      const head = `ALTER TABLE ${qualified(s.schema, s.table)} `;
      switch (a.kind) {
        case 'RenameTable': return `${head}RENAME TO ${formatIdentifier(a.newName)}`;
        case 'RenameColumn': return `${head}RENAME COLUMN ${formatIdentifier(a.column)} TO ${formatIdentifier(a.newName)}`;
        case 'AddColumn': return `${head}ADD COLUMN ${formatColumnDef(a.column)}`;
        case 'DropColumn': return `${head}DROP COLUMN ${formatIdentifier(a.column)}`;
        case 'AddCheck': return `${head}ADD ${formatTableConstraint(a.check)}`;
        case 'DropConstraint': return `${head}DROP CONSTRAINT ${formatIdentifier(a.name)}`;
        case 'SetNotNull': return `${head}ALTER COLUMN ${formatIdentifier(a.column)} SET NOT NULL${onConflict(a.onConflict)}`;
        case 'DropNotNull': return `${head}ALTER COLUMN ${formatIdentifier(a.column)} DROP NOT NULL`;
      }
      break;
    }
    case 'Reindex':
    case 'Analyze': {
      const verb = s.kind === 'Reindex' ? 'REINDEX' : 'ANALYZE';
      return s.name === null ? verb : `${verb} ${qualified(s.schema, s.name)}`;
    }
    case 'Vacuum':
      return 'VACUUM' + (s.schema === null ? '' : ` ${formatIdentifier(s.schema)}`)
        + (s.into === null ? '' : ` INTO ${formatExpr(s.into)}`);
    case 'Attach':
      return `ATTACH ${formatExpr(s.file)} AS ${formatExpr(s.schema)}${s.key === null ? '' : ` KEY ${formatExpr(s.key)}`}`;
    case 'Detach':
      return `DETACH ${formatExpr(s.schema)}`;
    case 'Begin':
      return s.mode === null ? 'BEGIN' : `BEGIN ${s.mode}`;
    case 'Commit':
      return 'COMMIT';
    case 'Rollback':
      return s.savepoint === null ? 'ROLLBACK' : `ROLLBACK TO ${formatIdentifier(s.savepoint)}`;
    case 'Savepoint':
      return `SAVEPOINT ${formatIdentifier(s.name)}`;
    case 'Release':
      return `RELEASE ${formatIdentifier(s.name)}`;
    case 'Pragma': {
      const head = `PRAGMA ${qualified(s.schema, s.name)}`;
      if (s.value === null) return head;
      const numeric = /^-?(\d|\.\d)/.test(s.value);
      return `${head} = ${numeric ? s.value : `"${s.value.split('"').join('""')}"`}`;
    }
  }
}

function formatTarget(t: QualifiedTableName): string {
  let text = qualified(t.schema, t.name);
  if (t.alias !== null) text += ` AS ${formatIdentifier(t.alias)}`;
  if (t.indexedBy !== null) text += ` INDEXED BY ${formatIdentifier(t.indexedBy)}`;
  if (t.notIndexed) text += ' NOT INDEXED';
  return text;
}
