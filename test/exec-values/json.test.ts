/**
 * Differential tests of the JSON functions against SQLite: seeded random
 * documents (canonical and JSON5, well-formed and broken), paths derived
 * from them plus malformed ones, edits, merge patches, constructors over
 * the value pool, the aggregates, and the JSON subtype (checked by
 * wrapping each result in json_array(), which nests JSON and quotes text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupFunction } from '../../src/exec/functions/registry.js';
import { newFunctionCall, type AggregateFunctionDef, type FunctionCall, type ScalarFunctionDef } from '../../src/exec/functions/function-types.js';
import { SqlReal, type SqlValue } from '../../src/exec/values/value.js';
import { bindable, db, oracle, outcomeOf, seededRandom, testContext, valuePool } from './oracle.js';

/** An argument: a plain SQL value, or JSON text carrying the JSON subtype (json(?) in SQL). */
interface Arg {
  readonly value: SqlValue;
  readonly json?: boolean;
}

const plain = (value: SqlValue): Arg => ({ value });
const asJson = (value: SqlValue): Arg => ({ value, json: true });

function scalar(name: string, argCount: number): ScalarFunctionDef {
  const def = lookupFunction(name, argCount);
  assert.equal(def.kind, 'scalar');
  return def as ScalarFunctionDef;
}

/** Runs a Shoal function; JSON-marked arguments go through Shoal's json() first, as in SQL. */
function run(name: string, args: readonly Arg[]): { value: SqlValue; call: FunctionCall } {
  const call = newFunctionCall(testContext, args.length);
  const values: SqlValue[] = args.map((a, i) => {
    if (!a.json) return a.value;
    const inner = newFunctionCall(testContext, 1);
    const v = scalar('json', 1).impl([a.value], inner);
    call.argSubtypes[i] = inner.resultSubtype;
    return v;
  });
  call.resultSubtype = 0;
  const value = scalar(name, args.length).impl(values, call);
  return { value, call };
}

function sqlCall(name: string, args: readonly Arg[]): string {
  const params = args.map((a) => (a.json ? 'json(?)' : '?'));
  if (name === '->' || name === '->>') return `${params[0]} ${name} ${params[1]}`;
  return `${name}(${params.join(', ')})`;
}

function describe(args: readonly Arg[]): string {
  return args.map((a) => (a.json ? `json(${outcomeOf(() => a.value)})` : outcomeOf(() => a.value))).join(', ');
}

/** Compares value and type, and (wrapped in json_array) the JSON subtype. */
function differential(name: string, args: readonly Arg[], failures: string[]): void {
  const values = args.map((a) => a.value);
  const expected = oracle(sqlCall(name, args), values);
  let subtype = 0;
  const actual = outcomeOf(() => {
    const r = run(name, args);
    subtype = r.call.resultSubtype;
    return r.value;
  });
  if (actual !== expected) {
    failures.push(`${name}(${describe(args)}): got ${actual}, want ${expected}`);
    return;
  }
  if (actual.startsWith('error:') || actual.startsWith('null:')) return;
  const wrappedExpected = oracle(`json_array(${sqlCall(name, args)})`, values);
  const wrappedActual = outcomeOf(() => {
    const r = run(name, args);
    return scalar('json_array', 1).impl([r.value], { ...newFunctionCall(testContext, 1), argSubtypes: [subtype] });
  });
  if (wrappedActual !== wrappedExpected) failures.push(`json_array(${name}(${describe(args)})): got ${wrappedActual}, want ${wrappedExpected}`);
}

function pick<T>(random: () => number, pool: readonly T[]): T {
  return pool[Math.floor(random() * pool.length)]!;
}

const keys = ['a', 'b', 'c', 'key', 'a b', 'x.y', 'q"t', 'é', '😀', '', '0', 'A_1', '$x', 'back\\slash'];
const strings = ['', 'x', 'hello world', 'é😀', 'tab\there', 'nl\nx', 'quote"q', "apos'", 'back\\', '\u0001', '/slash', '\u2028'];
const numbers = ['0', '-0', '1', '-1', '42', '3.14', '-2.5e-3', '1e10', '1E+2', '0.1', '9223372036854775807', '9223372036854775808',
  '-9223372036854775808', '-9223372036854775809', '99999999999999999999', '1.7976931348623157e308', '1e400', '-1e400', '5e-324', '0.0'];
const json5Numbers = ['0x1F', '-0xff', '0X7FFFFFFFFFFFFFFF', '0xFFFFFFFFFFFFFFFF', '0x10000000000000000', '.5', '-.5', '5.', '-5.', '+7',
  '+1.5', '1.e3', 'Infinity', '-Infinity', '+Infinity', 'inf', '-inf', 'NaN', 'nan', 'QNaN', 'SNaN'];
const json5Strings = ["'single'", "'with \"dq\"'", '"\\x41\\x7e"', '"\\v\\0"', '"a\\\'b"', '"line\\\ncont"', '"cr\\\r\\nlf"', '"ctl\u0001raw"',
  "'\\u00e9\\uD83D\\uDE00'", '"\\u2028\\/"'];
const spaces = ['', ' ', '\n', '\t', '  \r\n'];
const json5Spaces = ['/* c */', '// line\n', '\u00a0', '\u2003', '\ufeff', '\u000b', '/**/'];

function genString(random: () => number, json5: boolean): string {
  if (json5 && random() < 0.3) return pick(random, json5Strings);
  return JSON.stringify(pick(random, strings)).replace(/\u2028/g, random() < 0.5 ? '\u2028' : '\\u2028');
}

function space(random: () => number, json5: boolean): string {
  if (json5 && random() < 0.15) return pick(random, json5Spaces);
  return random() < 0.7 ? '' : pick(random, spaces);
}

function genValue(random: () => number, depth: number, json5: boolean): string {
  const r = random();
  const s = () => space(random, json5);
  if (depth > 0 && r < 0.25) {
    const n = Math.floor(random() * 4);
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(s() + genValue(random, depth - 1, json5) + s());
    const trailing = json5 && n > 0 && random() < 0.2 ? ',' : '';
    return '[' + items.join(',') + trailing + s() + ']';
  }
  if (depth > 0 && r < 0.5) {
    const n = Math.floor(random() * 4);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = pick(random, keys);
      let label = JSON.stringify(k);
      if (json5 && random() < 0.3) label = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : `'${k.replace(/'/g, "\\'")}'`;
      if (random() < 0.05) label = '"\\u0061"';
      items.push(s() + label + s() + ':' + s() + genValue(random, depth - 1, json5) + s());
    }
    const trailing = json5 && n > 0 && random() < 0.2 ? ',' : '';
    return '{' + items.join(',') + trailing + s() + '}';
  }
  if (r < 0.62) return json5 && random() < 0.3 ? pick(random, json5Numbers) : pick(random, numbers);
  if (r < 0.85) return genString(random, json5);
  return pick(random, ['true', 'false', 'null']);
}

const brokenDocs = ['', ' ', '[', ']', '{', '[1,]x', '[1 2]', '{"a" 1}', '{"a":}', '{a:1', '01', '-', '1.', '.', '+', '1e', '1e+',
  '"unterminated', '"bad\\q"', "'", 'tru', 'truex', 'nul', '[1,,2]', '{,}', '[,]', '{"a":1,,"b":2}', '{1:2}', '{true:1}', '{nan:1}',
  '/* open', '[1] x', '[1] /**/', '[1] // c', '\u0000[1]', '[1]\u0000x', '"\u0000"', '[0x]', '[-0x1]', '[00]', '[-01]', '[1.2.3]',
  '[1e2e3]', '["\\u12"]', '["\\x4"]', '["\\0" ]', '["\\01"]', '[Infinityx]', '[-Infinityx]', '[-infinity]', '{"a":1}}', '[[[[[]]]]',
  '[' .repeat(1001) + ']'.repeat(1001), '['.repeat(999) + ']'.repeat(999)];

function documents(random: () => number, count: number): string[] {
  const docs: string[] = [...brokenDocs];
  for (let i = 0; i < count; i++) docs.push(space(random, false) + genValue(random, 4, random() < 0.4) + space(random, false));
  return docs;
}

/** Paths that exist in the (canonical) document, when it parses. */
function pathsOf(doc: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(doc);
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    out.push(path);
    if (depth > 4) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
      if (v.length > 0) out.push(`${path}[#-1]`, `${path}[#]`, `${path}[#-${v.length}]`);
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        const key = /^[A-Za-z0-9_$é😀]+$/.test(k) ? k : JSON.stringify(k);
        walk((v as Record<string, unknown>)[k], `${path}.${key}`, depth + 1);
      }
    }
  };
  walk(value, '$', 0);
  return out;
}

const oddPaths = ['$', '$.a', '$.b.c', '$[0]', '$[1][0]', '$[#]', '$[#-1]', '$[#-9]', '$[#-0]', '$.a[0]', '$."a b"', '$."q\\"t"', '$."\\u0061"',
  '$.zz', '$[99]', '$[4294967296]', '$[', '$[0', '$[a]', '$[-1]', '$[#+1]', '$[#-]', '$.', '$..a', '$."unterminated', '$a', 'a', '', '$ ',
  '$.a.', '$[0].', '$[0]x', '$.a b', '$.é', '$[ 0]', '$.a[#-1].b', '$["a"]'];

const insertValues: Arg[] = [
  plain(null), plain(1), plain(-7), plain(9223372036854775807n), plain(0.5), plain(new SqlReal(1)), plain(new SqlReal(1e20)), plain(0.1 + 0.2),
  plain(Infinity), plain(-Infinity), plain(new SqlReal(-0)), plain('text'), plain('q"uote\n'), plain('[1,2]'), plain(new Uint8Array([1, 2])),
  asJson('[1,2]'), asJson('{"k":"v"}'), asJson('"s"'), asJson('5'), asJson('{x:1}'), asJson('not json'),
];

test('json() and json_valid() match SQLite on generated and broken documents', () => {
  const failures: string[] = [];
  const random = seededRandom(101);
  for (const doc of documents(random, 1500)) {
    differential('json', [plain(doc)], failures);
    differential('json_valid', [plain(doc)], failures);
    differential('json_valid', [plain(doc), plain(2)], failures);
    differential('json_error_position', [plain(doc)], failures);
  }
  for (const v of valuePool) {
    differential('json', [plain(v)], failures);
    differential('json_valid', [plain(v)], failures);
    differential('json_valid', [plain('[1]'), plain(v)], failures);
    differential('json_quote', [plain(v)], failures);
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

test('json_extract, ->, ->>, json_type and json_array_length match SQLite on generated paths', () => {
  const failures: string[] = [];
  const random = seededRandom(202);
  for (const doc of documents(random, 600)) {
    const paths = [...pathsOf(doc), ...oddPaths];
    for (let i = 0; i < 6; i++) {
      const path = pick(random, paths);
      differential('json_extract', [plain(doc), plain(path)], failures);
      differential('->', [plain(doc), plain(path)], failures);
      differential('->>', [plain(doc), plain(path)], failures);
      differential('json_type', [plain(doc), plain(path)], failures);
      differential('json_array_length', [plain(doc), plain(path)], failures);
    }
    differential('json_extract', [plain(doc), plain(pick(random, paths)), plain(pick(random, paths)), plain(pick(random, paths))], failures);
    differential('json_type', [plain(doc)], failures);
    differential('json_array_length', [plain(doc)], failures);
    for (const abbreviation of [0, 1, -1, 2n, 'a', 'b', 'a b', '[0]', '[#-1]', '', 'é', 1.5, null]) {
      differential('->', [plain(doc), plain(abbreviation)], failures);
      differential('->>', [plain(doc), plain(abbreviation)], failures);
    }
  }
  differential('json_extract', [plain('[1]')], failures);
  differential('json_extract', [plain(null), plain('$')], failures);
  differential('json_extract', [plain('[1]'), plain(null)], failures);
  differential('json_extract', [plain('[1]'), plain('$[0]'), plain(null)], failures);
  assert.deepEqual(failures.slice(0, 30), []);
});

test('json_set, json_insert, json_replace and json_remove match SQLite', () => {
  const failures: string[] = [];
  const random = seededRandom(303);
  const docs = documents(random, 500);
  const editPaths = [...oddPaths, '$.new', '$.new.deep[0]', '$.a.new', '$[#].x', '$[0].z[#]', '$.n[1]', '$."n e w"', '$."es\\"c"', '$[#-1]'];
  for (let i = 0; i < 4000; i++) {
    const doc = pick(random, docs);
    const paths = [...pathsOf(doc), ...editPaths];
    const name = pick(random, ['json_set', 'json_insert', 'json_replace', 'json_remove']);
    const args: Arg[] = [plain(doc)];
    const pairs = 1 + Math.floor(random() * 3);
    for (let k = 0; k < pairs; k++) {
      args.push(plain(random() < 0.03 ? null : pick(random, paths)));
      if (name !== 'json_remove') args.push(pick(random, insertValues));
    }
    differential(name, args, failures);
  }
  differential('json_set', [plain('{}'), plain('$.a')], failures);
  differential('json_insert', [plain('{}')], failures);
  differential('json_remove', [plain('[1]')], failures);
  differential('json_remove', [plain('[1]'), plain('$')], failures);
  assert.deepEqual(failures.slice(0, 30), []);
});

test('json_patch matches SQLite', () => {
  const failures: string[] = [];
  const random = seededRandom(404);
  const docs = documents(random, 300).filter((d) => d.length < 200);
  const objects = ['{}', '{"a":null}', '{"a":1,"b":{"c":2,"c":3}}', '{"b":{"c":null,"d":[1]}}', '{"a":{"x":{"y":null}}}', '[1,2]', 'null', '"s"',
    '{a:1,\'b\':{c:2}}', '{"\\u0061":5}', '{"a":1,"a":2}'];
  for (let i = 0; i < 2500; i++) {
    const target = random() < 0.5 ? pick(random, objects) : pick(random, docs);
    const patch = random() < 0.6 ? pick(random, objects) : pick(random, docs);
    differential('json_patch', [plain(target), plain(patch)], failures);
  }
  differential('json_patch', [plain(null), plain('{}')], failures);
  differential('json_patch', [plain('{}'), plain(null)], failures);
  assert.deepEqual(failures.slice(0, 30), []);
});

test('json_array, json_object and json_quote format every pool value like SQLite', () => {
  const failures: string[] = [];
  const random = seededRandom(505);
  const jsonArgs = insertValues.filter((a) => a.json);
  const argPool: Arg[] = [...valuePool.map(plain), ...jsonArgs, plain(new SqlReal(-0)), plain(-0.0000001), plain(123456789.123456789),
    plain(1e15 + 0.5), plain(new SqlReal(1e15)), plain(new SqlReal(1e16)), plain(2 ** 60 + 0.5)];
  for (const a of argPool) {
    differential('json_array', [a], failures);
    differential('json_quote', [a], failures);
    differential('json_object', [plain('k'), a], failures);
    differential('json_object', [a, plain(1)], failures);
  }
  for (let i = 0; i < 1500; i++) {
    const n = Math.floor(random() * 5);
    const args: Arg[] = [];
    for (let k = 0; k < n; k++) args.push(pick(random, argPool));
    differential('json_array', args, failures);
    differential('json_object', args, failures);
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

test('json_pretty matches SQLite', () => {
  const failures: string[] = [];
  const random = seededRandom(606);
  for (const doc of documents(random, 300)) {
    differential('json_pretty', [plain(doc)], failures);
    differential('json_pretty', [plain(doc), plain(pick(random, ['', '\t', '--', null, 2]))], failures);
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

function runAggregate(name: string, rows: readonly Arg[][]): { value: SqlValue; subtype: number } {
  const def = lookupFunction(name, rows[0]?.length ?? (name === 'json_group_object' ? 2 : 1)) as AggregateFunctionDef;
  const acc = def.create();
  for (const row of rows) {
    const call = newFunctionCall(testContext, row.length);
    const values = row.map((a, i) => {
      if (!a.json) return a.value;
      const inner = newFunctionCall(testContext, 1);
      const v = scalar('json', 1).impl([a.value], inner);
      call.argSubtypes[i] = inner.resultSubtype;
      return v;
    });
    acc.step(values, call);
  }
  return { value: acc.result(), subtype: def.resultSubtype ?? 0 };
}

function aggregateOracle(name: string, rows: readonly Arg[][], width: number): string {
  const columns = Array.from({ length: width }, (_, i) => `iif(f${i}, json(v${i}), v${i})`);
  const names = Array.from({ length: width }, (_, i) => `v${i}, f${i}`).join(', ');
  const body = rows.length === 0
    ? `SELECT ${Array.from({ length: width }, () => 'NULL, 0').join(', ')} WHERE 0`
    : `VALUES ${rows.map((r) => `(${r.map(() => '?, ?').join(', ')})`).join(', ')}`;
  const sql = `WITH t(${names}) AS (${body}) SELECT json_array(${name}(${columns.join(', ')})) FROM t`;
  const params = rows.flat().flatMap((a) => [bindable(a.value), a.json ? 1 : 0]);
  try {
    const row = db.prepare(sql).raw(true).get(...params) as [string];
    return `text:${JSON.stringify(row[0])}`;
  } catch (e) {
    return `error:${(e as Error).message}`;
  }
}

test('json_group_array and json_group_object match SQLite, nesting their JSON result', () => {
  const failures: string[] = [];
  const random = seededRandom(707);
  const argPool: Arg[] = [...valuePool.filter((v) => !(v instanceof Uint8Array)).map(plain), ...insertValues.filter((a) => a.json && a.value !== 'not json')];
  for (let i = 0; i < 400; i++) {
    const n = Math.floor(random() * 5);
    const arrayRows: Arg[][] = [];
    const objectRows: Arg[][] = [];
    for (let k = 0; k < n; k++) {
      arrayRows.push([pick(random, argPool)]);
      objectRows.push([plain(pick(random, [...keys, null, 3, 1.5])), pick(random, argPool)]);
    }
    for (const [name, rows, width] of [['json_group_array', arrayRows, 1], ['json_group_object', objectRows, 2]] as const) {
      const expected = aggregateOracle(name, rows, width);
      const actual = outcomeOf(() => {
        const r = runAggregate(name, rows);
        return scalar('json_array', 1).impl([r.value], { ...newFunctionCall(testContext, 1), argSubtypes: [r.subtype] });
      });
      if (actual !== expected) failures.push(`${name} over ${rows.map(describe).join(' | ')}: got ${actual}, want ${expected}`);
    }
  }
  assert.equal(runAggregate('json_group_array', []).value, '[]');
  assert.throws(() => runAggregate('json_group_array', [[plain(new Uint8Array([1]))]]), { message: 'JSON cannot hold BLOB values' });
  assert.deepEqual(failures.slice(0, 30), []);
});

test('argument errors use SQLite wording', () => {
  const failures: string[] = [];
  differential('json_object', [plain('a')], failures);
  differential('json_object', [plain(1), plain(2)], failures);
  differential('json_set', [plain('{}'), plain('$.a')], failures);
  differential('json_replace', [plain('{}'), plain('$.a')], failures);
  differential('json_insert', [plain('{}'), plain('$.a'), plain(1), plain('$.b')], failures);
  differential('json_valid', [plain('{}'), plain(0)], failures);
  differential('json_valid', [plain('{}'), plain(16)], failures);
  differential('json_valid', [plain(null), plain(16)], failures);
  differential('json_array', [plain(new Uint8Array([0x5b, 0x5d]))], failures);
  differential('json_extract', [plain('{"a":1}'), plain("a'b")], failures);
  assert.deepEqual(failures, []);
  assert.throws(() => scalar('jsonb', 1).impl(['[]'], newFunctionCall(testContext, 1)), /not supported/);
  assert.equal(lookupFunction('JSON_EXTRACT', 5).name, 'json_extract');
  assert.equal(lookupFunction('->', 2).kind, 'scalar');
  assert.throws(() => lookupFunction('json_type', 3), { message: 'wrong number of arguments to function json_type()' });
});

test('a call site reuses its parse while the document stays the same', () => {
  const call = newFunctionCall(testContext, 2);
  const extract = scalar('json_extract', 2);
  const doc = '{"a":[1,2,3],"b":{"c":"d"}}';
  assert.equal(extract.impl([doc, '$.a[1]'], call), 2);
  assert.equal(extract.impl([doc, '$.b.c'], call), 'd');
  assert.equal(extract.impl(['{"b":{"c":"e"}}', '$.b.c'], call), 'e');
  const set = scalar('json_set', 3);
  const setCall = newFunctionCall(testContext, 3);
  assert.equal(set.impl([doc, '$.a[0]', 9], setCall), '{"a":[9,2,3],"b":{"c":"d"}}');
  assert.equal(set.impl([doc, '$.b.c', 9], setCall), '{"a":[1,2,3],"b":{"c":9}}');
});
