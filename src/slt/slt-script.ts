/**
 * Parser for sqllogictest scripts (the format of SQLite's sqllogictest suite).
 *
 * A script is a sequence of records separated by blank lines. This module
 * turns its text into `SltRecord`s with their line numbers and conditions;
 * it promises nothing about running them. Supported records: `statement ok`,
 * `statement error`, `query <types> [sortmode] [label]` with `----` and its
 * expected values, `hash-threshold N` and `halt`; each may be preceded by
 * `skipif ENGINE` / `onlyif ENGINE` lines. `#` starts a comment line.
 */

export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

export interface SltCondition {
  readonly kind: 'skipif' | 'onlyif';
  readonly engine: string;
}

interface RecordBase {
  /** 1-based line of the record's first line (after its conditions). */
  readonly line: number;
  readonly conditions: readonly SltCondition[];
}

export interface StatementRecord extends RecordBase {
  readonly kind: 'statement';
  readonly expectError: boolean;
  readonly sql: string;
}

export interface QueryRecord extends RecordBase {
  readonly kind: 'query';
  /** One letter per column: T text, I integer, R real. */
  readonly types: string;
  readonly sortMode: SortMode;
  readonly label: string | null;
  readonly sql: string;
  /** Expected result: the listed values, or a hash line. */
  readonly expected: ExpectedValues | ExpectedHash;
}

export interface ExpectedValues {
  readonly kind: 'values';
  readonly values: readonly string[];
}

export interface ExpectedHash {
  readonly kind: 'hash';
  readonly count: number;
  readonly md5: string;
}

export interface HashThresholdRecord extends RecordBase {
  readonly kind: 'hash-threshold';
  readonly threshold: number;
}

export interface HaltRecord extends RecordBase {
  readonly kind: 'halt';
}

export type SltRecord = StatementRecord | QueryRecord | HashThresholdRecord | HaltRecord;

export class SltSyntaxError extends Error {
  constructor(fileName: string, line: number, message: string) {
    super(`${fileName}:${line}: ${message}`);
    this.name = 'SltSyntaxError';
  }
}

const HASH_LINE = /^(\d+) values hashing to ([0-9a-f]{32})$/;

export function parseSltScript(text: string, fileName = '<script>'): SltRecord[] {
  const lines = text.split(/\r?\n/);
  const records: SltRecord[] = [];
  let i = 0;

  const isBlank = (line: string | undefined): boolean => line === undefined || line.trim() === '';

  while (i < lines.length) {
    if (isBlank(lines[i]) || lines[i].startsWith('#')) {
      i++;
      continue;
    }
    const conditions: SltCondition[] = [];
    let words = lines[i].trim().split(/\s+/);
    while (words[0] === 'skipif' || words[0] === 'onlyif') {
      if (words.length < 2) throw new SltSyntaxError(fileName, i + 1, `${words[0]} needs an engine name`);
      conditions.push({ kind: words[0], engine: words[1] });
      i++;
      if (isBlank(lines[i])) throw new SltSyntaxError(fileName, i, 'condition not followed by a record');
      words = lines[i].trim().split(/\s+/);
    }
    const line = i + 1;
    switch (words[0]) {
      case 'halt':
        records.push({ kind: 'halt', line, conditions });
        i++;
        break;
      case 'hash-threshold': {
        const threshold = Number(words[1]);
        if (!Number.isInteger(threshold) || threshold < 0) {
          throw new SltSyntaxError(fileName, line, `bad hash-threshold "${words[1] ?? ''}"`);
        }
        records.push({ kind: 'hash-threshold', line, conditions, threshold });
        i++;
        break;
      }
      case 'statement': {
        if (words[1] !== 'ok' && words[1] !== 'error') {
          throw new SltSyntaxError(fileName, line, `statement must be "ok" or "error", got "${words[1] ?? ''}"`);
        }
        i++;
        const sqlLines: string[] = [];
        while (!isBlank(lines[i])) sqlLines.push(lines[i++]);
        if (sqlLines.length === 0) throw new SltSyntaxError(fileName, line, 'statement without SQL');
        records.push({ kind: 'statement', line, conditions, expectError: words[1] === 'error', sql: sqlLines.join('\n') });
        break;
      }
      case 'query': {
        const types = words[1];
        if (!types || !/^[TIR]+$/.test(types)) {
          throw new SltSyntaxError(fileName, line, `bad query column types "${types ?? ''}"`);
        }
        const sortMode = (words[2] ?? 'nosort') as SortMode;
        if (sortMode !== 'nosort' && sortMode !== 'rowsort' && sortMode !== 'valuesort') {
          throw new SltSyntaxError(fileName, line, `unknown sort mode "${sortMode}"`);
        }
        const label = words[3] ?? null;
        i++;
        const sqlLines: string[] = [];
        while (!isBlank(lines[i]) && lines[i] !== '----') sqlLines.push(lines[i++]);
        if (sqlLines.length === 0) throw new SltSyntaxError(fileName, line, 'query without SQL');
        const values: string[] = [];
        if (lines[i] === '----') {
          i++;
          while (!isBlank(lines[i])) values.push(lines[i++]);
        }
        const hash = values.length === 1 ? HASH_LINE.exec(values[0]) : null;
        const expected: ExpectedValues | ExpectedHash = hash
          ? { kind: 'hash', count: Number(hash[1]), md5: hash[2] }
          : { kind: 'values', values };
        records.push({ kind: 'query', line, conditions, types, sortMode, label, sql: sqlLines.join('\n'), expected });
        break;
      }
      default:
        throw new SltSyntaxError(fileName, line, `unknown record "${words[0]}"`);
    }
  }
  return records;
}

/** True when a record with these conditions runs on `engine`. */
export function appliesTo(conditions: readonly SltCondition[], engine: string): boolean {
  for (const condition of conditions) {
    if (condition.kind === 'skipif' && condition.engine === engine) return false;
    if (condition.kind === 'onlyif' && condition.engine !== engine) return false;
  }
  return true;
}
