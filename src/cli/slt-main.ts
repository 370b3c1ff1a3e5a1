/**
 * The `shoal-slt` command: runs sqllogictest files on Shoal, each on a fresh
 * `:memory:` database, prints one line per file and a total, and exits with
 * status 1 when any record failed (2 when no file was given).
 */
import Database from '../index.js';
import { runSltFiles } from '../slt/slt-files.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('Usage: shoal-slt FILE.test...\n');
  process.exitCode = 2;
} else {
  const totals = runSltFiles(files, () => new Database(':memory:'));
  process.exitCode = totals.failed > 0 ? 1 : 0;
}
