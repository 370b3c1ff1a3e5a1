/**
 * Shared test fixtures: a scratch directory per test with a SQLite-made WAL
 * database (`t(v TEXT)` holding one row), child peers that are always
 * reaped, and byte snapshots of the database files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { ChildPeer } from './child-peer.js';

const CHILD = new URL('./guard-child.js', import.meta.url);

/** A new database made by SQLite in WAL mode, with table t(v) and the row 'sqlite-0'. */
export function sqliteDatabase(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-guards-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'test.db');
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t(v TEXT)');
  db.prepare('INSERT INTO t(v) VALUES (?)').run('sqlite-0');
  db.close();
  return path;
}

/** A child process running `engine` on `path`, killed when the test ends. */
export function peer(t: TestContext, engine: string, path: string): ChildPeer {
  const child = new ChildPeer(CHILD, [engine, path]);
  t.after(() => child.kill());
  return child;
}

/** Content hash and inode of a file, or 'absent'. */
export function fingerprint(path: string): string {
  if (!existsSync(path)) return 'absent';
  return `${statSync(path).ino}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

/** Fingerprints of the database and its WAL. */
export function databaseFingerprint(path: string): string {
  return `${fingerprint(path)} ${fingerprint(`${path}-wal`)}`;
}
