/**
 * A small, fast, seeded pseudo-random number generator (sfc32, public domain, by Chris Doty-Humphrey).
 * Everything the generator produces comes from one of these, never from Math.random, so the same
 * seed always yields the same organization and the same events.
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 32-bit FNV-1a of a string, then a murmur3 finaliser for better bit mixing. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** murmur3's 32-bit finaliser. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is a number or a string; `stream` names an independent sequence from the same seed. */
  constructor(seed: number | string, stream = '') {
    const base = `${seed}|${stream}`;
    this.a = hashString(`${base}|a`);
    this.b = hashString(`${base}|b`);
    this.c = hashString(`${base}|c`);
    this.d = hashString(`${base}|d`) | 1;
    // Discard the first outputs: sfc32 mixes its state in a dozen rounds.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[this.int(items.length)]!;
  }

  /** A Fisher-Yates shuffled copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }

  /** `k` distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.min(k, items.length));
  }

  /** A Poisson-distributed count (Knuth for small means, a rounded normal for large ones). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) {
      // Box-Muller; the normal approximation is within a fraction of a percent here.
      const u = 1 - this.next();
      const v = this.next();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
    }
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }

  /** Lower-case hex digits. */
  hex(length: number): string {
    let s = '';
    while (s.length < length) s += HEX[this.nextUint32() & 0xff]! + HEX[(this.nextUint32() >>> 8) & 0xff]!;
    return s.slice(0, length);
  }

  /** Mixed-case letters and digits (S3 object-name suffixes). */
  alnum(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += ALNUM[this.int(ALNUM.length)]!;
    return s;
  }

  /** Upper-case letters and digits (access key ids). */
  upperAlnum(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += UPPER_ALNUM[this.int(UPPER_ALNUM.length)]!;
    return s;
  }

  /** A version-4-shaped UUID (eventID, requestID). */
  uuid(): string {
    const a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    const d = this.nextUint32();
    return (
      HEX[a >>> 24]! +
      HEX[(a >>> 16) & 0xff]! +
      HEX[(a >>> 8) & 0xff]! +
      HEX[a & 0xff]! +
      '-' +
      HEX[b >>> 24]! +
      HEX[(b >>> 16) & 0xff]! +
      '-4' +
      HEX[(b >>> 8) & 0x0f]!.slice(1) +
      HEX[b & 0xff]! +
      '-' +
      HEX[0x80 | ((c >>> 24) & 0x3f)]! +
      HEX[(c >>> 16) & 0xff]! +
      '-' +
      HEX[(c >>> 8) & 0xff]! +
      HEX[c & 0xff]! +
      HEX[d >>> 24]! +
      HEX[(d >>> 16) & 0xff]! +
      HEX[(d >>> 8) & 0xff]! +
      HEX[d & 0xff]!
    );
  }
}

/** Zipf-like weights 1/rank^s for ranks 1..n, as a cumulative table (last entry = total). */
export function zipfCumulative(n: number, s: number): Float64Array {
  const out = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += 1 / (i + 1) ** s;
    out[i] = acc;
  }
  return out;
}

/** Cumulative table of arbitrary weights. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w;
    out[i] = acc;
  });
  return out;
}

/** Index of the first entry of a cumulative table above `u * total` (binary search). */
export function pickCumulative(table: Float64Array, u: number): number {
  const target = u * table[table.length - 1]!;
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (table[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
