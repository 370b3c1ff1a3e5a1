// Seeded differential test: generated SELECT statements run on Shoal and on
// SQLite (better-sqlite3) over the same fixture database must give the same
// rows with the same storage classes (in order when the ORDER BY fixes the
// order, as multisets otherwise) or fail with the same code and message.
//
// Query i is generated from seed FIRST_SEED + i alone, so a failure names
// the seed that reproduces it. SHOAL_DIFF_SEED and SHOAL_DIFF_QUERIES run
// other or more seeds locally; every mismatch found becomes a case in
// regression-cases.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import Database from '../../src/index.js';
import { schemaSql } from './fixture-schema.js';
import { QueryGenerator } from './query-generator.js';
import { outcomeOf, sameOutcome, type Outcome } from './outcome.js';

const firstSeed = Number(process.env.SHOAL_DIFF_SEED ?? 1);
const queryCount = Number(process.env.SHOAL_DIFF_QUERIES ?? 10_500);
const batches = 10;

function describe(outcome: Outcome): string {
  if ('error' in outcome) return `error ${outcome.error}`;
  return outcome.rows.length === 0 ? '(no rows)' : outcome.rows.map((row) => `[${row}]`).join(' ');
}

const shoal = new Database(':memory:');
const sqlite = new Sqlite(':memory:');
shoal.exec(schemaSql);
sqlite.exec(schemaSql);

let compared = 0;
let withRows = 0;
let failing = 0;

for (let batch = 0; batch < batches; batch++) {
  const from = firstSeed + Math.floor((queryCount * batch) / batches);
  const to = firstSeed + Math.floor((queryCount * (batch + 1)) / batches);
  test(`generated queries, seeds ${from}..${to - 1}`, () => {
    const mismatches: string[] = [];
    for (let seed = from; seed < to; seed++) {
      const query = new QueryGenerator(seed).next();
      const expected = outcomeOf(sqlite, query.sql);
      const actual = outcomeOf(shoal, query.sql);
      compared++;
      if ('rows' in expected && expected.rows.length > 0) withRows++;
      if ('error' in expected && !query.errorsOnly) failing++;
      if (!sameOutcome(expected, actual, query.ordered, query.errorsOnly)) {
        mismatches.push(`seed ${seed} (${query.ordered ? 'ordered' : 'multiset'}): ${query.sql}\n  sqlite: ${describe(expected)}\n  shoal:  ${describe(actual)}`);
      }
    }
    assert.equal(mismatches.length, 0, `${mismatches.length} mismatches:\n${mismatches.slice(0, 15).join('\n')}`);
  });
}

test('the generator produces mostly meaningful queries', () => {
  assert.equal(compared, queryCount);
  assert.ok(withRows > compared * 0.5, `only ${withRows} of ${compared} queries returned rows`);
  assert.ok(failing < compared * 0.15, `${failing} of ${compared} generated queries failed in SQLite`);
  shoal.close();
  sqlite.close();
});
