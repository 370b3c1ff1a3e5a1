/**
 * Deterministic pseudo-random numbers (mulberry32), so every engine sees the
 * same "random" key order and the same checksum follows from the same rows.
 */

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform integer in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform integer in [low, high]. */
  integerBetween(low: number, high: number): number {
    return low + Math.floor((this.nextUint32() / 0x1_0000_0000) * (high - low + 1));
  }
}

/** The keys 1..count in a shuffled order fixed by `seed`. */
export function shuffledKeys(count: number, seed: number): Int32Array {
  const keys = new Int32Array(count);
  for (let i = 0; i < count; i++) keys[i] = i + 1;
  const random = new SeededRandom(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = random.integerBetween(0, i);
    const swap = keys[i]!;
    keys[i] = keys[j]!;
    keys[j] = swap;
  }
  return keys;
}

/** `count` keys drawn uniformly (with repetition) from 1..max, fixed by `seed`. */
export function randomKeys(count: number, max: number, seed: number): Int32Array {
  const keys = new Int32Array(count);
  const random = new SeededRandom(seed);
  for (let i = 0; i < count; i++) keys[i] = random.integerBetween(1, max);
  return keys;
}
