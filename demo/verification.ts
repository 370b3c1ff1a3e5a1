/**
 * What the demo proves after its workers stopped, as a list of checks:
 *  - every row a writer was told was committed is in the database, under
 *    that writer, and no row is there that no writer was told about;
 *  - each writer's counter equals its number of acknowledged commits, and
 *    the counters add up to the row count;
 *  - the readers saw the invariant hold in every snapshot they checked;
 *  - `PRAGMA integrity_check` is `ok` in Shoal, and, once the last Shoal
 *    connection closed, in SQLite itself (better-sqlite3, a dev dependency;
 *    skipped when it is not installed), which must read the same rows.
 * A check either passes, fails (a violation), or is informational.
 */
import { statSync } from 'node:fs';
import type { Database } from '../src/index.js';
import type { ReaderDone, WriterDone } from './protocol.js';

export interface Check {
  readonly outcome: 'ok' | 'FAIL' | 'info';
  readonly text: string;
}

/** The checks made through Shoal on the still-open database `db`. */
export function verifyWithShoal(db: Database, writers: ReadonlyMap<number, WriterDone>, readers: readonly ReaderDone[]): Check[] {
  const checks: Check[] = [];
  const check = (ok: boolean, text: string) => checks.push({ outcome: ok ? 'ok' : 'FAIL', text });

  const rows = db.prepare<[], [number, number]>('SELECT id, writer FROM items').raw().all();
  const writerOfRow = new Map<number, number>();
  for (const [id, writer] of rows) writerOfRow.set(id, writer);
  let acknowledged = 0;
  let missing = 0;
  let misfiled = 0;
  const perWriter: string[] = [];
  for (const [number, done] of writers) {
    acknowledged += done.acknowledgedIds.length;
    perWriter.push(`writer ${number}: ${done.acknowledgedIds.length}`);
    for (const id of done.acknowledgedIds) {
      const writer = writerOfRow.get(id);
      if (writer === undefined) missing++;
      else if (writer !== number) misfiled++;
    }
  }
  const unacknowledged = rows.length - (acknowledged - missing);
  check(
    missing === 0 && misfiled === 0 && unacknowledged === 0,
    missing === 0 && misfiled === 0 && unacknowledged === 0
      ? `all ${acknowledged} acknowledged rows are present (${perWriter.join(', ')}), and no other row`
      : `${missing} acknowledged rows missing, ${misfiled} under the wrong writer, ${unacknowledged} rows nobody acknowledged`,
  );

  const counters = db.prepare<[], [number, number]>('SELECT writer, n FROM counters ORDER BY writer').raw().all();
  const wrongCounters = counters.filter(([number, n]) => n !== (writers.get(number)?.acknowledgedIds.length ?? 0));
  const counterSum = counters.reduce((sum, [, n]) => sum + n, 0);
  check(
    wrongCounters.length === 0 && counterSum === rows.length,
    wrongCounters.length === 0 && counterSum === rows.length
      ? `each writer's counter equals its acknowledged commits, and the counters add up to the row count (${rows.length})`
      : `counters ${counters.map(([w, n]) => `${w}=${n}`).join(' ')} (sum ${counterSum}) disagree with the acknowledged commits or the ${rows.length} rows`,
  );

  const snapshots = readers.reduce((sum, r) => sum + r.operations, 0);
  const violations = readers.reduce((sum, r) => sum + r.violationCount, 0);
  const quiet = readers.filter((r) => r.operations === 0).length;
  check(
    violations === 0 && quiet === 0,
    violations === 0 && quiet === 0
      ? `${readers.length} readers checked ${snapshots} snapshots; the invariant held in every one`
      : `${violations} invariant violations in ${snapshots} snapshots (${quiet} readers checked none)${readers.flatMap((r) => r.violations).map((v) => `\n         ${v}`).join('')}`,
  );

  const integrity = db.prepare<[], string>('PRAGMA integrity_check').pluck().all();
  check(integrity.length === 1 && integrity[0] === 'ok', `PRAGMA integrity_check (Shoal): ${integrity.join('; ')}`);
  return checks;
}

/** The checks made after every Shoal connection closed: the WAL left behind, and SQLite's own view of the file. */
export async function verifyWithSqlite(path: string, expectedRows: number): Promise<Check[]> {
  const checks: Check[] = [];
  const walBytes = fileSize(`${path}-wal`);
  checks.push({
    outcome: 'info',
    text: `after the last Shoal process closed, the WAL is ${walBytes === null ? 'gone' : `${walBytes} bytes`}${walBytes === 0 ? ' (last-one-out TRUNCATE checkpoint)' : ''}`,
  });
  let Sqlite: typeof import('better-sqlite3');
  try {
    Sqlite = (await import('better-sqlite3')).default;
  } catch {
    checks.push({ outcome: 'info', text: 'SQLite check skipped: better-sqlite3 is not installed' });
    return checks;
  }
  const sqlite = new Sqlite(path, { fileMustExist: true });
  try {
    const version = sqlite.prepare('SELECT sqlite_version()').pluck().get() as string;
    const integrity = sqlite.prepare('PRAGMA integrity_check').pluck().all() as string[];
    const rows = sqlite.prepare('SELECT count(*) FROM items').pluck().get() as number;
    const sum = sqlite.prepare('SELECT sum(n) FROM counters').pluck().get() as number;
    const ok = integrity.length === 1 && integrity[0] === 'ok' && rows === expectedRows && sum === expectedRows;
    checks.push({
      outcome: ok ? 'ok' : 'FAIL',
      text: `PRAGMA integrity_check (SQLite ${version} via better-sqlite3): ${integrity.join('; ')}; it reads ${rows} rows and counters summing to ${sum}`,
    });
  } finally {
    sqlite.close();
  }
  return checks;
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
