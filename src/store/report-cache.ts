import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { closeSync, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { emptyDigest, type EntryTuple } from '../claude/transcript-digest.ts';
import type { TranscriptCursor } from '../claude/transcript-reader.ts';
import type { Runtime } from '../runtime.ts';
import type { UsageReport } from '../usage/report.ts';
import { isObj } from '../util/is-obj.ts';
import { writeCacheFile } from './cache-write.ts';

/**
 * `cco report`'s cache: one file per config dir list, `cco/cache/report-cache.json`, holding what the last
 * report read of each transcript, in the transcript cache's own terms: each file's cursor (identity,
 * where its read stopped and the fingerprint of the bytes read: TranscriptCursor, read and checked by the same
 * `catchUpTranscript` as the hooks' per-file cache) with the usage part of its digest (a `usage` read, see
 * DigestScope: entries, keyless entries, lines, malformed lines), the report they gave, and what lets the
 * next report add to that report without reading every part again (usage/report-patch.ts): the tail (the
 * entries of its last 5-hour block) and the dedupe keys' hashes (usage/key-hashes.ts).
 *
 * Layout: `<sha1 of the head> <head bytes>\n<head JSON>\n<side JSON>\n<part>\n<part>\n...`, one part per
 * row. The head (config dirs, one row per file with its part's length and CRC-32, the report, the side's
 * length and CRC-32) is all a report reads when nothing changed; the side and a file's part are read when
 * files changed, each checked against its own sum, and the parts of the files that did not change are
 * written back as the bytes they were. Derived data: a missing, damaged (a sum that does not match),
 * mismatched or other-version file reads as none, and the next report scans in full and rewrites it.
 * Written atomically (temp file, rename: cache-write.ts), without a lock (two reports write the same
 * thing) and without fsync (a lost write is a full scan).
 */

// 1: the first layout of this file (issue 19: replaced report-files.json, report-index.json, report-usage.bin, ...).
// 2: parts without the cursor's head and tail bytes (its fingerprint covers them); per-part length and
//    CRC-32 in the rows; the side (key hashes, tail) for reports that add to the last one.
export const REPORT_CACHE_VERSION = 2;

/** One transcript as the report last read it: its cursor, the usage fields of its digest filled in. */
export type UsageCursor = TranscriptCursor;

/** A file's path and identity when read ([path, ino, size, mtime ms, ctime ms]): all a warm report compares. */
export type Row = [string, number, number, number, number];

/** A row of the head: the file's Row, then its part's length in bytes and CRC-32. */
export type HeadRow = [string, number, number, number, number, number, number];

/** A file's part: where its read stopped ([offset, print]), its line counts, keyed and keyless entries. */
export type Part = [number, string, number, number, EntryTuple[], EntryTuple[]];

/** What the cache keeps beside the parts for a report that adds to the last one (see usage/report-patch.ts). */
export interface ReportSide {
  /** The dedupe keys of every part, a hash per (file, key): usage/key-hashes.ts. */
  keys: Uint32Array;
  /** The entries of the report's last 5-hour block (buildReportWithTail). */
  tail: EntryTuple[];
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

/** The head of the cache file. */
export interface ReportCacheHead {
  version: number;
  roots: string[];
  rows: HeadRow[];
  report: UsageReport;
  /** The side's length in bytes and CRC-32. */
  side: [number, number];
}

/** The cache as read: its head, and the rest read on demand (the first call reads the whole file's rest). */
export interface ReportCache {
  head: ReportCacheHead;
  /** The side, or null when its bytes do not match their sum (or the file changed since its head was read). */
  side(): ReportSide | null;
  /**
   * Row `i`'s part as stored (its bytes, without the line end) and its CRC-32, or null as for `side`.
   * `copy`: the bytes are only to be written back as they are, not read: their sum is not checked (a
   * damaged part stays damaged under its old sum, and the first report that reads it scans in full).
   */
  partBytes(i: number, copy?: boolean): { bytes: Buffer; crc: number } | null;
  /** Row `i`'s cursor, or null when its part does not match its sum or is not of this shape. */
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

/** Whether `st` (a stat now) is the state `row` was read at: same inode, size, mtime and ctime (sameState). */
export function rowUnchanged(row: Row | HeadRow, st: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): boolean {
  return row[1] === st.ino && row[2] === st.size && row[3] === st.mtimeMs && row[4] === st.ctimeMs;
}

/**
 * The report cache, or null when there is none or its head is damaged, of another version, or not of
 * this shape. Reads and parses only the head; the rest is read on the first call that needs it.
 *
 * @throws fs errors other than ENOENT (EACCES: the caller reports without the cache)
 */
export function readReportCache(rt: Runtime): ReportCache | null {
  const file = reportCacheFile(rt);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
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
  } catch (e) {
    // A directory in the file's place (EISDIR) reads as no cache; EACCES is the caller's.
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw e;
  } finally {
    closeSync(fd);
  }
  if (head === null) return null;
  const h = head;
  // Where each part starts in the rest (the side first); the rest must end where the last part does.
  const starts: number[] = [];
  let at = h.side[0] + 1;
  for (const row of h.rows) {
    starts.push(at);
    at += row[5] + 1;
  }
  if (sideAt + at !== size) return null;
  let rest: Buffer | null | undefined;
  const restOf = () => (rest === undefined ? (rest = readRest(file, sideAt, size)) : rest);
  const partBytes = (i: number, copy = false) => {
    const r = restOf();
    const row = h.rows[i];
    if (r === null || row === undefined) return null;
    const bytes = r.subarray(starts[i], starts[i]! + row[5]);
    return copy || crc32(bytes) === row[6] ? { bytes, crc: row[6] } : null;
  };
  return {
    head: h,
    side() {
      const r = restOf();
      if (r === null) return null;
      const bytes = r.subarray(0, h.side[0]);
      return crc32(bytes) === h.side[1] ? parseSide(bytes) : null;
    },
    partBytes,
    cursor(i) {
      const p = partBytes(i);
      if (p === null) return null;
      let v: unknown;
      try {
        v = JSON.parse(p.bytes.toString('utf8'));
      } catch {
        return null;
      }
      const row = h.rows[i]!;
      return isPart(v) ? cursorOf([row[0], row[1], row[2], row[3], row[4]], v) : null;
    },
  };
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

/** The file's bytes from `at` to the end it had when its head was read, or null when it changed since. */
function readRest(file: string, at: number, size: number): Buffer | null {
  try {
    const fd = openSync(file, 'r');
    try {
      return fstatSync(fd).size === size ? readAt(fd, at, size - at) : null;
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

function parseSide(b: Buffer): ReportSide | null {
  try {
    const v: unknown = JSON.parse(b.toString('utf8'));
    if (!isObj(v) || typeof v.keys !== 'string' || !Array.isArray(v.tail)) return null;
    const raw = Buffer.from(v.keys, 'base64');
    if (raw.length % 4 !== 0) return null;
    const keys = new Uint32Array(raw.length / 4);
    for (let i = 0; i < keys.length; i++) keys[i] = raw.readUInt32LE(i * 4);
    return v.tail.every((t) => Array.isArray(t) && t.length === 8) ? { keys, tail: v.tail as EntryTuple[] } : null;
  } catch {
    return null;
  }
}

/** A file's part for the cache: the bytes of its part (as stored, or new JSON) and their CRC-32 when known. */
export interface CachedPart {
  row: Row;
  part: Buffer | string;
  crc?: number;
}

/**
 * Writes the cache: the parts of the files read (in list order; files gone left out), their report and
 * its side. Also removes the files of the report engine this cache replaced, should a cache of that
 * build be there.
 *
 * @throws the fs error of the write (ENOSPC, EACCES: the caller says the cache was not saved)
 */
export function writeReportCache(rt: Runtime, roots: readonly string[], parts: readonly CachedPart[], report: UsageReport, side: ReportSide): void {
  const rows: HeadRow[] = [];
  // The parts line by line, never joined: at 1 GB of history they are some 20 MB.
  const pieces: Buffer[] = [];
  for (const p of parts) {
    const bytes = typeof p.part === 'string' ? Buffer.from(p.part) : p.part;
    rows.push([...p.row, bytes.length, p.crc ?? crc32(bytes)]);
    pieces.push(bytes, NL);
  }
  const keys = Buffer.allocUnsafe(side.keys.length * 4);
  for (let i = 0; i < side.keys.length; i++) keys.writeUInt32LE(side.keys[i]!, i * 4);
  const sideBytes = Buffer.from(JSON.stringify({ keys: keys.toString('base64'), tail: side.tail }));
  const head = Buffer.from(
    JSON.stringify({
      version: REPORT_CACHE_VERSION,
      roots: [...roots],
      rows,
      report,
      side: [sideBytes.length, crc32(sideBytes)],
    } satisfies ReportCacheHead),
  );
  const file = reportCacheFile(rt);
  writeCacheFile(file, [`${sha1(head)} ${head.length}\n`, head, NL, sideBytes, NL, ...pieces]);
  for (const old of OLD_FILES) {
    try {
      unlinkSync(path.join(path.dirname(file), old));
    } catch {
      // not there (the usual case)
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
    Array.isArray(v.side) &&
    v.side.length === 2 &&
    v.side.every(isCount) &&
    isObj(v.report) &&
    Array.isArray(v.rows) &&
    v.rows.every(isHeadRow)
  );
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function isHeadRow(r: unknown): r is HeadRow {
  return Array.isArray(r) && r.length === 7 && typeof r[0] === 'string' && r.slice(1).every((n) => typeof n === 'number') && isCount(r[5]) && isCount(r[6]);
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
