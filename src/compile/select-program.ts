/**
 * SELECT as a Program: the compiled query's operator is opened at the start
 * of each execution and pulled one row per `next()`; each row is a fresh
 * array of the result-column values. EXPLAIN QUERY PLAN of a query yields
 * SQLite's four columns (id, parent, notused, detail), one row per plan
 * line, with parents derived from the lines' nesting depth.
 */
import type { ColumnDescription } from '../exec/engine-contract.js';
import type { Program, ProgramRun } from '../exec/program.js';
import { rowsRun } from '../exec/program.js';
import type { SqlValue } from '../exec/values/value.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { CompiledQuery } from './select-compiler.js';
import type { PlanLine } from './query-planner.js';

export function selectProgram(query: CompiledQuery, schema: Schema): Program {
  const operator = query.operator;
  const columns = query.columns;
  const width = columns.length;
  return {
    access: 'read',
    reader: true,
    readonly: true,
    columns: query.descriptions,
    schema,
    start(): ProgramRun {
      let open = true;
      operator.open();
      const close = (): void => {
        if (!open) return;
        open = false;
        operator.close();
      };
      return {
        next(): SqlValue[] | null {
          if (!open) return null;
          if (!operator.next()) {
            close();
            return null;
          }
          const row: SqlValue[] = new Array(width);
          for (let i = 0; i < width; i++) row[i] = columns[i]();
          return row;
        },
        close,
      };
    },
  };
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
