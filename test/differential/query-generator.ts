/**
 * Random SELECT statements over the fixture schema, one per seed.
 *
 * Shapes: expression projections, index-friendly WHERE clauses (equality,
 * ranges, IN, multi-column and partial indexes, rowid and primary keys),
 * joins (inner, LEFT, CROSS, comma, USING, NATURAL; subqueries and CTEs in
 * FROM), aggregates with GROUP BY/HAVING, DISTINCT, ORDER BY with
 * LIMIT/OFFSET, scalar/correlated/EXISTS subqueries, ordered group_concat,
 * compound selects and statements that must fail.
 *
 * Each query says how its result may be compared: `ordered` only when its
 * ORDER BY fully determines the row order (it ends with a unique key of every
 * source, or orders distinct rows by every column, or groups by every key),
 * otherwise as a multiset. LIMIT/OFFSET appear only on ordered queries.
 * `errorsOnly` marks mutated statements (a token dropped): those are compared
 * only on whether and how they fail.
 */
import { tables, type TableInfo } from './fixture-schema.js';
import { columnExpression, ExpressionGenerator, keyColumn, type ColumnReference, type Expression, type Scope } from './expression-generator.js';
import { SeededRandom } from './seeded-random.js';

export interface GeneratedQuery {
  readonly sql: string;
  readonly ordered: boolean;
  readonly errorsOnly: boolean;
}

interface Source {
  readonly sql: string;
  readonly columns: readonly ColumnReference[];
  /** Unique and identical-when-equal for this source's rows. */
  readonly key: string;
}

interface FromClause {
  readonly sql: string;
  readonly sources: readonly Source[];
  /** WITH clause text (empty when none). */
  readonly with: string;
}

const errorStatements: readonly string[] = [
  'SELECT nosuch FROM t1',
  'SELECT t1.nosuch FROM t1',
  'SELECT * FROM nosuch',
  'SELECT a FROM t1, t2',
  'SELECT t1.a FROM t1, t1',
  'SELECT t3.k FROM t3 JOIN t3 ON 1',
  'SELECT t2.id FROM t2 LEFT JOIN t1 ON 1 CROSS JOIN t2',
  'SELECT c FROM t1 JOIN t2 ON t1.a = t2.a',
  'SELECT t1.a FROM t1 WHERE count(*) > 1',
  'SELECT substr() FROM t1',
  'SELECT substr(c) FROM t1',
  'SELECT nosuchfn(1)',
  'SELECT a FROM t1 UNION SELECT a, c FROM t2',
  'SELECT a, b FROM t1 INTERSECT SELECT a FROM t3',
  'SELECT t3.rowid FROM t3',
  'SELECT 1 ORDER BY 2',
  'SELECT a FROM t1 GROUP BY 3',
  'SELECT (SELECT a, b FROM t1)',
  'SELECT a FROM t1 WHERE a IN (SELECT a, c FROM t2)',
  'SELECT sum(a, b) FROM t1',
  'SELECT count(a, b) FROM t1',
  "SELECT * FROM t1 LIMIT 'abc'",
  'SELECT * FROM t1 LIMIT 1.5',
  'SELECT abs(-9223372036854775808)',
  'SELECT abs(a) FROM t1 WHERE a < 0',
  'SELECT sum(v) FROM (SELECT 9223372036854775807 AS v UNION ALL SELECT 1)',
  'SELECT max(a) FROM t1 GROUP BY max(a)',
  'SELECT a FROM t1 HAVING a > 1',
  'SELECT * FROM t1 JOIN t2 USING (nosuch)',
  'SELECT * FROM t1 JOIN t2 USING (b)',
  'SELECT x.a FROM t1',
  'SELECT t1.a FROM t1 AS x',
  'SELECT * FROM t1 AS x, t2 AS x',
  'SELECT min() FROM t1',
  'SELECT group_concat() FROM t1',
  'SELECT a FROM t1 ORDER BY nosuch',
  'SELECT a AS q FROM t1 GROUP BY nosuch',
  'SELECT count(*) FILTER (WHERE a > 1) FROM t1 GROUP BY',
  'SELECT * FROM',
  'SELECT a FROM t1 WHERE',
  'SELECT (1',
  'SELECT 1 +',
  'SELECT a FROM t1 t1 t1',
  "SELECT 'abc",
  'SELECT x\'0\'',
  'SELECT 1 FROM t1 JOIN',
  'SELECT CAST(a) FROM t1',
  'SELECT a FROM t1 LIMIT 1 OFFSET',
  'SELECT a, FROM t1',
  'SELECT DISTINCT FROM t1',
  'SELECT 1 UNION',
  'SELECT 1 IN',
  'SELECT a BETWEEN 1 FROM t1',
  'SELECT CASE END',
  'SELECT ?',
  'WITH w AS (SELECT 1) SELECT * FROM w, w',
  'WITH w(a, b) AS (SELECT 1) SELECT * FROM w',
];

export class QueryGenerator {
  private readonly random: SeededRandom;
  private readonly expressions: ExpressionGenerator;
  private derivedCounter = 0;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
    this.expressions = new ExpressionGenerator(this.random);
  }

  next(): GeneratedQuery {
    const r = this.random;
    const shape = r.weighted<() => GeneratedQuery>([
      [26, () => this.projection()],
      [16, () => this.indexedLookup()],
      [16, () => this.aggregate()],
      [8, () => this.distinct()],
      [9, () => this.subqueryHeavy()],
      [10, () => this.compound()],
      [3, () => this.orderedConcat()],
      [2, () => this.fixedError()],
      [3, () => this.mutated()],
    ]);
    return shape();
  }

  // --- FROM clauses -----------------------------------------------------

  private tableSource(table: TableInfo, alias: string | null): Source {
    const name = alias ?? table.name;
    const sql = alias === null ? table.name : `${table.name} AS ${alias}`;
    const columns = table.columns.map((info) => ({ sql: `${name}.${info.name}`, info }));
    return { sql, columns, key: `${name}.${table.key}` };
  }

  /** A subquery in FROM (inline or as a CTE) over one table, keeping that table's key. */
  private derivedSource(): { source: Source; cte: string | null } {
    const r = this.random;
    const table = r.pick(tables);
    const name = `d${this.derivedCounter++}`;
    const inner = `${name}_in`;
    const base = this.tableSource(table, inner);
    const scope: Scope = { columns: base.columns, outer: [] };
    const picked: { sql: string; expression: Expression }[] = [{ sql: `${inner}.${table.key}`, expression: columnExpression({ sql: '', info: keyColumn(table) }) }];
    const count = r.between(1, 3);
    for (let i = 0; i < count; i++) {
      const expression = r.chance(0.6) ? this.expressions.column(scope) : this.expressions.expression(scope, 2);
      picked.push({ sql: expression.sql, expression });
    }
    const names = picked.map((_, i) => (i === 0 ? 'k' : `c${i}`));
    const where = r.chance(0.5) ? ` WHERE ${this.expressions.predicate(scope, 1).sql}` : '';
    const columns: ColumnReference[] = picked.map((p, i) => ({
      sql: `${name}.${names[i]}`,
      info: {
        name: names[i],
        collation: p.expression.collation,
        canonical: p.expression.canonical,
        domain: p.expression.domain,
        summable: p.expression.summable,
        indexed: false,
      },
    }));
    const key = `${name}.k`;
    if (r.chance(0.5)) {
      const body = `SELECT ${picked.map((p, i) => `${p.sql} AS ${names[i]}`).join(', ')} FROM ${base.sql}${where}`;
      return { source: { sql: `(${body}) AS ${name}`, columns, key }, cte: null };
    }
    const body = `SELECT ${picked.map((p) => p.sql).join(', ')} FROM ${base.sql}${where}`;
    return { source: { sql: name, columns, key }, cte: `${name}(${names.join(', ')}) AS (${body})` };
  }

  private anySource(allowDerived: boolean, ctes: string[], used: Set<string>): Source {
    const r = this.random;
    if (allowDerived && r.chance(0.12)) {
      const { source, cte } = this.derivedSource();
      if (cte !== null) ctes.push(cte);
      return source;
    }
    const table = r.pick(tables);
    const taken = used.has(table.name);
    used.add(table.name);
    return this.tableSource(table, taken || r.chance(0.3) ? `${table.name}_${this.derivedCounter++}` : null);
  }

  private fromClause(maxSources: number): FromClause {
    const r = this.random;
    const ctes: string[] = [];
    const used = new Set<string>();
    const count = Math.min(maxSources, r.weighted([[45, 1], [40, 2], [15, 3]]));
    const first = this.anySource(true, ctes, used);
    const sources: Source[] = [first];
    let sql = first.sql;
    for (let i = 1; i < count; i++) {
      const usingTables = count === 2 && r.chance(0.25);
      if (usingTables && !first.sql.startsWith('(') && tables.some((t) => first.sql === t.name)) {
        const left = tables.find((t) => t.name === first.sql) as TableInfo;
        const right = r.pick(tables.filter((t) => t !== left && !used.has(t.name)));
        const shared = left.columns.map((c) => c.name).filter((n) => right.columns.some((c) => c.name === n));
        const source = this.tableSource(right, null);
        sources.push(source);
        const left_ = r.chance(0.3) ? 'LEFT ' : '';
        if (r.chance(0.4) || shared.length === 0) sql += ` NATURAL ${left_}JOIN ${source.sql}`;
        else sql += ` ${left_}JOIN ${source.sql} USING (${r.sample(shared, r.between(1, shared.length)).join(', ')})`;
        continue;
      }
      const source = this.anySource(true, ctes, used);
      const kind = r.weighted<string>([[4, 'JOIN'], [1, 'INNER JOIN'], [4, 'LEFT JOIN'], [1, 'LEFT OUTER JOIN'], [1, 'CROSS JOIN'], [2, ',']]);
      if (kind === ',' || kind === 'CROSS JOIN') {
        sql += kind === ',' ? `, ${source.sql}` : ` CROSS JOIN ${source.sql}`;
      } else {
        const previous = sources.flatMap((s) => s.columns);
        const mine = source.columns;
        const tie = `${r.pick(previous).sql} ${r.pick(['=', '=', '=', '<', 'IS', '>='])} ${r.pick(mine).sql}`;
        let on = tie;
        if (r.chance(0.3)) on = this.expressions.predicate({ columns: [...previous, ...mine], outer: [] }, 1).sql;
        else if (r.chance(0.25)) on += ` AND ${this.expressions.predicate({ columns: [...previous, ...mine], outer: [] }, 1).sql}`;
        // SQLite 3.53.0 drops unmatched rows of a LEFT JOIN whose ON holds a LIKE/GLOB it optimizes (regression-cases.ts).
        if (kind.startsWith('LEFT') && /\b(LIKE|GLOB)\b/.test(on)) on = tie;
        sql += ` ${kind} ${source.sql} ON ${on}`;
      }
      sources.push(source);
    }
    return { sql, sources, with: ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : '' };
  }

  private scopeOf(from: FromClause): Scope {
    return { columns: from.sources.flatMap((s) => s.columns), outer: [] };
  }

  private where(scope: Scope, chance: number): string {
    return this.random.chance(chance) ? ` WHERE ${this.expressions.predicate(scope, 2).sql}` : '';
  }

  /**
   * LIMIT and OFFSET for `statement`. No OFFSET follows a statement with
   * EXISTS: SQLite 3.53.0 ignores the OFFSET when it turns a correlated
   * EXISTS into a join (regression-cases.ts).
   */
  private limit(statement: string): string {
    const r = this.random;
    if (!r.chance(0.5)) return '';
    const count = r.pick(['0', '1', '2', '3', '5', '-1', "'2'", '1 + 1']);
    const offsetAllowed = !statement.includes('EXISTS');
    if (offsetAllowed && r.chance(0.4)) return ` LIMIT ${count} OFFSET ${r.pick(['0', '1', '2', '4', '-1'])}`;
    return offsetAllowed && r.chance(0.1) ? ` LIMIT ${r.pick(['1', '2'])}, ${count}` : ` LIMIT ${count}`;
  }

  private direction(): string {
    const r = this.random;
    return `${r.pick(['', ' ASC', ' DESC'])}${r.chance(0.15) ? r.pick([' NULLS FIRST', ' NULLS LAST']) : ''}`;
  }

  /** ORDER BY some terms then every source's key: a total order. */
  private totalOrder(scope: Scope, sources: readonly Source[]): string {
    const r = this.random;
    const terms: string[] = [];
    const count = r.between(0, 2);
    for (let i = 0; i < count; i++) {
      const term = this.expressions.expression(scope, 1).sql;
      terms.push(`${term}${r.chance(0.15) ? ` COLLATE ${r.pick(['NOCASE', 'RTRIM'])}` : ''}${this.direction()}`);
    }
    for (const source of sources) terms.push(`${source.key}${this.direction()}`);
    return ` ORDER BY ${terms.join(', ')}`;
  }

  // --- shapes -------------------------------------------------------------

  private projection(): GeneratedQuery {
    const r = this.random;
    const from = this.fromClause(3);
    const scope = this.scopeOf(from);
    let items: string[];
    if (r.chance(0.08)) {
      items = ['*'];
    } else {
      items = [];
      const count = r.between(1, 4);
      for (let i = 0; i < count; i++) {
        const expression = this.expressions.expression(scope, 3);
        items.push(expression.sql);
        if (r.chance(0.3)) items.push(`typeof(${expression.sql})`);
      }
    }
    const where = this.where(scope, 0.6);
    const base = `${from.with}SELECT ${items.join(', ')} FROM ${from.sql}${where}`;
    if (r.chance(0.55)) return { sql: `${base}${this.totalOrder(scope, from.sources)}${this.limit(base)}`, ordered: true, errorsOnly: false };
    if (r.chance(0.2)) return { sql: `${base} ORDER BY ${this.expressions.expression(scope, 1).sql}`, ordered: false, errorsOnly: false };
    return { sql: base, ordered: false, errorsOnly: false };
  }

  /** One table filtered on an indexed column (or the rowid / primary key), often ordered by it. */
  private indexedLookup(): GeneratedQuery {
    const r = this.random;
    const table = r.pick(tables);
    const source = this.tableSource(table, null);
    const scope: Scope = { columns: source.columns, outer: [] };
    const indexed = [...table.columns.filter((c) => c.indexed).map((c) => c.name), ...(table.key === 'rowid' ? ['rowid'] : [])];
    const conditions: string[] = [];
    const count = r.between(1, 2);
    const pairs: Record<string, string[]> = { t1: ['c', 'e', 'g', 'a'], t2: ['a', 'x'], t3: ['v', 'w'] };
    let columns = r.sample(indexed, count);
    if (r.chance(0.3)) columns = pairs[table.name].slice(0, 2);
    for (const name of columns) conditions.push(this.indexCondition(`${table.name}.${name}`));
    if (table.name === 't1' && r.chance(0.15)) conditions.push(`t1.b ${r.pick(['>', '>=', '='])} ${r.pick(['0.5', '1', '3', '100', "'3'"])}`);
    if (table.name === 't2' && r.chance(0.15)) conditions.push(`t2.z IS NOT NULL AND t2.z ${r.pick(['=', '>', '<'])} ${this.expressions.literal().sql}`);
    if (r.chance(0.25)) conditions.push(this.expressions.predicate(scope, 1).sql);
    const joiner = r.chance(0.85) ? ' AND ' : ' OR ';
    const items: string[] = [];
    const count2 = r.between(1, 3);
    for (let i = 0; i < count2; i++) items.push(r.chance(0.6) ? this.expressions.column(scope).sql : this.expressions.expression(scope, 1).sql);
    if (r.chance(0.3)) items.push(`typeof(${items[0]})`);
    const base = `SELECT ${items.join(', ')} FROM ${source.sql} WHERE ${conditions.join(joiner)}`;
    if (r.chance(0.6)) {
      const lead = columns[0] === 'rowid' ? '' : `${table.name}.${columns[0]}${this.direction()}, `;
      return { sql: `${base} ORDER BY ${lead}${source.key}${this.direction()}${this.limit(base)}`, ordered: true, errorsOnly: false };
    }
    return { sql: base, ordered: false, errorsOnly: false };
  }

  private indexCondition(column: string): string {
    const r = this.random;
    const value = (): string => this.expressions.literal().sql;
    switch (r.below(9)) {
      case 0:
      case 1:
        return `${column} = ${value()}`;
      case 2:
        return `${value()} = ${column}`;
      case 3:
        return `${column} IN (${[value(), value(), value()].join(', ')})`;
      case 4:
        return `${column} BETWEEN ${value()} AND ${value()}`;
      case 5:
        return `${column} ${r.pick(['<', '<=', '>', '>='])} ${value()}`;
      case 6:
        return `${column} > ${value()} AND ${column} < ${value()}`;
      case 7:
        return `${column} ${r.pick(['IS NULL', 'IS NOT NULL', 'IS 1', "LIKE 'a%'", "GLOB 'a*'", "LIKE '1%'"])}`;
      default:
        return `+${column} ${r.pick(['=', '>'])} ${value()}`;
    }
  }

  private aggregate(): GeneratedQuery {
    const r = this.random;
    const from = this.fromClause(2);
    const scope = this.scopeOf(from);
    const where = this.where(scope, 0.4);
    if (r.chance(0.2)) {
      const items = Array.from({ length: r.between(1, 4) }, () => this.aggregateItem(scope, []));
      const having = r.chance(0.1) ? ` HAVING ${this.havingPredicate(scope, [])}` : '';
      return { sql: `${from.with}SELECT ${items.join(', ')} FROM ${from.sql}${where}${having}`, ordered: true, errorsOnly: false };
    }
    const keyCount = r.between(1, 2);
    const keys: Expression[] = [];
    for (let i = 0; i < keyCount; i++) keys.push(this.groupKey(scope));
    const items: string[] = [];
    keys.forEach((key) => {
      if (key.canonical && r.chance(0.8)) items.push(key.sql);
    });
    const aggregateCount = r.between(1, 3);
    for (let i = 0; i < aggregateCount; i++) items.push(this.aggregateItem(scope, keys));
    const having = r.chance(0.4) ? ` HAVING ${this.havingPredicate(scope, keys)}` : '';
    const grouped = `${from.with}SELECT ${items.join(', ')} FROM ${from.sql}${where} GROUP BY ${keys.map((k) => k.sql).join(', ')}${having}`;
    if (r.chance(0.6)) {
      const lead = r.chance(0.3) ? `count(*)${this.direction()}, ` : '';
      const order = keys.map((k) => `${k.sql}${this.direction()}`).join(', ');
      return { sql: `${grouped} ORDER BY ${lead}${order}${this.limit(grouped)}`, ordered: true, errorsOnly: false };
    }
    return { sql: grouped, ordered: false, errorsOnly: false };
  }

  private groupKey(scope: Scope): Expression {
    const r = this.random;
    const column = this.expressions.column(scope);
    switch (r.below(8)) {
      case 0:
        return { ...column, sql: `length(${column.sql})`, canonical: true, domain: 'int', collation: 'BINARY' };
      case 1:
        return { ...column, sql: `typeof(${column.sql})`, canonical: true, domain: 'other', collation: 'BINARY' };
      case 2:
        return { ...column, sql: `lower(${column.sql})`, canonical: true, domain: 'other', collation: 'BINARY' };
      case 3:
        return { ...column, sql: `(${column.sql} % 3)`, canonical: false, domain: 'mixed' };
      default:
        return column;
    }
  }

  /** An aggregate, or an expression over aggregates and canonical group keys. */
  private aggregateItem(scope: Scope, keys: readonly Expression[]): string {
    const r = this.random;
    const aggregate = this.expressions.aggregateOf(scope, 2).sql;
    const canonicalKeys = keys.filter((k) => k.canonical);
    switch (r.below(7)) {
      case 0:
        return `${aggregate} ${r.pick(['+', '*', '||', '-'])} ${this.expressions.literal().sql}`;
      case 1:
        return `typeof(${aggregate})`;
      case 2:
        return `CASE WHEN count(*) > ${r.pick(['1', '2', '0'])} THEN ${aggregate} ELSE ${this.expressions.literal().sql} END`;
      case 3:
        return canonicalKeys.length > 0 ? `coalesce(${aggregate}, ${r.pick(canonicalKeys).sql})` : aggregate;
      default:
        return aggregate;
    }
  }

  private havingPredicate(scope: Scope, keys: readonly Expression[]): string {
    const r = this.random;
    const literal = (): string => this.expressions.literal().sql;
    const simple = (): string => {
      switch (r.below(5)) {
        case 0:
          return `count(*) ${r.pick(['>', '>=', '=', '<'])} ${r.pick(['1', '2', '0'])}`;
        case 1:
          return `${this.expressions.aggregateOf(scope, 1).sql} ${r.pick(['>', '<', '=', 'IS NOT', '!='])} ${literal()}`;
        case 2:
          return `${this.expressions.aggregateOf(scope, 1).sql} IS NOT NULL`;
        case 3:
          return keys.length > 0 ? `${r.pick(keys).sql} ${r.pick(['>', '<', '=', 'IS NOT'])} ${literal()}` : 'count(*) > 0';
        default:
          return `${this.expressions.aggregateOf(scope, 1).sql} BETWEEN ${literal()} AND ${literal()}`;
      }
    };
    return r.chance(0.25) ? `${simple()} ${r.pick(['AND', 'OR'])} ${simple()}` : simple();
  }

  private distinct(): GeneratedQuery {
    const r = this.random;
    const from = this.fromClause(2);
    const scope = this.scopeOf(from);
    const count = r.between(1, 3);
    const items = Array.from({ length: count }, () => this.expressions.canonical(scope, 2).sql);
    const base = `${from.with}SELECT DISTINCT ${items.join(', ')} FROM ${from.sql}${this.where(scope, 0.5)}`;
    if (r.chance(0.6)) {
      const order = items.map((_, i) => `${i + 1}${this.direction()}`).join(', ');
      return { sql: `${base} ORDER BY ${order}${this.limit(base)}`, ordered: true, errorsOnly: false };
    }
    return { sql: base, ordered: false, errorsOnly: false };
  }

  private subqueryHeavy(): GeneratedQuery {
    const r = this.random;
    const from = this.fromClause(2);
    const scope = this.scopeOf(from);
    const items = [from.sources[0].key];
    const count = r.between(1, 2);
    for (let i = 0; i < count; i++) items.push(this.expressions.scalarSubquery(scope, 2).sql);
    const conditions: string[] = [];
    if (r.chance(0.6)) conditions.push(this.expressions.predicate(scope, 2).sql);
    if (r.chance(0.5)) {
      const { alias, table, inner } = this.expressions.subqueryTable(scope);
      conditions.push(`${r.chance(0.3) ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${table.name} AS ${alias} WHERE ${this.expressions.correlatedPredicate(inner, 1)})`);
    }
    if (r.chance(0.4)) {
      const { alias, table, inner } = this.expressions.subqueryTable(scope);
      const value = this.expressions.column({ columns: inner.columns, outer: [] }).sql;
      const where = r.chance(0.6) ? ` WHERE ${this.expressions.correlatedPredicate(inner, 1)}` : '';
      conditions.push(`${this.expressions.column(scope).sql} ${r.chance(0.3) ? 'NOT ' : ''}IN (SELECT ${value} FROM ${table.name} AS ${alias}${where})`);
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(r.chance(0.8) ? ' AND ' : ' OR ')}` : '';
    const base = `${from.with}SELECT ${items.join(', ')} FROM ${from.sql}${where}`;
    if (r.chance(0.5)) return { sql: `${base}${this.totalOrder(scope, from.sources)}${this.limit(base)}`, ordered: true, errorsOnly: false };
    return { sql: base, ordered: false, errorsOnly: false };
  }

  /** group_concat over an ordered subquery of canonical values: its order is fixed. */
  private orderedConcat(): GeneratedQuery {
    const r = this.random;
    const table = r.pick(tables);
    const source = this.tableSource(table, 'src');
    const scope: Scope = { columns: source.columns, outer: [] };
    const value = this.expressions.canonical(scope, 2);
    const separator = r.chance(0.5) ? `, ${r.pick(["'|'", "''", "' - '"])}` : '';
    const where = this.where(scope, 0.5);
    const inner = `SELECT ${value.sql} AS v FROM ${source.sql}${where} ORDER BY 1${this.direction()}`;
    return { sql: `SELECT group_concat(v${separator}), count(v) FROM (${inner})`, ordered: true, errorsOnly: false };
  }

  private compound(): GeneratedQuery {
    const r = this.random;
    const width = r.between(1, 2);
    const memberCount = r.weighted([[70, 2], [30, 3]]);
    const members: { sql: string; columns: Expression[] }[] = [];
    for (let m = 0; m < memberCount; m++) {
      if (r.chance(0.12)) {
        const rows = Array.from({ length: r.between(1, 3) }, () => {
          const values = Array.from({ length: width }, () => this.expressions.literal());
          return values;
        });
        members.push({ sql: `VALUES ${rows.map((row) => `(${row.map((v) => v.sql).join(', ')})`).join(', ')}`, columns: rows.flat() });
        continue;
      }
      const table = r.pick(tables);
      const source = this.tableSource(table, null);
      const scope: Scope = { columns: source.columns, outer: [] };
      const columns = Array.from({ length: width }, () => (r.chance(0.7) ? this.expressions.canonical(scope, 1) : this.expressions.expression(scope, 1)));
      members.push({ sql: `SELECT ${columns.map((c) => c.sql).join(', ')} FROM ${source.sql}${this.where(scope, 0.5)}`, columns });
    }
    const all = members.flatMap((m) => m.columns);
    const domains = new Set(all.map((c) => c.domain));
    const deterministic = all.every((c) => c.canonical) && !domains.has('mixed') && !(domains.has('int') && domains.has('real'));
    let sql = members[0].sql;
    for (let m = 1; m < members.length; m++) {
      const op = deterministic ? r.pick(['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT']) : 'UNION ALL';
      sql += ` ${op} ${members[m].sql}`;
    }
    if (deterministic && r.chance(0.6)) {
      const order = Array.from({ length: width }, (_, i) => `${i + 1}${this.direction()}`).join(', ');
      sql += ` ORDER BY ${order}${this.limit(sql)}`;
      return { sql, ordered: true, errorsOnly: false };
    }
    if (r.chance(0.2)) {
      const names = Array.from({ length: width }, (_, i) => `p${i}`);
      return { sql: `WITH u(${names.join(', ')}) AS (${sql}) SELECT ${names.join(', ')} FROM u WHERE ${names[0]} IS NOT NULL`, ordered: false, errorsOnly: false };
    }
    return { sql, ordered: false, errorsOnly: false };
  }

  private fixedError(): GeneratedQuery {
    return { sql: this.random.pick(errorStatements), ordered: false, errorsOnly: false };
  }

  /** A generated statement with one token dropped: compared only on how it fails. */
  private mutated(): GeneratedQuery {
    const r = this.random;
    const original = this.projection().sql;
    const tokens = original.split(' ');
    tokens.splice(r.below(tokens.length), 1);
    return { sql: tokens.join(' '), ordered: false, errorsOnly: true };
  }
}
