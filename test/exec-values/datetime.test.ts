/**
 * Differential tests of the date and time functions against SQLite:
 * thousands of seeded random (time-value, modifiers) combinations through
 * every function and every strftime specifier, plus 'now' pinned to the
 * test clock and local time in a zone with daylight saving time.
 *
 * The process time zone is set before any local time is computed so that
 * SQLite's localtime_r() and JS Date use the same zone.
 */
process.env.TZ = 'America/New_York';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupFunction } from '../../src/exec/functions/registry.js';
import { newFunctionCall, type FunctionContext, type ScalarFunctionDef } from '../../src/exec/functions/function-types.js';
import { SqlReal, type SqlValue } from '../../src/exec/values/value.js';
import { oracle, outcomeOf, seededRandom, testCall, testContext } from './oracle.js';

function call(name: string, args: SqlValue[], context?: FunctionContext): SqlValue {
  const def = lookupFunction(name, args.length) as ScalarFunctionDef;
  return def.impl(args, context ? newFunctionCall(context, args.length) : testCall(args.length));
}

function describe(v: SqlValue): string {
  return outcomeOf(() => v);
}

function differential(name: string, args: SqlValue[], failures: string[]): void {
  const expected = oracle(`${name}(${args.map(() => '?').join(', ')})`, args);
  const actual = outcomeOf(() => call(name, args));
  if (actual !== expected) failures.push(`${name}(${args.map(describe).join(', ')}): got ${actual}, want ${expected}`);
}

const timeValues: SqlValue[] = [
  '2024-01-15', '2024-02-29', '2023-02-29', '2024-02-31', '2024-04-31', '2024-12-31', '2000-01-01', '1970-01-01',
  '1969-12-31 23:59:59', '0000-01-01', '0001-03-01', '-0044-03-15', '-4713-11-24 12:00:00', '-4713-11-24 11:59:59',
  '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.9999', '2024-06-15 13:45', '2024-06-15 13:45:30', '2024-06-15 13:45:30.5',
  '2024-06-15 13:45:30.123456', '2024-06-15T13:45:30', '2024-06-15T13:45:30.001Z', '2024-06-15 13:45:30Z', '2024-06-15 13:45:30 z',
  '2024-06-15 13:45:30+02:00', '2024-06-15 13:45:30 -05:30', '2024-06-15 13:45+14:00', '2024-06-15 13:45:30+00:00',
  '2024-06-15 24:00:00', '2024-06-15 23:59:59.9995', '2024-06-15TT10:00', '2024-06-15  10:00', '2024-06-15 10:00 ',
  '13:45', '13:45:30', '00:00:00.000', '24:00', '23:59:59.999+01:00', '12:00Z',
  '2451545', '2451545.5', '0', '5373484.4999', '5373484.5', ' 2460000.25 ', '1700000000', '-1', '1e6', 'now', 'NOW',
  'subsec', 'SubSecond',
  '2024-1-15', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32', '24-01-15', '2024/01/15', '2024-01-15x', '25:00',
  '12:60', '12:30:60', '12:30:5', '2024-06-15 13:45:30+15:00', '2024-06-15 13:45:30+01:60', '2024-06-15 13:45:30 +01',
  '', 'abc', ' now', '2024-01-15\u00002000', '10000-01-01',
  2451545, 2460000.75, 0, -1, 5373484, 5373485, 1700000000, 1700000000.5, -210866760000, 253402300799, 253402300800,
  new SqlReal(2451545), new SqlReal(1e10), 1e-3, Infinity, null, new Uint8Array([0x32, 0x30, 0x32, 0x34, 0x2d, 0x30, 0x31, 0x2d, 0x30, 0x31]),
  9223372036854775807n,
];

const modifiers: SqlValue[] = [
  '+1 day', '-1 day', '+3 days', '-400 days', '+1.5 days', '2 days', '+0.25 day', '+12 hours', '-36 hours', '+1.75 hour',
  '+90 minutes', '-1e3 minutes', '+30 seconds', '-0.5 seconds', '+86399.999 seconds', '+1 month', '-1 month', '+13 months',
  '-25 months', '+1.5 months', '+0.1 month', '+1 year', '-1 year', '+4 years', '-2000 years', '+0.5 years', '+10000 years',
  '+1 DAY', '+1 Days', '  +1 day', '+1 day ', '+1  days', '+ 1 day', '+1 fortnight', '+1 d', '+5373485 days',
  'start of month', 'start of year', 'start of day', 'START OF MONTH', 'start of week', 'start of  day',
  'weekday 0', 'weekday 1', 'weekday 3', 'weekday 6', 'weekday 7', 'weekday 1.5', 'weekday -1', 'Weekday 2', 'weekday  4 ',
  'unixepoch', 'julianday', 'auto', 'subsec', 'subsecond', 'SUBSEC', 'ceiling', 'floor', 'utc', 'localtime', 'LocalTime',
  '+01:30', '-01:30', '+12:00:30', '-02:15:30.5', '+23:59:59.999', '01:00', '+24:00', '+25:00', '+1:00',
  '+0001-02-03', '-0001-02-03', '+0000-11-30', '+0000-12-00', '+0000-00-31', '+00010-00-00', '-00100-06-15', '+0001-01-01 12:30',
  '-0000-00-01 01:02:03.5', '+0001-01-01T12:30', '+0001-01-01 12', '0001-01-01', '+1-01-01',
  '', 'days', '1', '+', 'now', null, 5, 1.5,
];

function pick<T>(random: () => number, pool: readonly T[]): T {
  return pool[Math.floor(random() * pool.length)]!;
}

const formatPieces = ['%d', '%e', '%f', '%F', '%G', '%g', '%H', '%I', '%j', '%J', '%k', '%l', '%m', '%M', '%p', '%P', '%R',
  '%s', '%S', '%T', '%u', '%U', '%V', '%w', '%W', '%Y', '%%', ' ', '-', 'T', ':', 'x', 'é', '%Q', '%', '%n'];

function randomFormat(random: () => number): string {
  let f = '';
  const n = 1 + Math.floor(random() * 5);
  for (let i = 0; i < n; i++) {
    let piece = pick(random, formatPieces);
    if ((piece === '%Q' || piece === '%' || piece === '%n') && random() < 0.8) piece = '%Y';
    f += piece;
  }
  return f;
}

test('every date function matches SQLite on every time-value alone and with one modifier', () => {
  const failures: string[] = [];
  for (const name of ['date', 'time', 'datetime', 'julianday', 'unixepoch']) {
    for (const v of timeValues) {
      if (v === 'now' || v === 'NOW' || v === 'subsec' || v === 'SubSecond') continue;
      differential(name, [v], failures);
      for (const m of modifiers) if (m !== 'now') differential(name, [v, m], failures);
    }
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

test('random time-values with up to four modifiers match SQLite', () => {
  const failures: string[] = [];
  const random = seededRandom(11);
  const names = ['date', 'time', 'datetime', 'julianday', 'unixepoch', 'strftime'];
  for (let i = 0; i < 12000; i++) {
    const name = names[i % names.length]!;
    let v = pick(random, timeValues);
    if (v === 'now' || v === 'NOW' || v === 'subsec' || v === 'SubSecond') v = '2024-03-10 06:59:59.5';
    const args: SqlValue[] = [v];
    const count = Math.floor(random() * 5);
    for (let k = 0; k < count; k++) {
      const m = pick(random, modifiers);
      args.push(m === 'now' ? 'floor' : m);
    }
    if (name === 'strftime') args.unshift(randomFormat(random));
    differential(name, args, failures);
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

test('every strftime specifier matches SQLite across years, weeks and hours', () => {
  const failures: string[] = [];
  const all = '%d|%e|%f|%F|%G|%g|%H|%I|%j|%J|%k|%l|%m|%M|%p|%P|%R|%s|%S|%T|%u|%U|%V|%w|%W|%Y|%%';
  const random = seededRandom(17);
  for (let i = 0; i < 3000; i++) {
    const jd = random() * 5373484.4;
    differential('strftime', [all, jd], failures);
    differential('strftime', [all, jd, 'subsec'], failures);
  }
  for (let year = 1998; year <= 2030; year++) {
    for (const md of ['01-01', '01-02', '01-03', '01-04', '01-05', '01-07', '12-28', '12-29', '12-30', '12-31']) {
      differential('strftime', [all, `${year}-${md} 00:30:15.25`], failures);
    }
  }
  for (const f of ['', 'plain', '%', 'abc%', '%Q', '%Y%', '%%%', '100%%', 'é%Y😀']) differential('strftime', [f, '2024-05-06'], failures);
  differential('strftime', [null, '2024-05-06'], failures);
  differential('strftime', ['%Y', null], failures);
  differential('strftime', [12, '2024-05-06'], failures);
  assert.deepEqual(failures.slice(0, 30), []);
});

test('timediff matches SQLite', () => {
  const failures: string[] = [];
  const random = seededRandom(23);
  const values = timeValues.filter((v) => v !== 'now' && v !== 'NOW' && v !== 'subsec' && v !== 'SubSecond');
  for (let i = 0; i < 3000; i++) differential('timediff', [pick(random, values), pick(random, values)], failures);
  for (let i = 0; i < 2000; i++) {
    const a = random() * 5373484.4;
    const b = random() < 0.5 ? a + (random() - 0.5) * 800 : random() * 5373484.4;
    differential('timediff', [a, b], failures);
  }
  for (const [a, b] of [['2024-03-31', '2024-02-29'], ['2024-02-29', '2024-03-31'], ['2023-01-31', '2023-03-01'], ['2000-01-01', '2000-01-01'],
    ['2024-05-31 10:00', '2024-06-30 09:00'], ['2024-01-01 00:00:00.001', '2023-12-31 23:59:59.999']]) {
    differential('timediff', [a!, b!], failures);
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

test("'now' reads the statement clock and stays fixed", () => {
  const failures: string[] = [];
  const nowText = '2024-01-15T12:30:45.123Z';
  for (const name of ['date', 'time', 'datetime', 'julianday', 'unixepoch']) {
    assert.equal(outcomeOf(() => call(name, [])), oracle(`${name}(?)`, [nowText]), name);
    for (const m of modifiers) {
      if (m === 'now') continue;
      const expected = oracle(`${name}(?, ?)`, [nowText, m]);
      const actual = outcomeOf(() => call(name, ['now', m]));
      if (actual !== expected) failures.push(`${name}('now', ${describe(m)}): got ${actual}, want ${expected}`);
    }
  }
  assert.equal(call('datetime', ['subsec']), '2024-01-15 12:30:45.123');
  assert.equal(call('unixepoch', ['now', 'subsec']), testContext.currentTimeMs() / 1000);
  assert.equal(call('strftime', ['%Y-%m-%d %H:%M:%f'], undefined), '2024-01-15 12:30:45.123');
  assert.deepEqual(failures, []);

  let clock = Date.UTC(2030, 5, 1, 8, 0, 0, 0);
  const ticking: FunctionContext = { ...testContext, currentTimeMs: () => clock };
  assert.equal(call('datetime', ['now'], ticking), '2030-06-01 08:00:00');
  clock += 1000;
  assert.equal(call('datetime', ['now'], ticking), '2030-06-01 08:00:01');
});

test('local time conversions match SQLite in a zone with daylight saving time', () => {
  const failures: string[] = [];
  const random = seededRandom(29);
  for (let i = 0; i < 3000; i++) {
    const jd = 2415020.5 + random() * 73050;
    const local = random() < 0.5 ? 'localtime' : 'utc';
    differential('datetime', [jd, local], failures);
    differential('datetime', [jd, 'localtime', 'utc'], failures);
    differential('datetime', [jd, 'utc', 'localtime', '+1 hour', 'utc'], failures);
  }
  for (const v of ['2024-03-10 01:59:59', '2024-03-10 02:30:00', '2024-03-10 03:00:00', '2024-11-03 01:30:00', '2024-11-03 00:59:59',
    '1969-07-20 20:17:40', '1900-01-01', '2100-06-01 12:00', '0500-08-08 08:08:08', '9999-12-31 23:00:00', '2024-07-01 12:00:00Z']) {
    differential('datetime', [v, 'utc'], failures);
    differential('datetime', [v, 'localtime'], failures);
    differential('datetime', [v, 'localtime', 'localtime'], failures);
    differential('datetime', [v, 'utc', 'utc'], failures);
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

test('the date functions are found by name with any number of arguments', () => {
  assert.equal(lookupFunction('DATE', 0).name, 'date');
  assert.equal(lookupFunction('strftime', 7).name, 'strftime');
  assert.throws(() => lookupFunction('timediff', 1), { message: 'wrong number of arguments to function timediff()' });
  assert.equal(lookupFunction('julianday', 3).deterministic, false);
});
