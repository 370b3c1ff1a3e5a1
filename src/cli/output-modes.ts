/**
 * The shell's output modes, writing a query result exactly as sqlite3's
 * shell does: `list` (`|`-separated), `csv`, `json`, `line`, `box`, `table`,
 * `markdown`, `column`, `tabs`, `quote` and `insert`.
 *
 * `box`, `table`, `markdown` and `column` read the whole result first to size
 * the columns (headers centred, values left-aligned, multi-line values
 * spread over several lines); the other modes stream row by row. `.headers`
 * applies to `list`, `csv`, `tabs`, `quote` and `column`; the bordered modes
 * always show headers. NULL prints as the `.nullvalue` text.
 */
import { csvField, displayText, jsonString, quoteIdentifierIfNeeded, sqlLiteral, type CellValue } from './value-text.js';

export const OUTPUT_MODES = ['list', 'csv', 'json', 'line', 'box', 'table', 'markdown', 'column', 'tabs', 'quote', 'insert'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

export interface OutputSettings {
  readonly mode: OutputMode;
  readonly headers: boolean;
  readonly nullText: string;
  /** Table name the `insert` mode writes into. */
  readonly insertTable: string;
  /** Ends each row in the separated modes: `\r\n` after `.mode csv`, as sqlite3 does, `\n` otherwise. */
  readonly rowSeparator: string;
}

export function writeResult(
  settings: OutputSettings,
  names: readonly string[],
  rows: Iterable<CellValue[]>,
  write: (text: string) => void,
): void {
  switch (settings.mode) {
    case 'list':
      return writeSeparated(settings, names, rows, write, '|', (v) => displayText(v) ?? settings.nullText, (n) => n);
    case 'tabs':
      return writeSeparated(settings, names, rows, write, '\t', (v) => displayText(v) ?? settings.nullText, (n) => n);
    case 'csv':
      return writeSeparated(settings, names, rows, write, ',', (v) => csvField(displayText(v), settings.nullText, ','), (n) => csvField(n, '', ','));
    case 'quote':
      return writeSeparated(settings, names, rows, write, ',', sqlLiteral, (n) => `'${n.replace(/'/g, "''")}'`);
    case 'insert':
      return writeInsert(settings, names, rows, write);
    case 'json':
      return writeJson(names, rows, write);
    case 'line':
      return writeLine(settings, names, rows, write);
    case 'box':
    case 'table':
    case 'markdown':
    case 'column':
      return writeColumns(settings, names, rows, write);
  }
}

function writeSeparated(
  settings: OutputSettings,
  names: readonly string[],
  rows: Iterable<CellValue[]>,
  write: (text: string) => void,
  separator: string,
  cell: (value: CellValue) => string,
  header: (name: string) => string,
): void {
  let first = true;
  for (const row of rows) {
    if (first && settings.headers) write(`${names.map(header).join(separator)}${settings.rowSeparator}`);
    first = false;
    write(`${row.map(cell).join(separator)}${settings.rowSeparator}`);
  }
}

function writeInsert(settings: OutputSettings, names: readonly string[], rows: Iterable<CellValue[]>, write: (text: string) => void): void {
  const table = quoteIdentifierIfNeeded(settings.insertTable);
  const prefix = settings.headers ? `INSERT INTO ${table}(${names.map(quoteIdentifierIfNeeded).join(',')}) VALUES(` : `INSERT INTO ${table} VALUES(`;
  for (const row of rows) write(`${prefix}${row.map(sqlLiteral).join(',')});\n`);
}

function writeJson(names: readonly string[], rows: Iterable<CellValue[]>, write: (text: string) => void): void {
  const keys = names.map(jsonString);
  let first = true;
  for (const row of rows) {
    const fields = row.map((value, k) => `${keys[k]}:${jsonValue(value)}`);
    write(`${first ? '[' : ',\n'}{${fields.join(',')}}`);
    first = false;
  }
  if (!first) write(']\n');
}

function jsonValue(value: CellValue): string {
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'null' : value > 0 ? '1e999' : '-1e999';
  if (typeof value === 'bigint' || typeof value === 'number') return displayText(value) as string;
  return jsonString(typeof value === 'string' ? value : value.toString('utf8'));
}

function writeLine(settings: OutputSettings, names: readonly string[], rows: Iterable<CellValue[]>, write: (text: string) => void): void {
  const width = Math.max(5, ...names.map((name) => name.length));
  let first = true;
  for (const row of rows) {
    let out = first ? '' : '\n';
    first = false;
    for (let k = 0; k < names.length; k++) out += `${names[k].padStart(width)} = ${displayText(row[k]) ?? settings.nullText}\n`;
    write(out);
  }
}

function writeColumns(settings: OutputSettings, names: readonly string[], rows: Iterable<CellValue[]>, write: (text: string) => void): void {
  const table: string[][][] = [];
  for (const row of rows) table.push(row.map((value) => (displayText(value) ?? settings.nullText).split('\n')));
  if (table.length === 0) return;
  const widths = names.map((name) => name.length);
  for (const cells of table) {
    for (let k = 0; k < cells.length; k++) {
      for (const text of cells[k]) if (text.length > widths[k]) widths[k] = text.length;
    }
  }
  const mode = settings.mode;
  if (mode === 'column') {
    const writeRow = (cells: string[]) => write(`${cells.map((cell, k) => cell.padEnd(widths[k])).join('  ')}\n`);
    if (settings.headers) {
      writeRow([...names]);
      writeRow(widths.map((w) => '-'.repeat(w)));
    }
    for (const cells of table) {
      for (const lines of spread(cells)) writeRow(lines);
    }
    return;
  }
  const style = mode === 'box' ? BOX : mode === 'table' ? TABLE : MARKDOWN;
  const rule = (left: string, middle: string, right: string) => `${left}${widths.map((w) => style.horizontal.repeat(w + 2)).join(middle)}${right}\n`;
  const line = (cells: string[]) => `${style.vertical} ${cells.join(` ${style.vertical} `)} ${style.vertical}\n`;
  if (style.top) write(rule(...style.top));
  write(line(names.map((name, k) => centre(name, widths[k]))));
  write(rule(...style.middle));
  for (const cells of table) {
    for (const lines of spread(cells)) write(line(lines.map((text, k) => text.padEnd(widths[k]))));
  }
  if (style.bottom) write(rule(...style.bottom));
}

/** The lines of one row whose cells may span several lines. */
function spread(cells: string[][]): string[][] {
  let height = 1;
  for (const lines of cells) if (lines.length > height) height = lines.length;
  const out: string[][] = [];
  for (let k = 0; k < height; k++) out.push(cells.map((lines) => lines[k] ?? ''));
  return out;
}

function centre(text: string, width: number): string {
  const space = width - text.length;
  const left = Math.floor(space / 2);
  return ' '.repeat(left) + text + ' '.repeat(space - left);
}

interface BorderStyle {
  readonly horizontal: string;
  readonly vertical: string;
  readonly top: [string, string, string] | null;
  readonly middle: [string, string, string];
  readonly bottom: [string, string, string] | null;
}

const BOX: BorderStyle = { horizontal: '─', vertical: '│', top: ['┌', '┬', '┐'], middle: ['├', '┼', '┤'], bottom: ['└', '┴', '┘'] };
const TABLE: BorderStyle = { horizontal: '-', vertical: '|', top: ['+', '+', '+'], middle: ['+', '+', '+'], bottom: ['+', '+', '+'] };
const MARKDOWN: BorderStyle = { horizontal: '-', vertical: '|', top: null, middle: ['|', '|', '|'], bottom: null };
