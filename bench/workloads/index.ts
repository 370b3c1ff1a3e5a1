/** Every workload of the suite, in report order, sized by `sizes`. */
import type { BenchSizes } from '../harness/bench-sizes.js';
import type { Workload } from '../harness/workload.js';
import { bulkInsertWorkload } from './a-bulk-insert.js';
import { pointSelectWorkload } from './b-point-select.js';
import { fullScanWorkload } from './c-full-scan.js';
import { autocommitInsertWorkload } from './d-autocommit-insert.js';
import { pingPongWorkload } from './e-ping-pong.js';
import { writerReaderWorkload } from './f-writer-reader.js';
import { lookupGrowthWorkloads } from './g-lookup-growth.js';
import { largeScanWorkload } from './h-large-scan-rss.js';
import { readSyscallsWorkload } from './i-read-syscalls.js';

export function workloadsFor(sizes: BenchSizes): Workload[] {
  return [
    bulkInsertWorkload(sizes),
    pointSelectWorkload(sizes, false),
    pointSelectWorkload(sizes, true),
    fullScanWorkload(sizes),
    autocommitInsertWorkload(sizes, 'NORMAL'),
    autocommitInsertWorkload(sizes, 'FULL'),
    pingPongWorkload(sizes),
    writerReaderWorkload(sizes),
    ...lookupGrowthWorkloads(sizes),
    largeScanWorkload(sizes),
    readSyscallsWorkload(sizes),
  ];
}

/** The values `--workload` accepts. */
export const WORKLOAD_GROUPS = ['a', 'b', 'b2', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] as const;
