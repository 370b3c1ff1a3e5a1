/**
 * The statement-level workloads of `bench/sql`: each one builds its tables
 * on a fresh database, then runs a timed body that performs `units` units of
 * work (rows inserted, rows scanned, lookups made, join rows produced) and
 * keeps what it read; a checksum of that, computed outside the timed part,
 * lets the engines be checked against each other. Both engines run the same SQL through the same
 * better-sqlite3-shaped API; nothing here knows which engine it drives.
 *
 * Data is deterministic (a fixed-seed generator) and every value is exact in
 * binary, so the checksums of Shoal and better-sqlite3 must agree.
 */

/** The part of the better-sqlite3 API the workloads use. */
export interface SqlStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqlDatabase {
  prepare(sql: string): SqlStatement;
  exec(sql: string): unknown;
  pragma(sql: string): unknown;
  transaction<F extends (...args: never[]) => unknown>(fn: F): F;
  close(): unknown;
}

/** A prepared workload: `run` is the timed part; `checksum` hashes what the last `run` produced, untimed. */
export interface PreparedWorkload {
  /** Units of work one `run` performs (the divisor of the per-row cost). */
  readonly units: number;
  run(): void;
  checksum(): number;
}

export interface SqlWorkload {
  readonly id: string;
  /** What one unit is, for the report ("row inserted", "lookup", ...). */
  readonly unit: string;
  readonly title: string;
  /** True when the workload needs a database file (the runner passes a WAL file instead of `:memory:`). */
  readonly file?: boolean;
  /** Builds the tables and prepares the statements on `db`; `rows` sizes the data. */
  prepare(db: SqlDatabase, rows: number): PreparedWorkload;
}

const ITEMS_SCHEMA =
  'CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL, price REAL NOT NULL, category INTEGER NOT NULL)';
const INSERT_ITEM = 'INSERT INTO items(id, name, qty, price, category) VALUES (?, ?, ?, ?, ?)';
const CATEGORIES = 100;

function itemName(id: number): string {
  return `item-${id}`;
}
function itemQty(id: number): number {
  return (id * 7919) % 1000;
}
function itemPrice(id: number): number {
  return (id % 1000) / 8;
}
function itemCategory(id: number): number {
  return (id * 31) % CATEGORIES;
}

function fillItems(db: SqlDatabase, rows: number): void {
  db.exec(ITEMS_SCHEMA);
  const insert = db.prepare(INSERT_ITEM);
  db.transaction(() => {
    for (let id = 1; id <= rows; id++) insert.run(id, itemName(id), itemQty(id), itemPrice(id), itemCategory(id));
  })();
}

/** Keys 1..n in a fixed pseudo-random order (xorshift32 Fisher-Yates). */
function shuffledKeys(n: number): number[] {
  const keys = Array.from({ length: n }, (_, i) => i + 1);
  let state = 0x5eed5eed;
  for (let i = n - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    const t = keys[i];
    keys[i] = keys[j];
    keys[j] = t;
  }
  return keys;
}

/** Folds one row's values into a running checksum. */
function mix(sum: number, row: unknown): number {
  if (row === undefined || row === null) return (sum * 31 + 7) | 0;
  const values = typeof row === 'object' ? Object.values(row as Record<string, unknown>) : [row];
  for (const value of values) {
    if (typeof value === 'number') sum = (sum * 31 + Math.round(value * 8)) | 0;
    else if (typeof value === 'string') for (let i = 0; i < value.length; i++) sum = (sum * 31 + value.charCodeAt(i)) | 0;
    else sum = (sum * 31 + 1) | 0;
  }
  return sum;
}

function mixAll(rows: unknown[]): number {
  let sum = 0;
  for (const row of rows) sum = mix(sum, row);
  return sum;
}

const insertInTransaction: SqlWorkload = {
  id: 'insert-tx',
  unit: 'row inserted',
  title: 'single-row INSERTs with bound parameters, all in one transaction',
  prepare(db, rows) {
    db.exec(ITEMS_SCHEMA);
    const insert = db.prepare(INSERT_ITEM);
    const count = db.prepare('SELECT count(*) AS n, sum(qty) AS q FROM items');
    let round = 0;
    const insertAll = db.transaction(() => {
      db.exec('DELETE FROM items');
      const base = round++ * rows;
      for (let i = 1; i <= rows; i++) {
        const id = base + i;
        insert.run(id, itemName(id), itemQty(id), itemPrice(id), itemCategory(id));
      }
    });
    return { units: rows, run: () => insertAll(), checksum: () => mix(0, count.get()) };
  },
};

function pointSelect(id: string, title: string, inTransaction: boolean): SqlWorkload {
  return {
    id,
    unit: 'lookup',
    title,
    prepare(db, rows) {
      fillItems(db, rows);
      const select = db.prepare('SELECT id, name, qty, price FROM items WHERE id = ?');
      const keys = shuffledKeys(rows);
      const found: unknown[] = new Array<unknown>(rows).fill(null);
      const lookups = (): void => {
        for (let i = 0; i < keys.length; i++) found[i] = select.get(keys[i]);
      };
      const body = inTransaction ? db.transaction(lookups) : lookups;
      return { units: rows, run: () => body(), checksum: () => mixAll(found) };
    },
  };
}

const secondaryIndexLookup: SqlWorkload = {
  id: 'index-get',
  unit: 'lookup',
  title: 'stmt.get(name) through a secondary index on items(name), autocommit',
  prepare(db, rows) {
    fillItems(db, rows);
    db.exec('CREATE INDEX items_name ON items(name)');
    const select = db.prepare('SELECT id, qty FROM items WHERE name = ?');
    const names = shuffledKeys(rows).map(itemName);
    const found: unknown[] = new Array<unknown>(rows).fill(null);
    return {
      units: rows,
      run() {
        for (let i = 0; i < names.length; i++) found[i] = select.get(names[i]);
      },
      checksum: () => mixAll(found),
    };
  },
};

const filteredScan: SqlWorkload = {
  id: 'scan-where',
  unit: 'row scanned',
  title: 'full scan with a WHERE filter (1% of rows match), .all()',
  prepare(db, rows) {
    fillItems(db, rows);
    const select = db.prepare('SELECT id, name, price FROM items WHERE qty < ?');
    let found: unknown[] = [];
    return {
      units: rows,
      run() {
        found = select.all(10);
      },
      checksum: () => mixAll(found),
    };
  },
};

const fullScan: SqlWorkload = {
  id: 'scan-all',
  unit: 'row returned',
  title: 'full scan of every row and column, .all()',
  prepare(db, rows) {
    fillItems(db, rows);
    const select = db.prepare('SELECT * FROM items');
    let found: unknown[] = [];
    return {
      units: rows,
      run() {
        found = select.all();
      },
      checksum: () => mixAll(found),
    };
  },
};

const indexedJoin: SqlWorkload = {
  id: 'join',
  unit: 'row joined',
  title: 'two-table join: orders scanned by customer index, items looked up by primary key',
  prepare(db, rows) {
    fillItems(db, rows);
    db.exec('CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, item INTEGER NOT NULL, amount INTEGER NOT NULL)');
    db.exec('CREATE INDEX orders_customer ON orders(customer)');
    const insert = db.prepare('INSERT INTO orders(id, customer, item, amount) VALUES (?, ?, ?, ?)');
    const customers = 100;
    db.transaction(() => {
      for (let id = 1; id <= rows; id++) insert.run(id, id % customers, ((id * 7) % rows) + 1, id % 97);
    })();
    const select = db.prepare(
      'SELECT o.id, o.amount, i.name, i.price FROM orders AS o JOIN items AS i ON i.id = o.item WHERE o.customer = ?',
    );
    const found: unknown[][] = [];
    return {
      units: rows,
      run() {
        for (let c = 0; c < customers; c++) found[c] = select.all(c);
      },
      checksum: () => mixAll(found.flat()),
    };
  },
};

const updateByPrimaryKey: SqlWorkload = {
  id: 'update-pk',
  unit: 'row updated',
  title: 'UPDATE ... WHERE id = ? (one row each), all in one transaction',
  prepare(db, rows) {
    fillItems(db, rows);
    const update = db.prepare('UPDATE items SET qty = ?, price = ? WHERE id = ?');
    const check = db.prepare('SELECT sum(qty) AS q, sum(price) AS p FROM items');
    const keys = shuffledKeys(rows);
    let round = 0;
    const updateAll = db.transaction(() => {
      round++;
      for (let i = 0; i < keys.length; i++) update.run((keys[i] + round) % 1000, round / 8, keys[i]);
    });
    return { units: rows, run: () => updateAll(), checksum: () => mix(0, check.get()) };
  },
};

const fileAutocommitInsert: SqlWorkload = {
  id: 'file-insert',
  unit: 'commit',
  title: 'autocommit single-row INSERTs into a WAL database file, synchronous=OFF',
  file: true,
  prepare(db, rows) {
    db.pragma('synchronous = OFF');
    db.exec(ITEMS_SCHEMA);
    const insert = db.prepare(INSERT_ITEM);
    const count = db.prepare('SELECT count(*) AS n, sum(qty) AS q FROM items');
    const commits = Math.max(1, Math.floor(rows / 50));
    let next = 1;
    return {
      units: commits,
      run() {
        for (let i = 0; i < commits; i++, next++) insert.run(next, itemName(next), itemQty(next), itemPrice(next), itemCategory(next));
      },
      checksum: () => mix(0, count.get()),
    };
  },
};

export const SQL_WORKLOADS: readonly SqlWorkload[] = [
  insertInTransaction,
  pointSelect('pk-get', 'stmt.get(id) by INTEGER PRIMARY KEY, each autocommit', false),
  pointSelect('pk-get-tx', 'stmt.get(id) by INTEGER PRIMARY KEY, all in one transaction', true),
  secondaryIndexLookup,
  filteredScan,
  fullScan,
  indexedJoin,
  updateByPrimaryKey,
  fileAutocommitInsert,
];
