import { closeSync, readFileSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { lowerBound } from '../usage/lower-bound.ts';
import { float64sOf, openIfThere, readExactly } from './cache-read.ts';
import { summedBytes, unsummedBytes } from './cache-sum.ts';
import { writeCacheFile } from './cache-write.ts';

/**
 * Which usage keys (`message.id:requestId`) the report cache's files hold, as a sorted list of 53-bit
 * hashes with one element per file holding the key (`report-keys.bin`, written with the base; those
 * journaled since in `report-journal-keys.bin`, written with each index). An incremental report asks
 * whether a key it just read is held by no other file: only then can it update the report in place
 * (report-delta.ts). A collision only makes a key look shared, so the answer "no other file" is exact.
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

/** Key hashes in a file, looked up bucket by bucket (see writeKeys). */
export interface KeyLookup {
  /** How many times `h` occurs, or null when its bucket is damaged. */
  count(h: number): number | null;
  /**
   * Reads the buckets of `hashes` ahead, neighbours in one read (gaps under 4 KB are read through): an
   * update's many lookups then cost a few reads, not one each. Optional: `count` reads what is missing.
   */
  prefetch(hashes: readonly number[]): void;
  close(): void;
}

/** Buckets closer than this (bytes) in the file are read in one read, the gap read through. */
const READ_THROUGH = 4_096;

/** A bucket's hashes share their top `bits` bits: 2^bits buckets of about 64 hashes each. */
function bucketBits(n: number): number {
  return Math.max(0, Math.ceil(Math.log2(n / 64)));
}

const bucketOf = (h: number, bits: number) => Math.floor(h / 2 ** (53 - bits));

/**
 * Writes the hashes for base generation `gen`, in buckets, so that a lookup reads one bucket (a few
 * hundred bytes) instead of the whole file, whatever the history's size. Layout: `<sha1 of the header>\n`,
 * the header (`cco-keys 2 <gen> <bits> <count>\n`, then 2^bits + 1 bucket starts and 2^bits bucket
 * CRC-32s, u32 LE), then the hashes, ascending, as little-endian doubles.
 *
 * @param sorted ascending (sortedHashes)
 * @throws the fs error of the write
 */
export function writeKeys(file: string, gen: string, sorted: Float64Array): void {
  const bits = bucketBits(sorted.length);
  const n = 2 ** bits;
  const table = Buffer.alloc((2 * n + 1) * 4);
  const data = Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength);
  let at = 0;
  for (let b = 0; b < n; b++) {
    const start = at;
    while (at < sorted.length && bucketOf(sorted[at]!, bits) === b) at++;
    table.writeUInt32LE(start, b * 4);
    table.writeUInt32LE(crc32(data.subarray(start * 8, at * 8)), (n + 1 + b) * 4);
  }
  table.writeUInt32LE(at, n * 4);
  const header = Buffer.concat([Buffer.from(`cco-keys 2 ${gen} ${bits} ${sorted.length}\n`), table]);
  writeCacheFile(file, Buffer.concat([summedBytes(header), data]));
}

/**
 * The hashes of base generation `gen` for lookups, or null (none, a damaged header, another generation).
 * Reads the header now and each bucket on its first lookup (or `prefetch`); `close` when done.
 */
export function openKeys(file: string, gen: string): KeyLookup | null {
  const fd = openIfThere(file);
  if (fd === null) return null;
  try {
    const first = Buffer.alloc(256);
    const got = readSync(fd, first, 0, first.length, 0);
    const m = /^cco-keys 2 (\S+) (\d+) (\d+)\n/.exec(first.toString('latin1', 41, got));
    if (m === null || m[1] !== gen || Number(m[2]) > 24) throw new Error('not a keys file of this generation');
    const bits = Number(m[2]);
    const n = 2 ** bits;
    const withSum = readExactly(fd, 41 + Buffer.byteLength(m[0]) + (2 * n + 1) * 4, 0);
    const header = withSum === null ? null : unsummedBytes(withSum);
    if (header === null) throw new Error('damaged');
    const table = header.subarray(Buffer.byteLength(m[0]));
    const dataAt = withSum!.length;
    const buckets = new Map<number, Float64Array | null>();
    const startOf = (b: number) => table.readUInt32LE(b * 4);
    // Bucket b's hashes from `raw`, the bytes of the file's hashes from hash index `at` on.
    const take = (b: number, raw: Buffer | null, at: number): Float64Array | null => {
      const start = startOf(b);
      const end = startOf(b + 1);
      let v: Float64Array | null = null;
      const bytes = raw === null || end < start ? null : raw.subarray((start - at) * 8, (end - at) * 8);
      if (bytes !== null && bytes.length === (end - start) * 8 && crc32(bytes) === table.readUInt32LE((n + 1 + b) * 4)) v = float64sOf(bytes);
      buckets.set(b, v);
      return v;
    };
    // Buckets `bs` (ascending, all unread), from the first one's start to the last one's end in one read.
    const readRun = (bs: number[]) => {
      const at = startOf(bs[0]!);
      const end = Math.max(at, startOf(bs.at(-1)! + 1));
      const raw = readExactly(fd, (end - at) * 8, dataAt + at * 8);
      for (const b of bs) take(b, raw, at);
    };
    return {
      count: (h) => {
        const b = bucketOf(h, bits);
        if (!buckets.has(b)) readRun([b]);
        const v = buckets.get(b)!;
        return v === null ? null : countOf(v, h);
      },
      prefetch: (hashes) => {
        const wanted = [...new Set(hashes.map((h) => bucketOf(h, bits)))].filter((b) => !buckets.has(b)).sort((x, y) => x - y);
        let run: number[] = [];
        for (const b of wanted) {
          if (run.length > 0 && (startOf(b) - startOf(run.at(-1)! + 1)) * 8 > READ_THROUGH) {
            readRun(run);
            run = [];
          }
          run.push(b);
        }
        if (run.length > 0) readRun(run);
      },
      close: () => closeSync(fd),
    };
  } catch {
    closeSync(fd);
    return null;
  }
}

/**
 * `a` and `b` (both ascending) merged into one ascending Float64Array. Pure; O(a + b): an update adds its
 * few new hashes to the journal's without sorting them all again.
 */
export function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/**
 * Writes the hashes journaled since the base (`report-journal-keys.bin`) for index generation `gen`:
 * `<sha1>\n`, `cco-jkeys 1 <gen> <count>\n`, then the hashes, ascending, as little-endian doubles. Written
 * whole by each update (8 bytes a key: far less than the JSON of the index it replaces there).
 *
 * @param sorted ascending
 * @throws the fs error of the write
 */
export function writeJournalKeys(file: string, gen: string, sorted: Float64Array): void {
  const data = Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength);
  writeCacheFile(file, summedBytes(Buffer.concat([Buffer.from(`cco-jkeys 1 ${gen} ${sorted.length}\n`), data])));
}

/** The journaled hashes of index generation `gen` (ascending), or null (none, damaged, another generation or count). */
export function readJournalKeys(file: string, gen: string, count: number): Float64Array | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  const body = unsummedBytes(buf);
  if (body === null) return null;
  const nl = body.indexOf(0x0a);
  if (nl < 0 || body.toString('latin1', 0, nl) !== `cco-jkeys 1 ${gen} ${count}` || body.length - nl - 1 !== count * 8) return null;
  return float64sOf(body.subarray(nl + 1));
}
