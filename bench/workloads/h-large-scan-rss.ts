/**
 * (h) Memory while scanning a table far larger than the cache: one
 * `.iterate()` pass over a fixture of about `scanTableBytes` (rows of
 * `SCAN_PAYLOAD_BYTES` random bytes, four to a 4 KiB page), reporting the
 * child's peak resident set size and the scan rate. The checksum is folded in
 * during the scan (row count, sum of ids, one byte of each payload), since
 * the rows cannot be kept.
 */
import { SCAN_PAYLOAD_BYTES, type BenchSizes } from '../harness/bench-sizes.js';
import type { FixtureSpec } from '../harness/fixtures.js';
import { perSecond } from '../harness/statistics.js';
import type { Workload } from '../harness/workload.js';

const ROWS_PER_PAGE = 4;
const PAGE_SIZE = 4096;
const MIB = 1024 * 1024;

function blobsFixture(rows: number): FixtureSpec {
  return {
    key: `blobs-${rows}`,
    share: 'link',
    build(db) {
      db.exec('CREATE TABLE blobs(id INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
      db.prepare(
        `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
         INSERT INTO blobs SELECT x, randomblob(${SCAN_PAYLOAD_BYTES}) FROM n`,
      ).run(rows);
    },
  };
}

export function largeScanWorkload(sizes: BenchSizes): Workload {
  const rows = Math.max(1, Math.round((sizes.scanTableBytes / PAGE_SIZE) * ROWS_PER_PAGE));
  return {
    id: 'h',
    group: 'h',
    title: `(h) peak RSS scanning a ${formatBytes(sizes.scanTableBytes)} table with .iterate()`,
    metrics: [
      { key: 'peakRssMiB', label: 'peak RSS MiB', better: 'lower' },
      { key: 'scanMiBPerSecond', label: 'scan MiB/s', better: 'higher' },
    ],
    fixture: blobsFixture(rows),
    timeoutSeconds: 600,
    async runRole(context) {
      const db = await context.open();
      const scan = db.prepare('SELECT id, payload FROM blobs');
      let count = 0;
      let idSum = 0;
      let byteSum = 0;
      let payloadBytes = 0;
      const started = performance.now();
      for (const row of scan.iterate()) {
        const { id, payload } = row as { id: number; payload: Uint8Array };
        count++;
        idSum += id;
        payloadBytes += payload.length;
        byteSum = (byteSum + payload[id % payload.length]!) | 0;
      }
      const elapsed = performance.now() - started;
      return {
        metrics: {
          peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB,
          scanMiBPerSecond: perSecond(payloadBytes / MIB, elapsed),
        },
        checksum: `${count}:${idSum}:${payloadBytes}:${byteSum}`,
      };
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MIB) return `${+(bytes / (1024 * MIB)).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${+(bytes / MIB).toFixed(1)} MiB`;
  return `${+(bytes / 1024).toFixed(1)} KiB`;
}
