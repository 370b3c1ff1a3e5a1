/**
 * SELECT as a Program: the compiled query's operator is opened at the start
 * of each execution and pulled one row per `next()`, into a row array the
 * run reuses. EXPLAIN QUERY PLAN of a query yields
 * SQLite's four columns (id, parent, notused, detail), one row per plan
 * line, with parents derived from the lines' nesting depth.
 */
import type { ColumnDescription } from '../exec/engine-contract.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Operator } from '../exec/operator.js';
import type { Program, ProgramRun } from '../exec/program.js';
import { rowsRun } from '../exec/program.js';
import type { SqlValue } from '../exec/values/value.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { CompiledQuery } from './select-compiler.js';
import type { PlanLine } from './query-planner.js';

export function selectProgram(query: CompiledQuery, schema: Schema): Program {
  let idle: QueryRun | null = null;
  return {
    access: 'read',
    reader: true,
    readonly: true,
    columns: query.descriptions,
    schema,
    start(): ProgramRun {
      let run = idle;
      if (run === null || run.active) run = idle = new QueryRun(query);
      run.begin();
      return run;
    },
  };
}

/**
 * One execution of a query. The program keeps its last run and restarts it
 * for the next execution (a new one is built only while it is still
 * active), and the row array is refilled on every `next()`.
 */
class QueryRun implements ProgramRun {
  active = false;
  private readonly operator: Operator;
  private readonly columns: readonly Evaluate[];
  private readonly row: SqlValue[];

  constructor(query: CompiledQuery) {
    this.operator = query.operator;
    this.columns = query.columns;
    this.row = new Array<SqlValue>(query.columns.length).fill(null);
  }

  begin(): void {
    this.operator.open();
    this.active = true;
  }

  next(): SqlValue[] | null {
    if (!this.active) return null;
    if (!this.operator.next()) {
      this.close();
      return null;
    }
    const row = this.row;
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) row[i] = columns[i]();
    return row;
  }

  close(): void {
    if (!this.active) return;
    this.active = false;
    this.operator.close();
  }
}

export const PLAN_COLUMNS: readonly ColumnDescription[] = ['id', 'parent', 'notused', 'detail'].map((name) => ({
  name,
  column: null,
  table: null,
  database: null,
  type: null,
}));

/** The rows of EXPLAIN QUERY PLAN for a list of plan lines. */
export function planRows(lines: readonly PlanLine[]): SqlValue[][] {
  const rows: SqlValue[][] = [];
  const parents: number[] = [0];
  lines.forEach((line, i) => {
    const id = i + 2;
    const parent = parents[line.depth] ?? 0;
    parents[line.depth + 1] = id;
    parents.length = line.depth + 2;
    rows.push([id, parent, 0, line.detail]);
  });
  return rows;
}

/** A program returning fixed rows computed per execution. */
export function rowsProgram(columns: readonly ColumnDescription[], schema: Schema | null, access: Program['access'], rows: () => SqlValue[][], readonly = true): Program {
  return {
    access,
    reader: true,
    readonly,
    columns,
    schema,
    start: () => rowsRun(rows()),
  };
}
