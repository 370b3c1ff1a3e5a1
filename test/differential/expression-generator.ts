/**
 * Random SQL expressions over the fixture's columns: arithmetic (with
 * overflow), comparisons across types, affinities and collations, CASE,
 * CAST, BETWEEN, IN lists and subqueries, LIKE/GLOB, IS, COALESCE, string
 * and numeric functions, ||, and scalar, correlated and EXISTS subqueries.
 *
 * Every expression comes with what the query generator needs to keep a
 * query's result deterministic: `canonical` says two results that compare
 * equal (under the expression's collation) are always the identical value,
 * so grouping, DISTINCT, min/max and compound selects over it cannot pick
 * different representatives in different engines; `domain` says whether
 * integral numbers come out as INTEGER or REAL; `summable` says sum/avg
 * over it cannot overflow in an order-dependent way. Subqueries that yield
 * one value are aggregates or ordered by a unique key, so they never depend
 * on scan order.
 */
import type { Collation, ColumnInfo, NumericDomain, TableInfo } from './fixture-schema.js';
import { tables } from './fixture-schema.js';
import type { SeededRandom } from './seeded-random.js';

export interface Expression {
  readonly sql: string;
  readonly canonical: boolean;
  readonly domain: NumericDomain;
  readonly summable: boolean;
  /** The leftmost explicit COLLATE inside, which SQLite lets decide the expression's collation. */
  readonly explicit: Collation | null;
  /** The collation comparisons of this expression use. */
  readonly collation: Collation;
}

export interface ColumnReference {
  readonly sql: string;
  readonly info: ColumnInfo;
}

/** Columns an expression may name: its own query's, and those of enclosing queries (correlation). */
export interface Scope {
  readonly columns: readonly ColumnReference[];
  readonly outer: readonly ColumnReference[];
}

function literal(sql: string, domain: NumericDomain, summable = true): Expression {
  return { sql, canonical: true, domain, summable, explicit: null, collation: 'BINARY' };
}

const literals: readonly Expression[] = [
  literal('NULL', 'other'),
  literal('0', 'int'),
  literal('1', 'int'),
  literal('-1', 'int'),
  literal('2', 'int'),
  literal('3', 'int'),
  literal('7', 'int'),
  literal('12', 'int'),
  literal('100', 'int'),
  literal('-100', 'int'),
  literal('2147483648', 'int'),
  literal('4294967296', 'int'),
  literal('9223372036854775807', 'int', false),
  literal('-9223372036854775808', 'int', false),
  literal('0.5', 'real'),
  literal('-2.5', 'real'),
  literal('1.0', 'real'),
  literal('3.14', 'real'),
  literal('1e2', 'real'),
  literal('1e300', 'real', false),
  literal('-0.0', 'real'),
  literal("'12'", 'other'),
  literal("' 3'", 'other'),
  literal("'1e2'", 'other'),
  literal("'3.0'", 'other'),
  literal("'-1'", 'other'),
  literal("'abc'", 'other'),
  literal("'ABC'", 'other'),
  literal("'abc '", 'other'),
  literal("''", 'other'),
  literal("'x_y'", 'other'),
  literal("'b'", 'other'),
  literal("x'00'", 'other'),
  literal("x'616263'", 'other'),
  literal("x''", 'other'),
];

const likePatterns = ["'a%'", "'%b%'", "'_bc'", "'ABC'", "'%'", "''", "'1%'", "'%3'", "'a\\%%' ESCAPE '\\'", "'x!_y' ESCAPE '!'", "'%c '"];
const globPatterns = ["'a*'", "'*b*'", "'[a-c]*'", "'?bc'", "'A*'", "'*'", "'[!a]*'", "'1*'", "'*[0-9]'", "'x_y'"];
const castTypes = ['INTEGER', 'REAL', 'TEXT', 'BLOB', 'NUMERIC', 'INT', 'VARCHAR(5)', 'FLOAT', 'DECIMAL(5,2)', 'xyz'];
const collations: readonly Collation[] = ['NOCASE', 'RTRIM', 'BINARY'];
const printfFormats = ["'%d'", "'%s|%s'", "'%.2f'", "'%5.1e'", "'%x'", "'%-4s|'", "'%q'", "'%05d'", "'%g'", "'%c'"];

/** The row-identifying column of a table as a column description. */
export function keyColumn(table: TableInfo): ColumnInfo {
  const named = table.columns.find((c) => c.name === table.key);
  return named ?? { name: 'rowid', collation: 'BINARY', canonical: true, domain: 'int', summable: false, indexed: true };
}

export function columnExpression(ref: ColumnReference): Expression {
  const { info } = ref;
  return { sql: ref.sql, canonical: info.canonical, domain: info.domain, summable: info.summable, explicit: null, collation: info.collation };
}

function firstExplicit(parts: readonly Expression[]): Collation | null {
  for (const part of parts) if (part.explicit !== null) return part.explicit;
  return null;
}

/** A result computed from `parts` whose collation follows SQLite's rule for operators and functions. */
function derived(sql: string, parts: readonly Expression[], domain: NumericDomain, valueCanonical: boolean, summable: boolean): Expression {
  const explicit = firstExplicit(parts);
  const collation = explicit ?? 'BINARY';
  const canonical = valueCanonical && (domain === 'int' || domain === 'real' || collation === 'BINARY');
  return { sql, canonical, domain, summable, explicit, collation };
}

/** A 0/1/NULL result: canonical whatever its collation. */
function truth(sql: string, parts: readonly Expression[]): Expression {
  return derived(sql, parts, 'int', true, true);
}

export class ExpressionGenerator {
  private subqueryCounter = 0;

  constructor(private readonly random: SeededRandom) {}

  literal(): Expression {
    return this.random.pick(literals);
  }

  column(scope: Scope): Expression {
    const useOuter = scope.outer.length > 0 && this.random.chance(0.25);
    return columnExpression(this.random.pick(useOuter ? scope.outer : scope.columns));
  }

  leaf(scope: Scope): Expression {
    return this.random.chance(0.7) ? this.column(scope) : this.literal();
  }

  /** Any expression: a value of any storage class. */
  expression(scope: Scope, depth: number): Expression {
    if (depth <= 0 || this.random.chance(0.25)) return this.leaf(scope);
    const next = depth - 1;
    const r = this.random;
    const kind = r.weighted<string>([
      [6, 'arithmetic'],
      [2, 'bitwise'],
      [3, 'concat'],
      [4, 'predicate'],
      [3, 'case'],
      [3, 'cast'],
      [9, 'function'],
      [2, 'unary'],
      [1, 'collate'],
      [2, 'subquery'],
    ]);
    switch (kind) {
      case 'arithmetic': {
        const a = this.expression(scope, next);
        const b = this.expression(scope, next);
        const op = r.pick(['+', '-', '*', '/', '%']);
        return derived(`(${a.sql} ${op} ${b.sql})`, [a, b], 'mixed', false, a.summable && b.summable && op !== '*');
      }
      case 'bitwise': {
        const a = this.expression(scope, next);
        const b = this.expression(scope, next);
        return derived(`(${a.sql} ${r.pick(['&', '|', '<<', '>>'])} ${b.sql})`, [a, b], 'int', true, false);
      }
      case 'concat': {
        const a = this.expression(scope, next);
        const b = this.expression(scope, next);
        return derived(`(${a.sql} || ${b.sql})`, [a, b], 'other', true, a.summable && b.summable);
      }
      case 'predicate':
        return this.predicate(scope, next);
      case 'case':
        return this.caseExpression(scope, next);
      case 'cast':
        return this.cast(scope, next);
      case 'function':
        return this.functionCall(scope, next);
      case 'unary': {
        const a = this.expression(scope, next);
        const op = r.pick(['-', '+', '~']);
        if (op === '+') return { ...a, sql: `(+${a.sql})` };
        if (op === '~') return derived(`(~${a.sql})`, [a], 'int', true, false);
        return derived(`(-${a.sql})`, [a], 'mixed', false, a.summable);
      }
      case 'collate': {
        const a = this.expression(scope, next);
        const collation = r.pick(collations);
        const canonical = a.canonical && (a.domain === 'int' || a.domain === 'real' || collation === 'BINARY');
        return { sql: `(${a.sql} COLLATE ${collation})`, canonical, domain: a.domain, summable: a.summable, explicit: collation, collation };
      }
      default:
        return this.scalarSubquery(scope, next);
    }
  }

  /** An expression meant as a condition (though any value is a valid condition). */
  predicate(scope: Scope, depth: number): Expression {
    const next = Math.max(depth - 1, 0);
    const r = this.random;
    const kind = r.weighted<string>([
      [7, 'compare'],
      [2, 'logic'],
      [1, 'not'],
      [2, 'between'],
      [2, 'in-list'],
      [1, 'in-subquery'],
      [2, 'like'],
      [1, 'glob'],
      [2, 'null-test'],
      [1, 'exists'],
      [1, 'value'],
    ]);
    switch (kind) {
      case 'compare': {
        const a = this.operand(scope, next);
        const b = this.operand(scope, next);
        const op = r.pick(['=', '==', '!=', '<>', '<', '<=', '>', '>=', 'IS', 'IS NOT', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM']);
        const right = r.chance(0.1) ? `${b.sql} COLLATE ${r.pick(collations)}` : b.sql;
        return truth(`(${a.sql} ${op} ${right})`, [a, b]);
      }
      case 'logic': {
        const a = this.predicate(scope, next);
        const b = this.predicate(scope, next);
        return truth(`(${a.sql} ${r.pick(['AND', 'OR'])} ${b.sql})`, [a, b]);
      }
      case 'not': {
        const a = this.predicate(scope, next);
        return truth(`(NOT ${a.sql})`, [a]);
      }
      case 'between': {
        const a = this.operand(scope, next);
        const low = this.operand(scope, 0);
        const high = this.operand(scope, 0);
        return truth(`(${a.sql} ${r.chance(0.3) ? 'NOT ' : ''}BETWEEN ${low.sql} AND ${high.sql})`, [a, low, high]);
      }
      case 'in-list': {
        const a = this.operand(scope, next);
        const items: Expression[] = [];
        const count = r.between(0, 4);
        for (let i = 0; i < count; i++) items.push(this.operand(scope, 0));
        return truth(`(${a.sql} ${r.chance(0.3) ? 'NOT ' : ''}IN (${items.map((e) => e.sql).join(', ')}))`, [a]);
      }
      case 'in-subquery': {
        const a = this.operand(scope, next);
        return truth(`(${a.sql} ${r.chance(0.3) ? 'NOT ' : ''}IN ${this.listSubquery(scope)})`, [a]);
      }
      case 'like': {
        const a = this.operand(scope, next);
        const pattern = r.chance(0.8) ? r.pick(likePatterns) : this.operand(scope, 0).sql;
        return truth(`(${a.sql} ${r.chance(0.2) ? 'NOT ' : ''}LIKE ${pattern})`, [a]);
      }
      case 'glob': {
        const a = this.operand(scope, next);
        return truth(`(${a.sql} ${r.chance(0.2) ? 'NOT ' : ''}GLOB ${r.pick(globPatterns)})`, [a]);
      }
      case 'null-test': {
        const a = this.operand(scope, next);
        return truth(`(${a.sql} ${r.pick(['IS NULL', 'IS NOT NULL', 'ISNULL', 'NOTNULL', 'NOT NULL'])})`, [a]);
      }
      case 'exists':
        return truth(`(${r.chance(0.3) ? 'NOT ' : ''}EXISTS ${this.existsSubquery(scope)})`, []);
      default:
        return this.expression(scope, next);
    }
  }

  /** A comparison operand: mostly columns and literals, sometimes a computed value. */
  private operand(scope: Scope, depth: number): Expression {
    return depth > 0 && this.random.chance(0.3) ? this.expression(scope, depth) : this.leaf(scope);
  }

  private caseExpression(scope: Scope, depth: number): Expression {
    const r = this.random;
    const branches = r.between(1, 3);
    const parts: Expression[] = [];
    let sql = 'CASE';
    const simple = r.chance(0.4);
    if (simple) {
      const base = this.operand(scope, depth);
      parts.push(base);
      sql += ` ${base.sql}`;
    }
    for (let i = 0; i < branches; i++) {
      const when = simple ? this.operand(scope, 0) : this.predicate(scope, depth);
      const then = this.expression(scope, depth);
      sql += ` WHEN ${when.sql} THEN ${then.sql}`;
    }
    if (r.chance(0.7)) sql += ` ELSE ${this.expression(scope, depth).sql}`;
    return derived(`${sql} END`, parts, 'mixed', false, false);
  }

  private cast(scope: Scope, depth: number): Expression {
    const a = this.expression(scope, depth);
    const type = this.random.pick(castTypes);
    const sql = `CAST(${a.sql} AS ${type})`;
    const keep = { explicit: a.explicit, collation: a.collation };
    switch (type) {
      case 'INTEGER':
      case 'INT':
        return { sql, canonical: true, domain: 'int', summable: false, ...keep };
      case 'REAL':
      case 'FLOAT':
        return { sql, canonical: true, domain: 'real', summable: a.summable, ...keep };
      case 'TEXT':
      case 'VARCHAR(5)':
        return { sql, canonical: a.collation === 'BINARY', domain: 'other', summable: a.summable, ...keep };
      case 'BLOB':
        return { sql, canonical: true, domain: 'other', summable: a.summable, ...keep };
      default:
        return { sql, canonical: false, domain: 'mixed', summable: false, ...keep };
    }
  }

  private functionCall(scope: Scope, depth: number): Expression {
    const r = this.random;
    const a = this.expression(scope, depth);
    const b = (): Expression => this.operand(scope, depth);
    const small = (): string => r.pick(['0', '1', '2', '3', '-1', '-2', '10', 'NULL', "'2'", '1.5']);
    const name = r.pick([
      'abs', 'coalesce', 'ifnull', 'nullif', 'iif', 'length', 'lower', 'upper', 'substr', 'substring', 'trim', 'ltrim', 'rtrim',
      'replace', 'instr', 'hex', 'quote', 'round', 'typeof', 'unicode', 'char', 'min', 'max', 'printf', 'format', 'zeroblob',
    ]);
    switch (name) {
      case 'abs':
        // Only over values without int64 edges: abs(-9223372036854775808) fails, and whether a row
        // reaches it depends on the order the engines evaluate terms and joins in.
        if (!a.summable) return derived(`length(${a.sql})`, [a], 'int', true, true);
        return derived(`abs(${a.sql})`, [a], 'mixed', false, true);
      case 'coalesce':
      case 'ifnull': {
        const second = b();
        const third = name === 'coalesce' && r.chance(0.5) ? `, ${this.leaf(scope).sql}` : '';
        return derived(`${name}(${a.sql}, ${second.sql}${third})`, [a, second], 'mixed', false, false);
      }
      case 'nullif': {
        const second = b();
        return derived(`nullif(${a.sql}, ${second.sql})`, [a, second], a.domain, a.canonical, a.summable);
      }
      case 'iif': {
        const condition = this.predicate(scope, depth);
        const other = b();
        return derived(`iif(${condition.sql}, ${a.sql}, ${other.sql})`, [condition, a, other], 'mixed', false, false);
      }
      case 'length':
      case 'instr':
      case 'unicode': {
        const args = name === 'instr' ? `${a.sql}, ${b().sql}` : a.sql;
        return { sql: `${name}(${args})`, canonical: true, domain: 'int', summable: true, explicit: a.explicit, collation: a.explicit ?? 'BINARY' };
      }
      case 'lower':
      case 'upper':
      case 'hex':
      case 'quote':
      case 'typeof':
        return derived(`${name}(${a.sql})`, [a], 'other', true, a.summable);
      case 'substr':
      case 'substring': {
        const args = r.chance(0.5) ? `${small()}, ${small()}` : small();
        return derived(`${name}(${a.sql}, ${args})`, [a], 'other', true, a.summable);
      }
      case 'trim':
      case 'ltrim':
      case 'rtrim': {
        const chars = r.chance(0.4) ? `, ${r.pick(["'a'", "' '", "'1 '", "'abc'", "''", 'NULL'])}` : '';
        return derived(`${name}(${a.sql}${chars})`, [a], 'other', true, a.summable);
      }
      case 'replace': {
        const from = b();
        const to = b();
        return derived(`replace(${a.sql}, ${from.sql}, ${to.sql})`, [a, from, to], 'other', true, a.summable && to.summable);
      }
      case 'round': {
        const digits = r.chance(0.5) ? `, ${r.pick(['0', '1', '2', '-1', '20', "'1'", 'NULL'])}` : '';
        return derived(`round(${a.sql}${digits})`, [a], 'real', true, a.summable);
      }
      case 'char':
        return derived(`char(${r.pick(['65', '97, 98', '0x263a', '-1', '1114112', "'66'", '3.9'])})`, [], 'other', true, true);
      case 'min':
      case 'max': {
        const second = b();
        return derived(`${name}(${a.sql}, ${second.sql})`, [a, second], 'mixed', false, false);
      }
      case 'printf':
      case 'format': {
        const second = b();
        return derived(`${name}(${r.pick(printfFormats)}, ${a.sql}, ${second.sql})`, [a, second], 'other', true, a.summable && second.summable);
      }
      default:
        return derived(`zeroblob(${r.pick(['0', '1', '3', '-1', "'2'"])})`, [], 'other', true, true);
    }
  }

  /** `( SELECT ... )` yielding one value whatever the scan order: an aggregate, or ordered by a unique key. */
  scalarSubquery(scope: Scope, depth: number): Expression {
    const { alias, table, inner } = this.subqueryTable(scope);
    const where = this.random.chance(0.8) ? ` WHERE ${this.correlatedPredicate(inner, depth)}` : '';
    const r = this.random;
    if (r.chance(0.5)) {
      // Aggregate arguments read only the subquery's own columns: SQLite hands an aggregate over outer
      // columns alone to the outer query, which Shoal does not do (see the report).
      const aggregate = this.aggregateOf({ columns: inner.columns, outer: [] }, depth);
      return { ...aggregate, sql: `(SELECT ${aggregate.sql} FROM ${table.name} AS ${alias}${where})` };
    }
    const value = this.expression(inner, Math.min(depth, 1));
    // No OFFSET beside EXISTS: SQLite 3.53.0 ignores it there (see QueryGenerator.limit).
    const offset = !where.includes('EXISTS') && r.chance(0.2) ? ' OFFSET 1' : '';
    const direction = r.chance(0.5) ? ' DESC' : '';
    return {
      sql: `(SELECT ${value.sql} FROM ${table.name} AS ${alias}${where} ORDER BY ${alias}.${table.key}${direction} LIMIT 1${offset})`,
      canonical: value.canonical && value.collation === 'BINARY',
      domain: value.domain,
      summable: value.summable,
      explicit: null,
      collation: 'BINARY',
    };
  }

  /** An aggregate over `scope`'s rows whose value does not depend on the order rows arrive in. */
  aggregateOf(scope: Scope, depth: number): Expression {
    const r = this.random;
    const kind = r.weighted<string>([
      [3, 'count-star'],
      [2, 'count'],
      [1, 'count-distinct'],
      [2, 'sum'],
      [1, 'total'],
      [1, 'avg'],
      [3, 'min-max'],
      [1, 'concat-length'],
    ]);
    switch (kind) {
      case 'count-star':
        return literal('count(*)', 'int');
      case 'count':
      case 'count-distinct': {
        const a = this.expression(scope, Math.min(depth, 1));
        return literal(`count(${kind === 'count' ? '' : 'DISTINCT '}${a.sql})`, 'int');
      }
      case 'sum':
      case 'total':
      case 'avg': {
        const a = this.summable(scope, depth);
        const distinct = a.canonical && r.chance(0.2) ? 'DISTINCT ' : '';
        const domain = kind === 'sum' ? 'mixed' : 'real';
        return { sql: `${kind}(${distinct}${a.sql})`, canonical: kind !== 'sum', domain, summable: false, explicit: null, collation: 'BINARY' };
      }
      case 'min-max': {
        const a = this.canonical(scope, depth);
        return { ...a, sql: `${r.pick(['min', 'max'])}(${a.sql})` };
      }
      default: {
        const a = this.expression(scope, Math.min(depth, 1));
        const separator = r.chance(0.5) ? `, ${r.pick(["''", "'--'", 'NULL'])}` : '';
        const fn = r.pick(['group_concat', 'string_agg']);
        const args = fn === 'string_agg' && separator === '' ? `${a.sql}, ','` : `${a.sql}${separator}`;
        // Blob length: a text length stops at the first NUL, which would depend on the row order.
        return literal(`length(CAST(${fn}(${args}) AS BLOB))`, 'int');
      }
    }
  }

  /** An expression whose equal results are identical (so min/max/DISTINCT/grouping pick no representative). */
  canonical(scope: Scope, depth: number): Expression {
    for (let attempt = 0; attempt < 6; attempt++) {
      const candidate = this.expression(scope, Math.min(depth, 2));
      if (candidate.canonical) return candidate;
    }
    const columns = scope.columns.filter((c) => c.info.canonical);
    return columns.length > 0 ? columnExpression(this.random.pick(columns)) : this.literal();
  }

  /** An expression safe to sum in any order. */
  summable(scope: Scope, depth: number): Expression {
    for (let attempt = 0; attempt < 6; attempt++) {
      const candidate = this.expression(scope, Math.min(depth, 2));
      if (candidate.summable) return candidate;
    }
    return literal(`length(${this.column(scope).sql})`, 'int');
  }

  /** A fresh alias over a random table, with the columns an inner query sees. */
  subqueryTable(scope: Scope): { alias: string; table: TableInfo; inner: Scope } {
    const table = this.random.pick(tables);
    const alias = `sq${this.subqueryCounter++}`;
    const columns = table.columns.map((info) => ({ sql: `${alias}.${info.name}`, info }));
    return { alias, table, inner: { columns, outer: [...scope.columns, ...scope.outer] } };
  }

  /** A condition inside a subquery, usually tying an inner column to an outer one. */
  correlatedPredicate(inner: Scope, depth: number): string {
    const r = this.random;
    if (inner.outer.length > 0 && r.chance(0.6)) {
      const mine = columnExpression(r.pick(inner.columns));
      const theirs = columnExpression(r.pick(inner.outer));
      const tie = `${mine.sql} ${r.pick(['=', '<', '>=', 'IS', '!='])} ${theirs.sql}`;
      return r.chance(0.3) ? `${tie} AND ${this.predicate({ columns: inner.columns, outer: [] }, 0).sql}` : tie;
    }
    return this.predicate(inner, Math.min(depth, 1)).sql;
  }

  private listSubquery(scope: Scope): string {
    const { alias, table, inner } = this.subqueryTable(scope);
    const value = this.expression({ columns: inner.columns, outer: [] }, 1);
    const where = this.random.chance(0.7) ? ` WHERE ${this.correlatedPredicate(inner, 1)}` : '';
    return `(SELECT ${value.sql} FROM ${table.name} AS ${alias}${where})`;
  }

  private existsSubquery(scope: Scope): string {
    const { alias, table, inner } = this.subqueryTable(scope);
    return `(SELECT ${this.random.pick(['1', '*', 'NULL'])} FROM ${table.name} AS ${alias} WHERE ${this.correlatedPredicate(inner, 1)})`;
  }
}
