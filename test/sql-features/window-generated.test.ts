// Seeded random window-function queries compared with SQLite: random
// partitions, orderings (with and without ties), ROWS/RANGE/GROUPS frames
// with offsets and EXCLUDE, and built-in or aggregate calls. Functions whose
// result depends on the order of peers only meet windows without ties or
// whose frames are made of whole peer groups, so every query has one answer.
import { test } from 'node:test';
import { SeededRandom } from '../differential/seeded-random.js';
import { OraclePair } from '../engine/oracle.js';

const PEER_SAFE = ['count(*)', 'count(v)', 'sum(v)', 'total(v)', 'avg(v)', 'min(v)', 'max(v)', 'min(t)', 'max(t)', 'rank()', 'dense_rank()', 'percent_rank()', 'cume_dist()', 'sum(v) FILTER (WHERE v > 0)'];
const ORDER_SENSITIVE = ['row_number()', 'ntile(3)', 'lag(v)', 'lag(v, 2, -9)', 'lead(t)', 'lead(v, 3)', 'first_value(t)', 'last_value(v)', 'nth_value(v, 2)', 'group_concat(v)', "group_concat(t, '-')", 'count(*) FILTER (WHERE t IS NULL)'];

function bound(random: SeededRandom, start: boolean): string {
  const kinds = start ? ['UNBOUNDED PRECEDING', 'n PRECEDING', 'CURRENT ROW', 'n FOLLOWING'] : ['n PRECEDING', 'CURRENT ROW', 'n FOLLOWING', 'UNBOUNDED FOLLOWING'];
  return random.pick(kinds).replace('n', String(random.between(0, 3)));
}

function frame(random: SeededRandom, units: string): string {
  if (random.chance(0.2)) return '';
  const exclude = random.pick(['', '', ' EXCLUDE NO OTHERS', ' EXCLUDE CURRENT ROW', ' EXCLUDE GROUP', ' EXCLUDE TIES']);
  if (random.chance(0.2)) return ` ${units} ${bound(random, true)}${exclude}`;
  return ` ${units} BETWEEN ${bound(random, true)} AND ${bound(random, false)}${exclude}`;
}

function windowCall(random: SeededRandom): string {
  const partition = random.chance(0.5) ? `PARTITION BY ${random.pick(['g', 'v % 2', 'g, t IS NULL'])} ` : '';
  const direction = random.pick(['', ' DESC', ' NULLS LAST', ' DESC NULLS FIRST']);
  if (random.chance(0.5)) {
    // No ties: any function, any frame.
    const order = random.chance(0.8) ? `ORDER BY ${random.pick(['v', 't', 'g'])}${direction}, id` : 'ORDER BY id';
    return `${random.pick([...PEER_SAFE, ...ORDER_SENSITIVE])} OVER (${partition}${order}${frame(random, random.pick(['ROWS', 'RANGE', 'GROUPS']))})`;
  }
  // Ties: frames made of peer groups, results independent of peer order.
  const order = random.chance(0.9) ? `ORDER BY v${direction}` : '';
  return `${random.pick(PEER_SAFE)} OVER (${partition}${order}${frame(random, random.pick(['RANGE', 'GROUPS']))})`;
}

test('seeded random window queries match SQLite', () => {
  const pair = new OraclePair();
  try {
    const random = new SeededRandom(20260501);
    const rows: string[] = [];
    for (let id = 1; id <= 40; id++) {
      const v = random.chance(0.15) ? 'NULL' : String(random.between(-4, 6));
      const t = random.chance(0.2) ? 'NULL' : `'${random.pick(['a', 'b', 'c', 'dd'])}'`;
      const g = random.chance(0.1) ? 'NULL' : `'${random.pick(['x', 'y', 'z'])}'`;
      rows.push(`(${id}, ${g}, ${v}, ${t})`);
    }
    pair.setup(`CREATE TABLE s(id INTEGER PRIMARY KEY, g TEXT, v INTEGER, t TEXT); INSERT INTO s VALUES ${rows.join(', ')};`);
    for (let q = 0; q < 300; q++) {
      const calls = Array.from({ length: random.between(1, 3) }, () => windowCall(random));
      const where = random.chance(0.3) ? ` WHERE id % ${random.between(2, 5)} <> 0` : '';
      pair.same(`SELECT id, ${calls.join(', ')} FROM s${where} ORDER BY id`);
    }
  } finally {
    pair.close();
  }
});
