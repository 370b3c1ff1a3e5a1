/**
 * Child process of sqlite-interop.test.ts: writes the database argv[2] with
 * SQLite (better-sqlite3) in WAL mode without ever checkpointing, then kills
 * itself so the WAL is left exactly as SQLite wrote it.
 */
import Database from 'better-sqlite3';

const db = new Database(process.argv[2]!);
db.pragma('journal_mode = WAL');
db.pragma('wal_autocheckpoint = 0');
db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, payload BLOB)');
db.exec('CREATE INDEX items_name ON items (name)');
const insert = db.prepare('INSERT INTO items (name, payload) VALUES (?, ?)');
for (let batch = 0; batch < 12; batch++) {
  db.transaction(() => {
    for (let i = 0; i < 40; i++) insert.run(`item-${batch}-${i}`, Buffer.alloc(300 + ((batch * 37 + i * 101) % 6000), batch + i));
  })();
}
db.exec("UPDATE items SET name = name || '-updated' WHERE id % 7 = 0");
db.exec('DELETE FROM items WHERE id % 11 = 0');
process.stdout.write('written\n');
process.kill(process.pid, 'SIGKILL');
