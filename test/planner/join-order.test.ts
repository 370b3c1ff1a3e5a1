// Cost-based join order: the planner picks the order SQLite picks for
// representative joins, honours LEFT JOIN constraints, and the results
// stay SQLite's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OraclePair, samePlanAndRows } from './plan-oracle.js';

let pair: OraclePair;

before(() => {
  pair = new OraclePair();
  pair.setup(`
    CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT, region INTEGER);
    CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, item INTEGER, qty INTEGER);
    CREATE INDEX orders_customer ON orders(customer);
    CREATE TABLE items(id INTEGER PRIMARY KEY, title TEXT, price REAL);
    CREATE TABLE regions(code INTEGER, label TEXT);
    CREATE TABLE tags(item INTEGER, tag TEXT);
    CREATE INDEX tags_item ON tags(item);
    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 60)
    INSERT INTO customers SELECT i, 'c' || i, i % 4 FROM k;
    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 200)
    INSERT INTO orders SELECT i, (i * 7) % 61, (i * 13) % 40, i % 5 FROM k;
    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 40)
    INSERT INTO items SELECT i, 'item' || i, i / 4.0 FROM k;
    INSERT INTO regions VALUES (0, 'north'), (1, 'south'), (2, 'east');
    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 50)
    INSERT INTO tags SELECT i % 45, 't' || (i % 3) FROM k;
  `);
});

after(() => pair.close());

test('the indexed side of a join runs inside, whatever the FROM order', () => {
  for (const sql of [
    'SELECT customers.name, orders.id FROM customers JOIN orders ON orders.customer = customers.id',
    'SELECT customers.name, orders.id FROM orders JOIN customers ON orders.customer = customers.id',
    'SELECT orders.id, items.title FROM orders, items WHERE items.id = orders.item AND orders.qty = 3',
    'SELECT orders.id, items.title FROM items, orders WHERE items.id = orders.item AND orders.customer = 5',
    'SELECT customers.name, orders.id, items.title FROM items, orders, customers WHERE orders.customer = customers.id AND items.id = orders.item AND customers.id = 7',
    'SELECT tags.tag, items.title FROM tags, items WHERE tags.item = items.id AND items.price > 5',
  ]) {
    samePlanAndRows(pair, sql);
  }
});

test('four and five table joins give SQLite rows', () => {
  for (const sql of [
    'SELECT c.name, o.id, i.title, t.tag FROM customers c, orders o, items i, tags t WHERE o.customer = c.id AND i.id = o.item AND t.item = i.id ORDER BY 1, 2, 3, 4',
    'SELECT r.label, count(*) FROM regions r, customers c, orders o, items i, tags t WHERE c.region = r.code AND o.customer = c.id AND i.id = o.item AND t.item = i.id GROUP BY r.label ORDER BY 1',
    'SELECT count(*), sum(i.price * o.qty) FROM orders o JOIN items i ON i.id = o.item JOIN customers c ON c.id = o.customer WHERE c.region = 2',
  ]) {
    pair.same(sql);
  }
});

test('LEFT JOIN: the right side never moves before the left', () => {
  for (const sql of [
    'SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer = c.id ORDER BY c.id, o.id',
    'SELECT o.id, c.name FROM orders o LEFT JOIN customers c ON c.id = o.customer AND c.region = 1 ORDER BY o.id',
    'SELECT r.label, c.id FROM regions r LEFT JOIN customers c ON c.region = r.code WHERE c.id IS NULL OR c.id < 5 ORDER BY 1, 2',
    'SELECT i.id, t.tag, o.id FROM items i LEFT JOIN tags t ON t.item = i.id LEFT JOIN orders o ON o.item = i.id AND o.qty = t.item % 5 ORDER BY 1, 2, 3',
  ]) {
    pair.same(sql);
  }
  const plan = samePlanAndRows(pair, 'SELECT customers.id, orders.id FROM customers LEFT JOIN orders ON orders.customer = customers.id');
  assert.equal(plan.length, 2);
});

test('plans name an aliased table by its alias, as SQLite 3.53 does', () => {
  for (const sql of [
    'SELECT c.name, o.id FROM customers AS c JOIN orders o ON o.customer = c.id',
    'SELECT a.id, b.id FROM items a, items b WHERE b.id = a.id + 1',
  ]) {
    samePlanAndRows(pair, sql);
  }
});
