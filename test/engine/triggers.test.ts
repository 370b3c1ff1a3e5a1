// Row triggers against SQLite: BEFORE/AFTER on INSERT/UPDATE/DELETE, WHEN,
// UPDATE OF, NEW/OLD, RAISE, and nesting.
import { test } from 'node:test';
import { OraclePair } from './oracle.js';

test('BEFORE and AFTER triggers see NEW and OLD and run their steps in order', () => {
  const pair = new OraclePair();
  pair.setup(`CREATE TABLE t(a INTEGER PRIMARY KEY, b, c);
    CREATE TABLE log(event, x, y);
    CREATE TRIGGER ai AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('ai', new.a, new.b); END;
    CREATE TRIGGER bu BEFORE UPDATE OF b ON t WHEN new.b > 100 BEGIN SELECT RAISE(ABORT, 'b too big'); END;
    CREATE TRIGGER au AFTER UPDATE ON t BEGIN INSERT INTO log VALUES ('au', old.b, new.b); END;
    CREATE TRIGGER ad AFTER DELETE ON t BEGIN INSERT INTO log VALUES ('ad', old.a, NULL); UPDATE t SET c = 'touched' WHERE a > old.a; END;
    CREATE TRIGGER bi BEFORE INSERT ON t WHEN new.b < 0 BEGIN SELECT RAISE(IGNORE); END;`);
  for (const sql of [
    'INSERT INTO t VALUES (1, 10, 0), (2, 20, 0), (3, -1, 0)',
    'SELECT last_insert_rowid(), changes()',
    'UPDATE t SET b = 200 WHERE a = 1',
    'UPDATE t SET c = 5 WHERE a = 1',
    'UPDATE t SET b = b + 1',
    'SELECT changes()',
    'DELETE FROM t WHERE a = 1',
    'SELECT * FROM t',
    'SELECT * FROM log',
    'DROP TRIGGER bu',
    'UPDATE t SET b = 500',
    'SELECT * FROM log',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('RAISE(FAIL) and RAISE(ROLLBACK) undo as their conflict modes do; a trigger does not fire itself', () => {
  const pair = new OraclePair();
  pair.setup(`CREATE TABLE t(a);
    CREATE TABLE audit(n);
    CREATE TRIGGER guard BEFORE INSERT ON t WHEN new.a = 'fail' BEGIN SELECT RAISE(FAIL, 'failed here'); END;
    CREATE TRIGGER guard2 BEFORE INSERT ON t WHEN new.a = 'rollback' BEGIN SELECT RAISE(ROLLBACK, 'rolled back'); END;
    CREATE TRIGGER again AFTER INSERT ON t WHEN new.a < 5 BEGIN INSERT INTO t VALUES (new.a + 1); INSERT INTO audit VALUES (new.a); END;`);
  for (const sql of [
    'INSERT INTO t VALUES (1)',
    'SELECT * FROM t',
    'SELECT * FROM audit',
    'BEGIN',
    "INSERT INTO t VALUES (10), ('fail'), (11)",
    'SELECT * FROM t',
    "INSERT INTO t VALUES ('rollback')",
    'SELECT * FROM t',
    'COMMIT',
    'SELECT RAISE(ABORT, 1)',
  ]) {
    pair.same(sql);
  }
  pair.close();
});
