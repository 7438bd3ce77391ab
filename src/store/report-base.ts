import { readFileSync } from 'node:fs';
import { fromTuple, tupleTotal, type EntryTuple } from '../claude/transcript-digest.ts';
import type { UsageEntry } from '../usage/usage-record.ts';
import { float64sOf } from './cache-read.ts';
import { summedBytes, unsummedBytes } from './cache-sum.ts';
import { ENTRY_WIDTH, readEntry, writeEntry } from './entry-columns.ts';
import { keyHash } from './report-keys.ts';
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
 * One file's usage part in the packed form a scan worker sends (scan-pool.ts): its strings once, its
 * entries as columns (entry-columns.ts, indexes into `strings`), keyed entries first, and the hashes of
 * the keyed entries' keys (report-keys.ts keyHash), in the same order.
 */
export interface PackedPart {
  lines: number;
  malformedLines: number;
  resume: Resume;
  strings: string[];
  nums: Float64Array;
  /** How many of the entries are keyed (the rest are keyless). */
  keyed: number;
  keyHashes: Float64Array;
}

/** A part in hand packed as a scan worker sends it, ready for BaseBuilder.addPacked. Pure. */
export function packPart(p: UsagePart): PackedPart {
  const { strings, id } = stringTable();
  const nums = new Float64Array((p[2].length + p[3].length) * ENTRY_WIDTH);
  let k = 0;
  for (const t of p[2]) k = writeEntry(nums, k, t, id);
  for (const t of p[3]) k = writeEntry(nums, k, t, id);
  const keyHashes = new Float64Array(p[2].length);
  for (let i = 0; i < p[2].length; i++) keyHashes[i] = keyHash(p[2][i]![0]!);
  return { lines: p[0], malformedLines: p[1], resume: p[4], strings, nums, keyed: p[2].length, keyHashes };
}

/** A base built in memory (not yet written: `gen` is ''), and the hashes of every keyed entry's key, ascending. */
export interface BuiltBase {
  base: Base;
  /** Per slot: whether a part was added (false: the file is gone; its slot is empty). */
  present: boolean[];
  keyHashes: Float64Array;
}

/**
 * Builds a base from packed parts in any order (a full scan adds each file's part as its worker
 * delivers it, while the others still read): each part's strings are appended to the base's (a key two
 * files hold is stored twice; merging them would cost a map lookup per entry) and its string indexes
 * shifted by as much. Slots not added stay empty (a file gone).
 */
export class BaseBuilder {
  private readonly strings: string[] = [];
  private readonly chunks: Float64Array[] = [];
  private readonly hashes: Float64Array[] = [];
  private readonly slots: Base['slots'];
  private readonly present: boolean[];
  private numbers = 0;

  /** @param slots how many slots (listed files) the base has */
  constructor(slots: number) {
    this.slots = Array.from({ length: slots }, () => [0, 0, 0, 0, 0, 0, '', ''] as Base['slots'][number]);
    this.present = new Array<boolean>(slots).fill(false);
  }

  /**
   * Adds `p` as slot `slot` (its arrays are taken, not copied: `p.nums` is changed in place).
   * @throws RangeError for a slot outside the base, or one already added
   */
  addPacked(slot: number, p: PackedPart): void {
    if (!(slot >= 0 && slot < this.slots.length)) throw new RangeError(`slot ${slot} outside a base of ${this.slots.length}`);
    if (this.present[slot]) throw new RangeError(`slot ${slot} added twice`);
    const shift = this.strings.length;
    for (const str of p.strings) this.strings.push(str);
    const n = p.nums;
    for (let k = 0; k < n.length; k += ENTRY_WIDTH) {
      if (n[k]! >= 0) n[k] = n[k]! + shift;
      if (n[k + 1]! >= 0) n[k + 1] = n[k + 1]! + shift;
      n[k + 3] = n[k + 3]! + shift;
    }
    const entries = n.length / ENTRY_WIDTH;
    this.slots[slot] = [p.lines, p.malformedLines, p.keyed, entries - p.keyed, this.numbers, ...p.resume];
    this.chunks.push(n);
    this.hashes.push(p.keyHashes);
    this.numbers += n.length;
    this.present[slot] = true;
  }

  /** Adds a part in hand (tuples) as slot `slot`. @throws RangeError for a slot outside the base, or one already added */
  addPart(slot: number, part: UsagePart): void {
    this.addPacked(slot, packPart(part));
  }

  /** The base (its `gen` set when written) and its keys' hashes, ascending. */
  finish(): BuiltBase {
    const nums = new Float64Array(this.numbers);
    let at = 0;
    for (const c of this.chunks) {
      nums.set(c, at);
      at += c.length;
    }
    let keys = 0;
    for (const h of this.hashes) keys += h.length;
    const keyHashes = new Float64Array(keys);
    at = 0;
    for (const h of this.hashes) {
      keyHashes.set(h, at);
      at += h.length;
    }
    return { base: { gen: '', strings: this.strings, slots: this.slots, nums }, present: this.present, keyHashes: keyHashes.sort() };
  }
}

/**
 * The base of `sources` (parts in hand, or slots of `from`), one slot per source in order. Pure.
 * @throws RangeError when a source names a slot `from` lacks
 */
export function baseOfSources(sources: readonly PartSource[], from: Base | null): BuiltBase {
  const b = new BaseBuilder(sources.length);
  sources.forEach((s, i) => {
    if (s === null) return;
    if ('slot' in s) {
      if (from === null || from.slots[s.slot] === undefined) throw new RangeError(`no slot ${s.slot} in the base`);
      b.addPart(i, basePart(from, s.slot));
    } else b.addPart(i, s.part);
  });
  return b.finish();
}

/**
 * The base file: `<sha1 of the rest>\n<header length>\n<header JSON><numbers>`. The header holds the
 * strings (keys, session ids, models) and each slot's counts; the numbers are 8 little-endian doubles per
 * entry (entry-columns.ts). Binary, because it holds every usage entry of the history: as JSON arrays it
 * cost several times more to write and to read.
 *
 * @param gen the generation written into it (the file list and key hashes written with it name it)
 */
export function encodeBase(b: Base, gen: string): Buffer {
  const header = Buffer.from(JSON.stringify({ version: BASE_VERSION, gen, strings: b.strings, slots: b.slots }));
  return summedBytes(Buffer.concat([Buffer.from(`${header.length}\n`), header, Buffer.from(b.nums.buffer, b.nums.byteOffset, b.nums.byteLength)]));
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
