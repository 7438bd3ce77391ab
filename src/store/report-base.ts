import { readFileSync } from 'node:fs';
import { fromTuple, tupleTotal, type EntryTuple } from '../claude/transcript-digest.ts';
import type { UsageEntry } from '../usage/usage-record.ts';
import { float64sOf } from './cache-read.ts';
import { summedBytes, unsummedBytes } from './cache-sum.ts';
import { ENTRY_WIDTH, readEntry, writeEntry } from './entry-columns.ts';
import { stringTable } from './string-table.ts';

/**
 * The report cache's base (`report-usage.bin`): every transcript's usage part as of the last full write,
 * in a compact binary form, one slot per listed file. Written by a full scan or a rebuild; an incremental
 * report leaves it as it is and journals what it read on (report-journal.ts).
 */

/**
 * Where a file's read stopped and how to see that the file was only appended to since: the byte offset
 * past the last line read, and base64 of the bytes before it and of the file's head (TranscriptCursor's
 * `offset`, `tail`, `head`).
 */
export type Resume = [number, string, string];

/**
 * A transcript's part of the report: [non-blank lines, malformed lines, keyed entries, keyless entries,
 * where its read stopped]. The digest of a `usage` read (see DigestScope) as it is kept here.
 */
export type UsagePart = [number, number, EntryTuple[], EntryTuple[], Resume];

/** The base usage file, decoded: strings, per-slot counts and offsets, and the numbers. */
export interface Base {
  gen: string;
  strings: string[];
  /** Per slot: [lines, malformed lines, keyed entries, keyless entries, index of its first number, ...its Resume]. */
  slots: [number, number, number, number, number, number, string, string][];
  nums: Float64Array;
}

/** Where one file's part comes from when merging: a base slot or a part in hand (null: the file is gone). */
export type PartSource = { slot: number } | { part: UsagePart } | null;

const BASE_VERSION = 3;

/** The base of generation `gen` in `file`, or null (none, damaged, another generation or version). */
export function readBase(file: string, gen: string): Base | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  try {
    const b = decodeBase(buf);
    return b !== null && b.gen === gen ? b : null;
  } catch {
    return null;
  }
}

/**
 * The base file: `<sha1 of the rest>\n<header length>\n<header JSON><numbers>`. The header holds the
 * strings (keys, session ids, models) and each slot's counts; the numbers are 8 little-endian doubles per
 * entry (entry-columns.ts). Binary, because it holds every usage entry of the history: as JSON arrays it
 * cost several times more to write and to read.
 *
 * @param parts one per slot (null: an empty slot)
 */
export function encodeBase(gen: string, parts: readonly (UsagePart | null)[]): Buffer {
  const { strings, id } = stringTable();
  let n = 0;
  for (const p of parts) if (p !== null) n += p[2].length + p[3].length;
  const nums = new Float64Array(n * ENTRY_WIDTH);
  let k = 0;
  const slots = parts.map((p) => {
    if (p === null) return [0, 0, 0, 0, k, 0, '', ''];
    const off = k;
    for (const t of p[2]) k = writeEntry(nums, k, t, id);
    for (const t of p[3]) k = writeEntry(nums, k, t, id);
    return [p[0], p[1], p[2].length, p[3].length, off, ...p[4]];
  });
  const header = Buffer.from(JSON.stringify({ version: BASE_VERSION, gen, strings, slots }));
  return summedBytes(Buffer.concat([Buffer.from(`${header.length}\n`), header, Buffer.from(nums.buffer, nums.byteOffset, nums.byteLength)]));
}

function decodeBase(buf: Buffer): Base | null {
  const body = unsummedBytes(buf);
  if (body === null) return null;
  const nl = body.indexOf(0x0a);
  const headerLen = Number(body.toString('latin1', 0, nl));
  const header = JSON.parse(body.toString('utf8', nl + 1, nl + 1 + headerLen)) as { version: unknown; gen: unknown; strings: unknown; slots: unknown };
  if (header.version !== BASE_VERSION || typeof header.gen !== 'string' || !Array.isArray(header.strings) || !Array.isArray(header.slots)) return null;
  const raw = body.subarray(nl + 1 + headerLen);
  if (raw.length % 8 !== 0) return null;
  return { gen: header.gen, strings: header.strings as string[], slots: header.slots as Base['slots'], nums: float64sOf(raw) };
}

/** A part of the base as tuples (to go on reading its file, or to rewrite the base). */
export function basePart(b: Base, slot: number): UsagePart {
  const [lines, malformed, nk, nl, off, offset, tail, head] = b.slots[slot]!;
  const entries: EntryTuple[] = [];
  const loose: EntryTuple[] = [];
  for (let i = 0; i < nk; i++) entries.push(readEntry(b.strings, b.nums, off + i * ENTRY_WIDTH));
  for (let i = 0; i < nl; i++) loose.push(readEntry(b.strings, b.nums, off + (nk + i) * ENTRY_WIDTH));
  return [lines, malformed, entries, loose, [offset, tail, head]];
}

/** [lines, malformed lines] of a slot. */
export function slotLines(b: Base, slot: number): [number, number] {
  const s = b.slots[slot]!;
  return [s[0], s[1]];
}

/**
 * `mergeDigests` (ledger.ts) over parts kept in a base or in hand: the same entries in the same order
 * (first-seen key order, largest copy, first on a tie; then every keyless entry in file order), without
 * turning every base entry into a tuple first.
 */
export function mergeSources(sources: readonly PartSource[], base: Base | null): UsageEntry[] {
  const best = new Map<string, number | EntryTuple>();
  const totalOf = (v: number | EntryTuple) => (typeof v === 'number' ? base!.nums[v + 4]! + base!.nums[v + 5]! + base!.nums[v + 6]! + base!.nums[v + 7]! : tupleTotal(v));
  const loose: (number | EntryTuple)[] = [];
  for (const s of sources) {
    if (s === null) continue;
    if ('slot' in s) {
      const b = base!;
      const [, , nk, nl, off] = b.slots[s.slot]!;
      for (let i = 0; i < nk; i++) {
        const at = off + i * ENTRY_WIDTH;
        const key = b.strings[b.nums[at]!]!;
        const prev = best.get(key);
        if (prev === undefined || b.nums[at + 4]! + b.nums[at + 5]! + b.nums[at + 6]! + b.nums[at + 7]! > totalOf(prev)) best.set(key, at);
      }
      for (let i = 0; i < nl; i++) loose.push(off + (nk + i) * ENTRY_WIDTH);
    } else {
      for (const t of s.part[2]) {
        const prev = best.get(t[0]!);
        if (prev === undefined || tupleTotal(t) > totalOf(prev)) best.set(t[0]!, t);
      }
      for (const t of s.part[3]) loose.push(t);
    }
  }
  const out: UsageEntry[] = [];
  const entry = (v: number | EntryTuple) => fromTuple(typeof v === 'number' ? readEntry(base!.strings, base!.nums, v) : v);
  for (const v of best.values()) out.push(entry(v));
  for (const v of loose) out.push(entry(v));
  return out;
}
