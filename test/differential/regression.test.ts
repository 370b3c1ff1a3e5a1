// Replays every mismatch the differential test ever found (regression-cases.ts)
// against the fixture database: Shoal must give the recorded answer, and
// SQLite must too, so a case cannot silently go stale; for the cases where
// SQLite 3.53.0 itself is wrong, SQLite must still differ (or the case says
// so no longer and the generator may stop avoiding the shape).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import Database from '../../src/index.js';
import { schemaSql } from './fixture-schema.js';
import { outcomeOf, type Outcome } from './outcome.js';
import { regressionCases, type RegressionCase } from './regression-cases.js';

function expectedOutcome(c: RegressionCase): Outcome {
  return Array.isArray(c.expected) ? { rows: c.expected } : (c.expected as { error: string });
}

test('every recorded differential mismatch stays fixed', () => {
  const shoal = new Database(':memory:');
  const sqlite = new Sqlite(':memory:');
  shoal.exec(schemaSql);
  sqlite.exec(schemaSql);
  try {
    for (const c of regressionCases) {
      const expected = expectedOutcome(c);
      assert.deepEqual(outcomeOf(shoal, c.sql), expected, `Shoal: ${c.cause}\n  ${c.sql}`);
      if (c.sqliteBug) assert.notDeepEqual(outcomeOf(sqlite, c.sql), expected, `SQLite now gets this right: ${c.sql}`);
      else assert.deepEqual(outcomeOf(sqlite, c.sql), expected, `SQLite: ${c.sql}`);
    }
  } finally {
    shoal.close();
    sqlite.close();
  }
});
