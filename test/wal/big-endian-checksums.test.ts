import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openPager } from '../../src/pager/open-pager.js';
import { walChecksum } from '../../src/wal/wal-checksum.js';
import { WAL_MAGIC_BIG_ENDIAN, decodeWalHeader, frameOffset, sealFrame } from '../../src/wal/wal-format.js';
import { tempDir } from '../pager/temp-dir.js';

/** Rewrites a whole WAL with big-endian checksum words, as SQLite on a big-endian host writes it. */
function toBigEndianWords(wal: Buffer): Buffer {
  const out = Buffer.from(wal);
  const pageSize = out.readUInt32BE(8);
  out.writeUInt32BE(WAL_MAGIC_BIG_ENDIAN, 0);
  const sums = new Uint32Array(2);
  walChecksum(out, 0, 24, true, sums);
  out.writeUInt32BE(sums[0]!, 24);
  out.writeUInt32BE(sums[1]!, 28);
  for (let frame = 1; frameOffset(frame + 1, pageSize) <= out.length; frame++) {
    const at = frameOffset(frame, pageSize);
    sealFrame(out, at, pageSize, out.readUInt32BE(at), out.readUInt32BE(at + 4), out.readUInt32BE(16), out.readUInt32BE(20), true, sums);
  }
  return out;
}

test('a WAL with big-endian checksum words is read, and extended with the same word order', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'be.db');
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('CREATE TABLE t (x)');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.exec("INSERT INTO t VALUES ('first'), ('second')");
  const main = readFileSync(path);
  const wal = readFileSync(`${path}-wal`);
  sqlite.close();
  writeFileSync(path, main);
  writeFileSync(`${path}-wal`, toBigEndianWords(wal));

  const pager = openPager(path, { walAutocheckpoint: 0 });
  pager.beginRead();
  const root = pager.page(2);
  assert.equal((root[3]! << 8) | root[4]!, 2, 'both rows from the big-endian WAL are visible');
  pager.endRead();
  pager.beginWrite();
  pager.setHeaderField('userVersion', 77);
  pager.commit();
  const checkDir = join(dir, 'check');
  mkdirSync(checkDir);
  copyFileSync(path, join(checkDir, 'be.db'));
  copyFileSync(`${path}-wal`, join(checkDir, 'be.db-wal'));
  pager.close();

  assert.equal(decodeWalHeader(readFileSync(join(checkDir, 'be.db-wal')))?.magic, WAL_MAGIC_BIG_ENDIAN);
  const check = new Database(join(checkDir, 'be.db'));
  t.after(() => check.close());
  assert.equal(check.pragma('user_version', { simple: true }), 77);
  assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(check.prepare('SELECT x FROM t').pluck().all(), ['first', 'second']);
});
