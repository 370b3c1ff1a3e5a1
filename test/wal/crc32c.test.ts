import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c } from '../../src/wal/crc32c.js';

test('crc32c matches the Castagnoli check values', () => {
  assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
});
