import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fromTuple, tupleTotal, type EntryTuple } from '../claude/transcript-digest.ts';
import { ENTRY_WIDTH, readEntry, writeEntry } from './entry-columns.ts';
import type { Runtime } from '../runtime.ts';
import type { UsageReport } from '../usage/report.ts';
import type { UsageEntry } from '../usage/usage-record.ts';
import { stringTable } from './string-table.ts';
import { writeCacheFile } from './cache-write.ts';
import { keyHash, readKeys, sortedHashes, writeKeys } from './report-keys.ts';

/**
 * The report's own cache under `cco/cache/`: what the last `cco report` read and found, so that the next
 * one reads only what changed.
 *
 * - `report-index.json`: the transcript list with each file's identity (inode, size, mtime) as read and
 *   where its usage part is kept, and the report itself.
 * - `report-usage.bin` (the base): every file's usage part (lines, malformed lines, usage entries, and
 *   where the read stopped, to go on from there when the file grows) as of the last full write, in a
 *   compact binary form (see `encodeBase`).
 * - `report-overlay.json`: the parts of files that changed since the base was written (small; when it
 *   grows past a quarter of the entries the base is written again instead).
 * - `report-keys.bin`: the hashes of the usage keys each file holds (report-keys.ts).
 *
 * All are derived data: a missing, damaged (checksum), mismatched or other-version file reads as none,
 * and the next scan rewrites it. Each is written atomically (temp file, rename), with the SHA-1 of its
 * content first.
 */
export const REPORT_INDEX_VERSION = 2;

/** A file's identity when it was read: [inode, size, mtime ms]; null when it could not be read (gone). */
export type Ident = [number, number, number] | null;

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

/** One listed file: path, identity (nulls when gone), and its part's place: a base slot, or -1 for the overlay. */
export type IndexedFile = [string, number | null, number | null, number | null, number];

export interface ReportIndex {
  version: number;
  gen: string;
  /** The `gen` of the base file the slots refer to. */
  baseGen: string;
  roots: string[];
  files: IndexedFile[];
  report: UsageReport;
  /** Times (epoch ms, ascending) of the entries in the report's last 5-hour block (see buildReportWithTail). */
  tail: number[];
}

/** The base usage file, decoded lazily: strings, per-slot counts and offsets, and the numbers. */
export interface Base {
  gen: string;
  strings: string[];
  /** Per slot: [lines, malformed lines, keyed entries, keyless entries, index of its first number, ...its Resume]. */
  slots: [number, number, number, number, number, number, string, string][];
  nums: Float64Array;
}

/** Where one file's part comes from when merging: a base slot or a part in hand (null: the file is gone). */
export type PartSource = { slot: number } | { part: UsagePart } | null;

export function reportCacheFiles(rt: Runtime): { index: string; base: string; overlay: string; keys: string } {
  const dir = path.dirname(rt.paths.transcriptCacheDir);
  return {
    index: path.join(dir, 'report-index.json'), base: path.join(dir, 'report-usage.bin'), overlay: path.join(dir, 'report-overlay.json'),
    keys: path.join(dir, 'report-keys.bin'),
  };
}

/** The identity of `file` now, or null when it does not exist (or cannot be stat'ed). */
export function identOf(file: string): Ident {
  try {
    const st = statSync(file);
    return [st.ino, st.size, st.mtimeMs];
  } catch {
    return null;
  }
}

export function sameIdent(a: Ident, b: Ident): boolean {
  return a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

export function identOfIndexed(f: IndexedFile): Ident {
  return f[1] === null ? null : [f[1], f[2]!, f[3]!];
}

/** The index as last written, or null (none, damaged, another version). */
export function readReportIndex(rt: Runtime): ReportIndex | null {
  const text = readText(reportCacheFiles(rt).index);
  const v = text === null ? null : unsum(text);
  if (!isObj(v) || v.version !== REPORT_INDEX_VERSION || typeof v.gen !== 'string' || typeof v.baseGen !== 'string' || !Array.isArray(v.roots)
    || !Array.isArray(v.files) || !isObj(v.report) || !Array.isArray(v.tail)) return null;
  return v as unknown as ReportIndex;
}

/** The base the index refers to, or null. */
export function readBase(rt: Runtime, baseGen: string): Base | null {
  let buf: Buffer;
  try {
    buf = readFileSync(reportCacheFiles(rt).base);
  } catch {
    return null;
  }
  try {
    const b = decodeBase(buf);
    return b !== null && b.gen === baseGen ? b : null;
  } catch {
    return null;
  }
}

/** The overlay parts written with index `gen`, by path, or null. */
export function readOverlay(rt: Runtime, gen: string): Map<string, UsagePart> | null {
  const text = readText(reportCacheFiles(rt).overlay);
  const v = text === null ? null : unsum(text);
  if (!isObj(v) || v.version !== REPORT_INDEX_VERSION || v.gen !== gen || !Array.isArray(v.parts)) return null;
  return new Map(v.parts as [string, UsagePart][]);
}

/** A part of the base as tuples (to go on reading its file, or to rewrite the base). */
export function basePart(b: Base, slot: number): UsagePart {
  const [lines, malformed, nk, nl, off, offset, tail, head] = b.slots[slot]!;
  const entries: EntryTuple[] = [];
  const loose: EntryTuple[] = [];
  for (let i = 0; i < nk; i++) entries.push(tupleAt(b, off + i * ENTRY_WIDTH));
  for (let i = 0; i < nl; i++) loose.push(tupleAt(b, off + (nk + i) * ENTRY_WIDTH));
  return [lines, malformed, entries, loose, [offset, tail, head]];
}

export function slotLines(b: Base, slot: number): [number, number] {
  const s = b.slots[slot]!;
  return [s[0], s[1]];
}

/**
 * Writes the cache after a scan. With `base` (an incremental run) only the parts not in that base go to
 * a new overlay, unless it grows too large (`overlayFits`); otherwise (or without a base) every
 * part is written into a new base. The index goes last: it is only ever read with its own base, overlay
 * and keys.
 *
 * @param sources each listed file's part, in list order
 */
export function writeReportCache(rt: Runtime, head: ReportHead, files: string[], idents: Ident[], sources: PartSource[], base: Base | null): void {
  const f = reportCacheFiles(rt);
  let overlaid = 0;
  let total = 0;
  for (const s of sources) {
    if (s === null) continue;
    const n = 'slot' in s ? base!.slots[s.slot]![2] + base!.slots[s.slot]![3] : s.part[2].length + s.part[3].length;
    total += n;
    if (!('slot' in s)) overlaid += n;
  }
  let baseGen: string;
  let slotOf: (i: number) => number;
  const overlay: [string, UsagePart][] = [];
  if (base !== null && overlayFits(overlaid, total)) {
    baseGen = base.gen;
    slotOf = (i) => {
      const s = sources[i];
      if (s === null || s === undefined) return -1;
      if ('slot' in s) return s.slot;
      overlay.push([files[i]!, s.part]);
      return -1;
    };
  } else {
    baseGen = randomBytes(8).toString('hex');
    const parts: (UsagePart | null)[] = sources.map((s) => (s === null ? null : 'slot' in s ? basePart(base!, s.slot) : s.part));
    writeCacheFile(f.base, encodeBase(baseGen, parts));
    slotOf = (i) => (parts[i] === null ? -1 : i);
  }
  const indexed: IndexedFile[] = files.map((p, i) => {
    const id = idents[i] ?? null;
    return [p, id?.[0] ?? null, id?.[1] ?? null, id?.[2] ?? null, slotOf(i)];
  });
  writeTop(f, head, baseGen, indexed, overlay, sortedHashes(keyHashesOf(sources, base)));
}

/**
 * Whether an overlay of `overlaid` entries is still worth keeping beside a base, out of `total`: up to a
 * quarter of them, or 5,000 (a few hundred KB of JSON, read by every incremental report) in a small history.
 */
export function overlayFits(overlaid: number, total: number): boolean {
  return overlaid <= Math.max(total / 4, 5_000);
}

/** What an index holds besides its files and generations. */
export type ReportHead = Pick<ReportIndex, 'roots' | 'report' | 'tail'>;

/**
 * Writes the cache after a report updated in place: the base stays, `overlay` holds the parts of every
 * file not in it, `keys` the hashes of every file's keys (report-keys.ts).
 */
export function writeReportUpdate(rt: Runtime, head: ReportHead, baseGen: string, files: IndexedFile[], overlay: [string, UsagePart][], keys: Float64Array): void {
  writeTop(reportCacheFiles(rt), head, baseGen, files, overlay, keys);
}

function writeTop(f: ReturnType<typeof reportCacheFiles>, head: ReportHead, baseGen: string, files: IndexedFile[], overlay: [string, UsagePart][], keys: Float64Array): void {
  const gen = randomBytes(8).toString('hex');
  writeCacheFile(f.overlay, summed(JSON.stringify({ version: REPORT_INDEX_VERSION, gen, parts: overlay })));
  writeKeys(f.keys, gen, keys);
  writeCacheFile(f.index, summed(JSON.stringify({ version: REPORT_INDEX_VERSION, gen, baseGen, roots: head.roots, files, report: head.report, tail: head.tail } satisfies ReportIndex)));
}

/** The hashes of every keyed entry of every part, one per part holding it (report-keys.ts). */
function keyHashesOf(sources: readonly PartSource[], base: Base | null): number[] {
  const out: number[] = [];
  for (const s of sources) {
    if (s === null) continue;
    if ('slot' in s) {
      const b = base!;
      const [, , nk, , off] = b.slots[s.slot]!;
      for (let i = 0; i < nk; i++) out.push(keyHash(b.strings[b.nums[off + i * ENTRY_WIDTH]!]!));
    } else {
      for (const t of s.part[2]) out.push(keyHash(t[0]!));
    }
  }
  return out;
}

/** The keys file of index generation `gen`, or null. */
export function readReportKeys(rt: Runtime, gen: string): Float64Array | null {
  return readKeys(reportCacheFiles(rt).keys, gen);
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
  const entry = (v: number | EntryTuple) => fromTuple(typeof v === 'number' ? tupleAt(base!, v) : v);
  for (const v of best.values()) out.push(entry(v));
  for (const v of loose) out.push(entry(v));
  return out;
}

function tupleAt(b: Base, k: number): EntryTuple {
  return readEntry(b.strings, b.nums, k);
}

/**
 * The base file: `<sha1 of the rest>\n<header length>\n<header JSON><numbers>`. The header holds the
 * strings (keys, session ids, models) and each slot's counts; the numbers are 8 little-endian doubles per
 * entry (key, session and model as string indexes, -1 for null; time, NaN for null; the four token
 * counts). Binary, because it holds every usage entry of the history: as JSON arrays it cost several
 * times more to write and to read.
 */
function encodeBase(gen: string, parts: (UsagePart | null)[]): Buffer {
  const { strings, id } = stringTable();
  let n = 0;
  for (const p of parts) if (p !== null) n += p[2].length + p[3].length;
  const nums = new Float64Array(n * ENTRY_WIDTH);
  let k = 0;
  const put = (t: EntryTuple) => {
    k = writeEntry(nums, k, t, id);
  };
  const slots = parts.map((p) => {
    if (p === null) return [0, 0, 0, 0, k, 0, '', ''];
    const off = k;
    for (const t of p[2]) put(t);
    for (const t of p[3]) put(t);
    return [p[0], p[1], p[2].length, p[3].length, off, ...p[4]];
  });
  const header = Buffer.from(JSON.stringify({ version: REPORT_INDEX_VERSION, gen, strings, slots }));
  const body = Buffer.concat([Buffer.from(`${header.length}\n`), header, Buffer.from(nums.buffer, nums.byteOffset, nums.byteLength)]);
  return Buffer.concat([Buffer.from(`${sha1(body)}\n`), body]);
}

function decodeBase(buf: Buffer): Base | null {
  if (buf.length < 41 || buf[40] !== 0x0a) return null;
  const body = buf.subarray(41);
  if (sha1(body) !== buf.toString('latin1', 0, 40)) return null;
  const nl = body.indexOf(0x0a);
  const headerLen = Number(body.toString('latin1', 0, nl));
  const header = JSON.parse(body.toString('utf8', nl + 1, nl + 1 + headerLen)) as { version: unknown; gen: unknown; strings: unknown; slots: unknown };
  if (header.version !== REPORT_INDEX_VERSION || typeof header.gen !== 'string' || !Array.isArray(header.strings) || !Array.isArray(header.slots)) return null;
  const raw = body.subarray(nl + 1 + headerLen);
  if (raw.length % 8 !== 0) return null;
  // Copied into an aligned buffer for the Float64Array view.
  const nums = new Float64Array(raw.length / 8);
  Buffer.from(nums.buffer).set(raw);
  return { gen: header.gen, strings: header.strings as string[], slots: header.slots as Base['slots'], nums };
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function summed(body: string): string {
  return `${sha1(body)}\n${body}`;
}

function unsum(text: string): unknown {
  const nl = text.indexOf('\n');
  if (nl !== 40) return null;
  const body = text.slice(nl + 1);
  if (sha1(body) !== text.slice(0, nl)) return null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

function sha1(b: string | Buffer): string {
  return createHash('sha1').update(b).digest('hex');
}


function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

