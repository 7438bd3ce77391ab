import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync, unlinkSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { emptyDigest, type EntryTuple } from '../claude/transcript-digest.ts';
import type { TranscriptCursor } from '../claude/transcript-reader.ts';
import type { Runtime } from '../runtime.ts';
import type { UsageReport } from '../usage/report.ts';
import { isObj } from '../util/is-obj.ts';
import { writeCacheFile } from './cache-write.ts';

/**
 * `cco report`'s cache, in `cco/cache/`: what the last report read of each transcript, in the transcript
 * cache's own terms: each file's cursor (identity, where its read stopped and the fingerprint of the
 * bytes read: TranscriptCursor, read and checked by the same `catchUpTranscript` as the hooks' per-file
 * cache) with the usage part of its digest (a `usage` read, see DigestScope: entries, keyless entries,
 * lines, malformed lines), the report they gave, and what lets the next report add to that report
 * without reading every part again (usage/report-patch.ts): the tail (the entries of its last 5-hour
 * block) and the dedupe keys' hashes (usage/key-hashes.ts).
 *
 * Two kinds of file, so that a report which adds to the last one writes what changed, not the history:
 * - `report-cache.json`: `<sha1 of the head> <head bytes>\n<head JSON>\n<side>`, the side being the tail in
 *   JSON, a line end and the key hashes (4 bytes each, little-endian). The head (config
 *   dirs, the parts files in use, one row per transcript with where its part lies, its length and CRC-32,
 *   the report, the side's length and CRC-32) is all a report reads when nothing changed.
 * - `report-parts-<id>.bin`: parts, one JSON line each, never changed once written. A report writes the
 *   parts of the files it read into a new one; the rows of the files that did not change keep pointing
 *   where their parts already are. When more than MAX_PART_FILES are in use, or they hold more bytes no
 *   row points to than bytes one does, every live part is written into one new file (compaction). A
 *   parts file no head points to is removed by the next write (at once when the head it replaces named
 *   it; else once it is a minute old, so as not to take one a report is writing at the same time).
 * Derived data: a missing, damaged (a sum that does not match), mismatched or other-version head reads as
 * none, a part or side that does not match its sum is not used, and the next report scans what it must
 * and writes the cache again. Written atomically (temp file, rename: cache-write.ts), without a lock (two
 * reports write the same thing; a parts file one of them removed under the other's head is a damaged
 * part: a full scan) and without fsync (a lost write is a full scan).
 */

// 1: the first layout of this file (issue 19: replaced report-files.json, report-index.json, report-usage.bin, ...).
// 2: parts without the cursor's head and tail bytes (its fingerprint covers them), in parts files; per-part
//    place, length and CRC-32 in the rows; the side (key hashes, tail) for reports that add to the last one.
export const REPORT_CACHE_VERSION = 2;

/** Parts files in use before a write puts every live part into one (each report that adds one file). */
export const MAX_PART_FILES = 8;

/** One transcript as the report last read it: its cursor, the usage fields of its digest filled in. */
export type UsageCursor = TranscriptCursor;

/** A file's path and identity when read ([path, ino, size, mtime ms, ctime ms]): all a warm report compares. */
export type Row = [string, number, number, number, number];

/**
 * A row of the head: the file's Row, then where its part lies: the index of its parts file in the head's
 * `partFiles`, its byte offset there, its length in bytes and CRC-32.
 */
export type HeadRow = [string, number, number, number, number, number, number, number, number];

/** A head row's Row (the file's path and identity, without where its part lies). Pure. */
export function identityOf(r: HeadRow): Row {
  return [r[0], r[1], r[2], r[3], r[4]];
}

/** A file's part: where its read stopped ([offset, print]), its line counts, keyed and keyless entries. */
export type Part = [number, string, number, number, EntryTuple[], EntryTuple[]];

/** What the cache keeps beside the parts for a report that adds to the last one (see usage/report-patch.ts). */
export interface ReportSide {
  /** The dedupe keys of every part, a hash per (file, key): usage/key-hashes.ts. */
  keys: Uint32Array;
  /** The entries of the report's last 5-hour block (buildReportWithTail). */
  tail: EntryTuple[];
}

/** Where a part lies: its parts file (a name in the cache folder), byte offset, length and CRC-32. */
export interface StoredPart {
  file: string;
  at: number;
  len: number;
  crc: number;
}

/** A cursor's row and part (what the cache keeps of it). Pure. */
export function rowAndPart(c: UsageCursor): { row: Row; part: Part } {
  return {
    row: [c.path, c.ino, c.size, c.mtimeMs, c.ctimeMs],
    part: [c.offset, c.print, c.digest.lines, c.digest.malformedLines, c.digest.entries, c.digest.loose],
  };
}

/** The cursor of a row and its part (the digest's other fields empty: a `usage` read keeps none). Pure. */
export function cursorOf(row: Row, p: Part): UsageCursor {
  const [file, ino, size, mtimeMs, ctimeMs] = row;
  const [offset, print, lines, malformedLines, entries, loose] = p;
  return { path: file, ino, size, mtimeMs, ctimeMs, offset, print, digest: { ...emptyDigest(), entries, loose, lines, malformedLines } };
}

/** The head of `report-cache.json`. */
export interface ReportCacheHead {
  version: number;
  roots: string[];
  /** The parts files the rows point into (names in the cache folder). */
  partFiles: string[];
  rows: HeadRow[];
  report: UsageReport;
  /** The side's length in bytes and CRC-32. */
  side: [number, number];
}

/** The cache as read: its head, and the rest read on demand. */
export interface ReportCache {
  head: ReportCacheHead;
  /** The side, or null when its bytes do not match their sum (or the file changed since its head was read). */
  side(): ReportSide | null;
  /** Where row `i`'s part lies (for a row written again as it is, its part not read). */
  stored(i: number): StoredPart;
  /** Row `i`'s part (its bytes, without the line end), or null when they cannot be read or do not match their sum. */
  partBytes(i: number): Buffer | null;
  /** Row `i`'s cursor, or null when its part is not usable (as `partBytes`) or not of this shape. */
  cursor(i: number): UsageCursor | null;
}

/** Where the report cache of `rt`'s config dir lives (beside the transcript cache's folder). */
export function reportCacheFile(rt: Runtime): string {
  return path.join(path.dirname(rt.paths.transcriptCacheDir), 'report-cache.json');
}

/** The files of the report engine this cache replaced (removed when the cache is written). */
const OLD_FILES = [
  'report-index.json',
  'report-files.json',
  'report-usage.bin',
  'report-keys.bin',
  'report-resume.bin',
  'report-journal.jsonl',
  'report-journal-keys.bin',
  'report-overlay.json',
];

const PARTS_FILE = /^report-parts-[0-9a-z]+-[0-9a-z]+\.bin$/;

/** Whether `st` (a stat now) is the state `row` was read at: same inode, size, mtime and ctime (sameState). */
export function rowUnchanged(row: Row | HeadRow, st: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): boolean {
  return row[1] === st.ino && row[2] === st.size && row[3] === st.mtimeMs && row[4] === st.ctimeMs;
}

/**
 * The report cache, or null when there is none or its head is damaged, of another version, or not of
 * this shape. Reads and parses only the head; the side and parts are read when asked for.
 *
 * @throws fs errors other than ENOENT (EACCES: the caller reports without the cache)
 */
export function readReportCache(rt: Runtime): ReportCache | null {
  const file = reportCacheFile(rt);
  const dir = path.dirname(file);
  let fd: number | null;
  try {
    fd = openRegular(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (fd === null) return null;
  let head: ReportCacheHead | null;
  let sideAt: number;
  let size: number;
  try {
    size = fstatSync(fd).size;
    const first = readAt(fd, 0, Math.min(size, 1 << 16));
    const nl = first.indexOf(0x0a);
    const m = nl < 0 ? null : /^([0-9a-f]{40}) (\d+)$/.exec(first.toString('latin1', 0, nl));
    if (m === null || nl + 1 + Number(m[2]) + 1 > size) return null;
    const len = Number(m[2]);
    const headBytes = nl + 1 + len <= first.length ? first.subarray(nl + 1, nl + 1 + len) : readAt(fd, nl + 1, len);
    head = sha1(headBytes) === m[1] ? parseHead(headBytes) : null;
    sideAt = nl + 1 + len + 1;
  } finally {
    closeSync(fd);
  }
  if (head === null || sideAt + head.side[0] !== size) return null;
  const h = head;
  const stored = (i: number): StoredPart => {
    const r = h.rows[i]!;
    return { file: h.partFiles[r[5]]!, at: r[6], len: r[7], crc: r[8] };
  };
  const partBytes = (i: number) => {
    const p = stored(i);
    const bytes = readRange(path.join(dir, p.file), p.at, p.len);
    return bytes !== null && crc32(bytes) === p.crc ? bytes : null;
  };
  return {
    head: h,
    side() {
      const bytes = readRange(file, sideAt, h.side[0], size);
      return bytes !== null && crc32(bytes) === h.side[1] ? parseSide(bytes) : null;
    },
    stored,
    partBytes,
    cursor(i) {
      const bytes = partBytes(i);
      if (bytes === null) return null;
      let v: unknown;
      try {
        v = JSON.parse(bytes.toString('utf8'));
      } catch {
        return null;
      }
      const row = h.rows[i]!;
      return isPart(v) ? cursorOf(identityOf(row), v) : null;
    },
  };
}

/**
 * `file` opened for reading, or null when it is no regular file (a directory, or a FIFO, which would
 * block open() and read() forever: opened without blocking, then checked on its descriptor).
 *
 * @throws the open's fs error (ENOENT, EACCES)
 */
function openRegular(file: string): number | null {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  if (fstatSync(fd).isFile()) return fd;
  closeSync(fd);
  return null;
}

function readAt(fd: number, at: number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let got = 0;
  while (got < n) {
    const r = readSync(fd, b, got, n - got, at + got);
    if (r <= 0) break;
    got += r;
  }
  return b.subarray(0, got);
}

/** `n` bytes of `file` from `at`, or null when it cannot be read, is shorter, or (given `size`) has another size now. */
function readRange(file: string, at: number, n: number, size?: number): Buffer | null {
  try {
    const fd = openRegular(file);
    if (fd === null) return null;
    try {
      if (size !== undefined && fstatSync(fd).size !== size) return null;
      const b = readAt(fd, at, n);
      return b.length === n ? b : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

function parseHead(b: Buffer): ReportCacheHead | null {
  try {
    const v: unknown = JSON.parse(b.toString('utf8'));
    return isHead(v) ? v : null;
  } catch {
    return null;
  }
}

/** The side's bytes: the tail in JSON, a line end, then the key hashes, 4 bytes each, little-endian. */
function parseSide(b: Buffer): ReportSide | null {
  const nl = b.indexOf(0x0a);
  if (nl < 0 || (b.length - nl - 1) % 4 !== 0) return null;
  let tail: unknown;
  try {
    tail = JSON.parse(b.toString('utf8', 0, nl));
  } catch {
    return null;
  }
  if (!Array.isArray(tail) || !tail.every((t) => Array.isArray(t) && t.length === 8)) return null;
  // One copy into the array's own memory (aligned), in this machine's byte order.
  const keys = new Uint32Array((b.length - nl - 1) / 4);
  const view = Buffer.from(keys.buffer);
  b.copy(view, 0, nl + 1);
  if (BIG_ENDIAN) view.swap32();
  return { keys, tail: tail as EntryTuple[] };
}

const BIG_ENDIAN = endianness() === 'BE';

/** A file's part for the cache: new bytes (its part in JSON), or where the part already lies. */
export type CachedPart = { row: Row; part: string } | { row: Row; stored: StoredPart };

/**
 * Writes the cache: the parts of the files read (in list order; files gone left out), their report and
 * its side. New parts go into a new parts file; stored ones stay where they are, unless the parts files
 * would then be more than MAX_PART_FILES or hold more dead bytes than live ones: then every part is
 * written into one new file. Then the head is put in place, and the parts files no longer pointed to
 * are removed (see the layout above), as are the files of the report engine this cache replaced.
 *
 * @param previous the parts files of the head this write replaces (removed at once when unused)
 * @throws the fs error of a write (ENOSPC, EACCES: the caller says the cache was not saved); a stored
 *   part that cannot be read back for a compaction throws too (the caller scans in full next time)
 */
export function writeReportCache(
  rt: Runtime,
  roots: readonly string[],
  parts: readonly CachedPart[],
  report: UsageReport,
  side: ReportSide,
  previous: readonly string[] = [],
): void {
  const file = reportCacheFile(rt);
  const dir = path.dirname(file);
  const inUse = new Set(parts.flatMap((p) => ('stored' in p ? [p.stored.file] : [])));
  const fresh = parts.some((p) => 'part' in p);
  const compact = inUse.size + (fresh ? 1 : 0) > MAX_PART_FILES || deadBytesAbound(dir, inUse, parts);
  const newFile = `report-parts-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}.bin`;
  const partFiles: string[] = [];
  const index = (name: string) => {
    let i = partFiles.indexOf(name);
    if (i < 0) i = partFiles.push(name) - 1;
    return i;
  };
  const rows: HeadRow[] = [];
  const pieces: Buffer[] = [];
  let at = 0;
  const whole = new Map<string, Buffer>();
  for (const p of parts) {
    if ('stored' in p && !compact) {
      const s = p.stored;
      rows.push([...p.row, index(s.file), s.at, s.len, s.crc]);
      continue;
    }
    const bytes = 'stored' in p ? storedBytes(dir, p.stored, whole) : Buffer.from(p.part);
    const crc = 'stored' in p ? p.stored.crc : crc32(bytes);
    rows.push([...p.row, index(newFile), at, bytes.length, crc]);
    pieces.push(bytes, NL);
    at += bytes.length + 1;
  }
  whole.clear();
  if (pieces.length > 0) writeCacheFile(path.join(dir, newFile), pieces);
  const keys = Buffer.from(side.keys.buffer, side.keys.byteOffset, side.keys.byteLength);
  const sideBytes = Buffer.concat([Buffer.from(JSON.stringify(side.tail)), NL, BIG_ENDIAN ? Buffer.from(keys).swap32() : keys]);
  const head = Buffer.from(
    JSON.stringify({
      version: REPORT_CACHE_VERSION,
      roots: [...roots],
      partFiles,
      rows,
      report,
      side: [sideBytes.length, crc32(sideBytes)],
    } satisfies ReportCacheHead),
  );
  writeCacheFile(file, [`${sha1(head)} ${head.length}\n`, head, NL, sideBytes]);
  removeUnused(dir, new Set(partFiles), new Set(previous));
}

/** Whether the parts files in use hold more bytes no part points to than bytes one does. */
function deadBytesAbound(dir: string, inUse: ReadonlySet<string>, parts: readonly CachedPart[]): boolean {
  let live = 0;
  for (const p of parts) if ('stored' in p) live += p.stored.len + 1;
  let total = 0;
  for (const name of inUse) {
    try {
      total += statSync(path.join(dir, name)).size;
    } catch {
      return true;
    }
  }
  return total - live > live;
}

/** A stored part's bytes, from its parts file read whole once (`whole`), checked against its sum. */
function storedBytes(dir: string, s: StoredPart, whole: Map<string, Buffer>): Buffer {
  let b = whole.get(s.file);
  if (b === undefined) {
    const fd = openRegular(path.join(dir, s.file));
    if (fd === null) throw new Error(`report cache: ${s.file} is not a regular file`);
    try {
      b = readAt(fd, 0, fstatSync(fd).size);
    } finally {
      closeSync(fd);
    }
    whole.set(s.file, b);
  }
  const bytes = b.subarray(s.at, s.at + s.len);
  if (bytes.length !== s.len || crc32(bytes) !== s.crc) throw new Error(`report cache: a stored part in ${s.file} does not match its sum`);
  return bytes;
}

/** Removes parts files not in `keep`: at once those `retired` names, others once a minute old; and the old engine's files. */
function removeUnused(dir: string, keep: ReadonlySet<string>, retired: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!(PARTS_FILE.test(name) && !keep.has(name)) && !OLD_FILES.includes(name)) continue;
    const f = path.join(dir, name);
    try {
      if (PARTS_FILE.test(name) && !retired.has(name) && now - statSync(f).mtimeMs < 60_000) continue;
      unlinkSync(f);
    } catch {
      // gone already, or not ours to remove: the next write tries again
    }
  }
}

const NL = Buffer.from('\n');

function sha1(b: string | Buffer): string {
  return createHash('sha1').update(b).digest('hex');
}

/** The head's shape (its sum matched: this guards against another build's layout, not against damage). */
function isHead(v: unknown): v is ReportCacheHead {
  if (!isObj(v)) return false;
  return (
    v.version === REPORT_CACHE_VERSION &&
    Array.isArray(v.roots) &&
    v.roots.every((r) => typeof r === 'string') &&
    Array.isArray(v.partFiles) &&
    v.partFiles.every((f) => typeof f === 'string' && PARTS_FILE.test(f)) &&
    Array.isArray(v.side) &&
    v.side.length === 2 &&
    v.side.every(isCount) &&
    isObj(v.report) &&
    Array.isArray(v.rows) &&
    v.rows.every((r) => isHeadRow(r, (v.partFiles as unknown[]).length))
  );
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function isHeadRow(r: unknown, files: number): r is HeadRow {
  return (
    Array.isArray(r) &&
    r.length === 9 &&
    typeof r[0] === 'string' &&
    r.slice(1).every((n) => typeof n === 'number') &&
    r.slice(5).every(isCount) &&
    (r[5] as number) < files
  );
}

/** A part's shape (its sum matched; the entries' tuples are taken as the writer wrote them). */
function isPart(p: unknown): p is Part {
  return (
    Array.isArray(p) &&
    p.length === 6 &&
    typeof p[0] === 'number' &&
    typeof p[1] === 'string' &&
    typeof p[2] === 'number' &&
    typeof p[3] === 'number' &&
    Array.isArray(p[4]) &&
    Array.isArray(p[5])
  );
}
