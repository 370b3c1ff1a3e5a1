/**
 * `.status` and `shoal status DB [--watch]`: what the shell can say about a
 * database that several processes may share. It shows the file facts (size
 * of the database, its `-wal` and `-tshm` files, page size and count,
 * journal mode) and the live coordination view from `db.coordination()`;
 * while the coordination layer offers no such view, it says so instead of
 * guessing.
 */
import { statSync } from 'node:fs';
import type { Database } from '../api/index.js';

export function coordinationStatus(db: Database, path: string): string {
  const lines: string[] = [];
  const add = (label: string, value: string) => lines.push(`${label.padEnd(16)}${value}`);
  add('database:', db.memory ? `${path === '' ? '(temporary)' : path} (in memory)` : path);
  if (!db.memory) {
    add('file bytes:', fileSize(path));
    add('wal bytes:', fileSize(`${path}-wal`));
    add('tshm bytes:', fileSize(`${path}-tshm`));
  }
  for (const pragma of ['page_size', 'page_count', 'freelist_count', 'journal_mode']) {
    add(`${pragma}:`, pragmaText(db, pragma));
  }
  add('in transaction:', db.inTransaction ? 'yes' : 'no');
  try {
    add('coordination:', JSON.stringify(db.coordination()));
  } catch (error) {
    add('coordination:', error instanceof Error ? error.message : String(error));
  }
  return `${lines.join('\n')}\n`;
}

function fileSize(path: string): string {
  try {
    return String(statSync(path).size);
  } catch {
    return '(none)';
  }
}

function pragmaText(db: Database, pragma: string): string {
  try {
    return String(db.pragma(pragma, { simple: true }));
  } catch (error) {
    return `(unavailable: ${error instanceof Error ? error.message : String(error)})`;
  }
}
