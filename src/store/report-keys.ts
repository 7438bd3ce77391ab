import { readFileSync } from 'node:fs';
import { lowerBound } from '../usage/lower-bound.ts';
import { summedBytes, unsummedBytes } from './cache-sum.ts';
import { writeCacheFile } from './cache-write.ts';

/**
 * Which usage keys (`message.id:requestId`) the report cache's files hold, as a sorted list of 53-bit
 * hashes with one element per file holding the key (`report-keys.bin`, written with the base; the keys
 * journaled since are listed in the report index). An incremental report asks it whether a key it just
 * read is held by no other file: only then can it update the report in place (report-delta.ts). A collision only makes a key look shared, so the answer "no other file" is exact.
 */

/** 53-bit FNV-1a hash of `key` (two 32-bit passes with different offsets), exact as a double. Pure. */
export function keyHash(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return (a & 0x1fffff) * 0x1_0000_0000 + b;
}

/** `hashes` sorted ascending, as a new Float64Array. */
export function sortedHashes(hashes: ArrayLike<number>): Float64Array {
  return Float64Array.from(hashes).sort();
}

/** How many times `h` occurs in ascending `sorted`. Pure. */
export function countOf(sorted: Float64Array, h: number): number {
  const lo = lowerBound(sorted, h);
  let hi = lo;
  while (hi < sorted.length && sorted[hi] === h) hi++;
  return hi - lo;
}

/** Writes the hashes for base generation `gen`: `<sha1 of the rest>\n<gen>\n<float64s, little-endian>`. */
export function writeKeys(file: string, gen: string, sorted: Float64Array): void {
  const body = Buffer.concat([Buffer.from(`${gen}\n`), Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength)]);
  writeCacheFile(file, summedBytes(body));
}

/** The hashes written with base generation `gen`, or null (none, damaged, another generation). */
export function readKeys(file: string, gen: string): Float64Array | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  const body = unsummedBytes(buf);
  if (body === null) return null;
  const nl = body.indexOf(0x0a);
  if (nl < 0 || body.toString('latin1', 0, nl) !== gen || (body.length - nl - 1) % 8 !== 0) return null;
  const out = new Float64Array((body.length - nl - 1) / 8);
  Buffer.from(out.buffer).set(body.subarray(nl + 1));
  return out;
}

