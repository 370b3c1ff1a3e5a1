// The shoal shell, driven as a real process: one-shot arguments, piped
// input, every output mode and dot-command, errors and exit statuses in
// sqlite3's words, and .dump output that better-sqlite3 loads back with
// identical content. Expected texts are what sqlite3's shell prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';

const shellPath = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const sltPath = fileURLToPath(new URL('../../src/cli/slt-main.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'shoal-cli-test-'));
test.after(() => rmSync(directory, { recursive: true, force: true }));

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

function shoal(args: string[], input = ''): Run {
  const result = spawnSync(process.execPath, [shellPath, ...args], { input, encoding: 'utf8', env: { ...process.env, SHOAL_HISTORY: join(directory, 'history') } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

const SAMPLE = `CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB);
INSERT INTO t VALUES (1, 'x', 1.5, x'4142'), (NULL, 'a,b "q"', -2.0, NULL), (123456, '', 1e20, '');`;

const MODES: Record<string, string> = {
  list: 'a|b|c|d\n1|x|1.5|AB\n|a,b "q"|-2.0|\n123456||1.0e+20|\n',
  csv: 'a,b,c,d\r\n1,x,1.5,AB\r\n,"a,b ""q""",-2.0,\r\n123456,"",1.0e+20,""\r\n',
  tabs: 'a\tb\tc\td\n1\tx\t1.5\tAB\n\ta,b "q"\t-2.0\t\n123456\t\t1.0e+20\t\n',
  json: '[{"a":1,"b":"x","c":1.5,"d":"AB"},\n{"a":null,"b":"a,b \\"q\\"","c":-2.0,"d":null},\n{"a":123456,"b":"","c":1.0e+20,"d":""}]\n',
  quote: "'a','b','c','d'\n1,'x',1.5,X'4142'\nNULL,'a,b \"q\"',-2.0,NULL\n123456,'',1.0e+20,''\n",
  insert: 'INSERT INTO "table"(a,b,c,d) VALUES(1,\'x\',1.5,X\'4142\');\nINSERT INTO "table"(a,b,c,d) VALUES(NULL,\'a,b "q"\',-2.0,NULL);\nINSERT INTO "table"(a,b,c,d) VALUES(123456,\'\',1.0e+20,\'\');\n',
  line: '    a = 1\n    b = x\n    c = 1.5\n    d = AB\n\n    a = \n    b = a,b "q"\n    c = -2.0\n    d = \n\n    a = 123456\n    b = \n    c = 1.0e+20\n    d = \n',
  box: [
    '┌────────┬─────────┬─────────┬────┐',
    '│   a    │    b    │    c    │ d  │',
    '├────────┼─────────┼─────────┼────┤',
    '│ 1      │ x       │ 1.5     │ AB │',
    '│        │ a,b "q" │ -2.0    │    │',
    '│ 123456 │         │ 1.0e+20 │    │',
    '└────────┴─────────┴─────────┴────┘',
    '',
  ].join('\n'),
  table: [
    '+--------+---------+---------+----+',
    '|   a    |    b    |    c    | d  |',
    '+--------+---------+---------+----+',
    '| 1      | x       | 1.5     | AB |',
    '|        | a,b "q" | -2.0    |    |',
    '| 123456 |         | 1.0e+20 |    |',
    '+--------+---------+---------+----+',
    '',
  ].join('\n'),
  markdown: ['|   a    |    b    |    c    | d  |', '|--------|---------|---------|----|', '| 1      | x       | 1.5     | AB |', '|        | a,b "q" | -2.0    |    |', '| 123456 |         | 1.0e+20 |    |', ''].join('\n'),
  column: ['a       b        c        d ', '------  -------  -------  --', '1       x        1.5      AB', '        a,b "q"  -2.0       ', '123456           1.0e+20    ', ''].join('\n'),
};

/** Runs dot-commands and statements in one shell, each step's output separated by a marker line, and returns the outputs. */
function outputsOf(args: string[], setup: string, steps: readonly string[]): string[] {
  const marker = '@@step@@';
  const run = shoal(args, `${setup}\n${steps.map((step) => `.print ${marker}\n${step}`).join('\n')}\n`);
  assert.equal(run.stderr, '');
  return run.stdout.split(`${marker}\n`).slice(1);
}

test('every output mode prints as sqlite3 prints it', () => {
  const modes = Object.keys(MODES);
  const outputs = outputsOf([':memory:'], `${SAMPLE}\n.headers on`, modes.map((mode) => `.mode ${mode}\nSELECT * FROM t;`));
  modes.forEach((mode, k) => assert.equal(outputs[k], MODES[mode], mode));
});

test('.headers off, command-line mode flags, .nullvalue, and multi-line cells', () => {
  assert.equal(shoal([':memory:'], `${SAMPLE}\n.headers off\n.mode list\nSELECT a, b FROM t LIMIT 1;\n`).stdout, '1|x\n');
  assert.equal(shoal(['-csv', '-header', ':memory:', "SELECT 1 AS one, 'two' AS two"]).stdout, 'one,two\n1,two\n');
  assert.equal(shoal(['-json', ':memory:', 'SELECT 1 AS a WHERE 0']).stdout, '');
  assert.equal(shoal([':memory:'], '.nullvalue NULL\nSELECT NULL, 1;\n').stdout, 'NULL|1\n');
  assert.equal(
    shoal(['-box', ':memory:', "SELECT 'ab' || char(10) || 'cd' AS y, 1 AS n"]).stdout,
    '┌────┬───┐\n│ y  │ n │\n├────┼───┤\n│ ab │ 1 │\n│ cd │   │\n└────┴───┘\n',
  );
  assert.equal(shoal([':memory:', '.mode line', 'SELECT 1 AS longname, 2 AS b']).stdout, 'longname = 1\n       b = 2\n');
});

test('one-shot SQL: several arguments, several statements, and errors with exit status', () => {
  assert.deepEqual(shoal([':memory:', 'SELECT 1; SELECT 2, 3', 'SELECT 4']), { stdout: '1\n2|3\n4\n', stderr: '', status: 0 });
  assert.deepEqual(shoal([':memory:', 'SELECT * FROM nope']), { stdout: '', stderr: 'Error: in prepare, no such table: nope\n', status: 1 });
  assert.deepEqual(shoal([':memory:', 'CREATE TABLE t(x UNIQUE); INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); SELECT 5']), {
    stdout: '',
    stderr: 'Error: stepping, UNIQUE constraint failed: t.x (19)\n',
    status: 19,
  });
});

test('piped input: statements over several lines, errors near their line, and a non-zero exit status', () => {
  const input = [
    'SELECT 1;',
    'SELECT * FROM nope;',
    'SELECT',
    '  2;',
    'CREATE TABLE t(x UNIQUE); INSERT INTO t VALUES (1); INSERT INTO t VALUES (1);',
    'CREATE TRIGGER tr AFTER INSERT ON t BEGIN',
    '  INSERT INTO t VALUES (new.x + 100);',
    'END;',
    'INSERT INTO t VALUES (2);',
    'SELECT count(*) FROM t;',
    '.bogus',
    'SELECT 4',
  ].join('\n');
  const run = shoal([':memory:'], input);
  assert.equal(run.stdout, '1\n2\n3\n4\n');
  assert.equal(
    run.stderr,
    [
      'Parse error near line 2: no such table: nope',
      'Runtime error near line 5: UNIQUE constraint failed: t.x (19)',
      'Error: unknown command or invalid arguments:  "bogus". Enter ".help" for help',
      '',
    ].join('\n'),
  );
  assert.equal(run.status, 1);
});

test('.tables, .indexes and .schema', () => {
  const path = join(directory, 'schema.db');
  shoal([path, `CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT); CREATE TABLE "odd name"(a, "b c"); CREATE INDEX ti ON t(v);
    CREATE VIEW vv AS SELECT * FROM t; CREATE TABLE ab(zz, yy); CREATE INDEX ab1 ON ab(zz); CREATE INDEX ab2 ON ab(yy)`]);
  const [tables, tablesLike, indexes, indexesOfT, schemaOfT] = outputsOf([path], '', ['.tables', '.tables o%', '.indexes', '.indexes t', '.schema t']);
  assert.equal(tables, 'ab        odd name  t         vv      \n');
  assert.equal(tablesLike, 'odd name\n');
  assert.equal(indexes, 'ab1  ab2  ti \n');
  assert.equal(indexesOfT, 'ti\n');
  assert.equal(schemaOfT, 'CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);\nCREATE INDEX ti ON t(v);\n');
  assert.equal(
    shoal([path, '.schema']).stdout,
    [
      'CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);',
      'CREATE TABLE sqlite_sequence(name,seq);',
      'CREATE TABLE IF NOT EXISTS "odd name"(a, "b c");',
      'CREATE INDEX ti ON t(v);',
      'CREATE VIEW vv AS SELECT * FROM t',
      '/* vv(id,v) */;',
      'CREATE TABLE ab(zz, yy);',
      'CREATE INDEX ab1 ON ab(zz);',
      'CREATE INDEX ab2 ON ab(yy);',
      '',
    ].join('\n'),
  );
});

test('.dump writes sqlite3-format SQL that better-sqlite3 loads with identical content', () => {
  const path = join(directory, 'dump.db');
  shoal([path, `CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v, r REAL);
    CREATE TABLE "odd name"(a, "b c");
    CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID;
    CREATE INDEX ti ON t(v);
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO "odd name" VALUES (new.id, 'x'); END;
    INSERT INTO t(v, r) VALUES ('it''s', 1.5), (NULL, 0.1), ('line' || char(10) || 'two' || char(13), 1e100), (x'00ff', 3.0),
      (9223372036854775807, -1e-300), (-9223372036854775808, 1e20), ('back\\n' || char(10), -0.0);
    INSERT INTO w VALUES ('k', 1);`]);
  const dump = shoal([path, '.dump']);
  assert.equal(dump.stderr, '');
  assert.equal(dump.status, 0);
  const lines = dump.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 4), [
    'PRAGMA foreign_keys=OFF;',
    'BEGIN TRANSACTION;',
    'CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v, r REAL);',
    "INSERT INTO t VALUES(1,'it''s',1.5);",
  ]);
  assert.ok(lines.includes("INSERT INTO t VALUES(2,NULL,0.10000000000000000555);"), dump.stdout);
  assert.ok(lines.includes("INSERT INTO t VALUES(3,replace(replace('line\\ntwo\\r','\\n',char(10)),'\\r',char(13)),1.0000000000000000159e+100);"), dump.stdout);
  assert.ok(lines.includes("INSERT INTO t VALUES(4,X'00ff',3.0);"), dump.stdout);
  assert.ok(lines.includes('CREATE TABLE IF NOT EXISTS "odd name"(a, "b c");'), dump.stdout);
  assert.ok(lines.includes('DELETE FROM sqlite_sequence;'), dump.stdout);
  assert.equal(lines.at(-2), 'COMMIT;');

  const original = new Sqlite(path, { readonly: true });
  const loaded = new Sqlite(':memory:');
  loaded.exec(dump.stdout);
  const snapshot = (db: Sqlite.Database) => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    return {
      schema: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').all(),
      rows: tables.map((name) => db.prepare(`SELECT * FROM "${name}"`).safeIntegers().raw().all()),
      types: db.prepare('SELECT typeof(v), typeof(r) FROM t ORDER BY id').raw().all(),
    };
  };
  assert.deepEqual(snapshot(loaded), snapshot(original));
  original.close();
  loaded.close();
});

test('.import creates the table from the CSV header, or appends every row to an existing table', () => {
  const csv = join(directory, 'people.csv');
  writeFileSync(csv, 'name,note\r\nann,"likes ""quotes"", commas"\r\nbob,"two\nlines"\r\n');
  const run = shoal([':memory:'], `.import ${csv} people\n.schema people\n.mode quote\nSELECT * FROM people;\n.import --csv ${csv} people\nSELECT count(*) FROM people;\n`);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, `CREATE TABLE IF NOT EXISTS "people"(\n"name" TEXT, "note" TEXT);\n'ann','likes "quotes", commas'\n'bob',replace('two\\nlines','\\n',char(10))\n5\n`);
  const ragged = join(directory, 'ragged.csv');
  writeFileSync(ragged, 'a,b\n1\n2,3,4\n');
  const warned = shoal([':memory:'], `.import ${ragged} r\n.mode quote\nSELECT * FROM r;\n`);
  assert.equal(warned.stdout, "'1',NULL\n'2','3'\n");
  assert.match(warned.stderr, /ragged\.csv:2: expected 2 columns but found 1 - filling the rest with NULL/);
  assert.match(warned.stderr, /ragged\.csv:3: expected 2 columns but found 3 - extras ignored/);
});

test('.read, .output, .print, .open, .timer, .status, .help and .exit', () => {
  const script = join(directory, 'script.sql');
  writeFileSync(script, 'CREATE TABLE r(x);\nINSERT INTO r VALUES (7);\n.print from-script\n');
  const out = join(directory, 'out.txt');
  const other = join(directory, 'other.db');
  const run = shoal([':memory:'], `.read ${script}\n.output ${out}\nSELECT x FROM r;\n.output\nSELECT 'back';\n.open ${other}\nCREATE TABLE o(y);\n.tables\n.timer on\nSELECT 1;\n.timer off\n.exit 3\nSELECT 'not reached';\n`);
  assert.equal(readFileSync(out, 'utf8'), '7\n');
  assert.match(run.stdout, /^from-script\nback\no\n1\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\n$/);
  assert.equal(run.status, 3);
  assert.match(shoal([':memory:', '.help']).stdout, /^\.dump \?OBJECTS\?\s+Render database content as SQL$/m);
  const status = shoal([other, '.status']).stdout;
  assert.match(status, new RegExp(`^database\\s+${other.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.match(status, /^peers\s+attached/m);
  assert.match(shoal(['status', other]).stdout, /^frame index\s+\d+ of 262144 entries/m);
  assert.equal(shoal([':memory:'], '.quit\nSELECT 1;\n').stdout, '');
});

test('dot-command errors and unknown options', () => {
  assert.equal(shoal([':memory:', '.mode nonsense']).stderr, 'Error: mode should be one of: list csv json line box table markdown column tabs quote insert\n');
  assert.equal(shoal([':memory:', '.import']).stderr, 'Error: Usage: .import FILE TABLE\n');
  assert.equal(shoal(['-frobnicate']).status, 1);
});

test('shoal-slt runs sqllogictest files on Shoal and fails on a wrong result', () => {
  const good = join(directory, 'good.test');
  writeFileSync(good, 'statement ok\nCREATE TABLE t(a INTEGER)\n\nstatement ok\nINSERT INTO t VALUES (1), (2)\n\nquery I rowsort\nSELECT a FROM t\n----\n1\n2\n');
  const bad = join(directory, 'bad.test');
  writeFileSync(bad, 'query I nosort\nSELECT 1\n----\n2\n');
  const passing = spawnSync(process.execPath, [sltPath, good], { encoding: 'utf8' });
  assert.equal(passing.status, 0, passing.stdout + passing.stderr);
  assert.match(passing.stdout, /3 passed, 0 failed$/m);
  const failing = spawnSync(process.execPath, [sltPath, good, bad], { encoding: 'utf8' });
  assert.equal(failing.status, 1);
  assert.match(failing.stdout, /3 passed, 1 failed$/m);
});
