/**
 * Runs sqllogictest files, each on a fresh database from `openDatabase`, and
 * reports like the `shoal-slt` command: one line per file with its counts and
 * first failures, then a final `N passed, M failed` line.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseSltScript } from './slt-script.js';
import { runSltRecords, type SltDatabase } from './slt-runner.js';

export interface SltTotals {
  passed: number;
  failed: number;
  skipped: number;
}

export interface SltFileOptions {
  /** Failures printed per file (default 5). */
  readonly showFailures?: number;
  readonly write?: (line: string) => void;
}

export function runSltFiles(
  files: readonly string[],
  openDatabase: () => SltDatabase & { close(): unknown },
  options: SltFileOptions = {},
): SltTotals {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const showFailures = options.showFailures ?? 5;
  const totals: SltTotals = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) {
    const records = parseSltScript(readFileSync(file, 'utf8'), basename(file));
    const db = openDatabase();
    let outcome;
    try {
      outcome = runSltRecords(db, records);
    } finally {
      db.close();
    }
    totals.passed += outcome.passed;
    totals.failed += outcome.failed;
    totals.skipped += outcome.skipped;
    write(`${file}: ${outcome.passed} passed, ${outcome.failed} failed, ${outcome.skipped} skipped`);
    for (const failure of outcome.failures.slice(0, showFailures)) {
      write(`  line ${failure.line}: ${failure.reason}\n    ${failure.sql.replace(/\n/g, '\n    ')}`);
    }
    if (outcome.failures.length > showFailures) write(`  ... ${outcome.failures.length - showFailures} more failures`);
  }
  write(`${totals.passed} passed, ${totals.failed} failed`);
  return totals;
}
