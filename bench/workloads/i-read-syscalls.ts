/**
 * (i) Shoal only, an assertion rather than a measurement (issue 4): read
 * transactions on an unchanged database in multi-process mode make no system
 * call. Counted with `syscallCount()` across `syscallReads` reads, after a
 * few untimed ones have claimed the reader slot and filled the cache, at two
 * levels: the pager (`beginRead(); page(1); endRead()`), always; and the
 * public API (autocommit `get()` on a prepared point select), when Shoal's
 * `Database` is available (the connection must have created `<db>-tshm`, or
 * the count would prove nothing). PASS only if every count is zero.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineUnavailableError } from '../engine/engines.js';
import type { BenchSizes } from '../harness/bench-sizes.js';
import type { ChildContext, RoleOutcome, Verdict, Workload } from '../harness/workload.js';

const WARMUP_READS = 100;

/** The API-level connection is not a `-tshm` peer, so its count would prove nothing. */
class NotMultiProcessError extends Error {}

export function readSyscallsWorkload(sizes: BenchSizes): Workload {
  return {
    id: 'i',
    group: 'i',
    title: `(i) syscalls across ${sizes.syscallReads.toLocaleString('en-US')} read transactions (Shoal, multi-process)`,
    metrics: [
      { key: 'pagerSyscalls', label: 'syscalls, pager', better: 'lower' },
      { key: 'apiSyscalls', label: 'syscalls, API', better: 'lower' },
    ],
    engines: ['shoal'],
    timeoutSeconds: 120,
    runRole: countReadSyscalls,
  };
}

async function countReadSyscalls(context: ChildContext): Promise<RoleOutcome> {
  const { syscallCount } = await import('../../src/os/syscall-counter.js');
  const reads = context.sizes.syscallReads;
  const metrics: Record<string, number> = { pagerSyscalls: await pagerReadSyscalls(context.dir, reads, syscallCount) };
  const notes: string[] = [];
  let verdict: Verdict = 'PASS';
  try {
    metrics.apiSyscalls = await apiReadSyscalls(context, reads, syscallCount);
  } catch (error) {
    if (error instanceof NotMultiProcessError) {
      verdict = 'FAIL';
      notes.push(error.message);
    } else if (error instanceof EngineUnavailableError) {
      notes.push(`API level skipped: ${error.message}`);
    } else {
      throw error;
    }
  }
  if (Object.values(metrics).some((count) => count !== 0)) verdict = 'FAIL';
  return { metrics, notes, verdict };
}

async function pagerReadSyscalls(dir: string, reads: number, syscallCount: () => number): Promise<number> {
  const { openPager } = await import('../../src/pager/open-pager.js');
  const pager = openPager(path.join(dir, 'pager.db'), { multiProcess: true });
  try {
    pager.beginWrite();
    pager.growByOnePage();
    pager.commit();
    const readOnce = (): void => {
      pager.beginRead();
      pager.page(1);
      pager.endRead();
    };
    for (let i = 0; i < WARMUP_READS; i++) readOnce();
    const before = syscallCount();
    for (let i = 0; i < reads; i++) readOnce();
    return syscallCount() - before;
  } finally {
    pager.close();
  }
}

async function apiReadSyscalls(context: ChildContext, reads: number, syscallCount: () => number): Promise<number> {
  const db = await context.open();
  if (!fs.existsSync(`${context.dbPath}-tshm`)) {
    throw new NotMultiProcessError('API level: Database opened with multiProcess: true created no -tshm file, so it is not in multi-process mode');
  }
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL); INSERT INTO t VALUES (1, \'one\');');
  const select = db.prepare('SELECT v FROM t WHERE id = ?');
  for (let i = 0; i < WARMUP_READS; i++) select.get(1);
  const before = syscallCount();
  for (let i = 0; i < reads; i++) select.get(1);
  return syscallCount() - before;
}
