/** Seeded pseudo-random numbers (mulberry32) and random test values for B-tree tests. */
import type { SqlValue } from '../../../src/btree/index.js';

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = (this.next() * 256) | 0;
    return out;
  }

  /** Payload size: mostly small, some medium, a few up to 100 KB. */
  payloadSize(): number {
    const r = this.next();
    if (r < 0.85) return this.int(60);
    if (r < 0.98) return 60 + this.int(1500);
    if (r < 0.997) return 1500 + this.int(8000);
    return 10000 + this.int(90001);
  }

  text(length: number): string {
    const alphabet = Array.from('abcXYZ é€😀 ');
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** A random SQL value of any storage class. */
  value(): SqlValue {
    switch (this.int(8)) {
      case 0:
        return null;
      case 1:
        return this.int(200) - 100;
      case 2:
        return (this.next() - 0.5) * 1e6;
      case 3:
        return this.int(2) === 0 ? 2n ** 62n - BigInt(this.int(1000)) : -(2n ** 60n) - BigInt(this.int(1000));
      case 4:
      case 5:
        return this.text(this.int(12));
      case 6:
        return this.text(this.payloadSize() >> 1);
      default:
        return this.bytes(this.int(20));
    }
  }
}
