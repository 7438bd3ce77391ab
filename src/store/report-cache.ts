import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { emptyDigest, type EntryTuple } from '../claude/transcript-digest.ts';
import type { TranscriptCursor } from '../claude/transcript-reader.ts';
import type { Runtime } from '../runtime.ts';
import type { UsageReport } from '../usage/report.ts';
import { writeCacheFile } from './cache-write.ts';

/**
 * `cco report`'s cache: one file per config dir list, `cco/cache/report-cache.json`, holding what the last
 * report read of each transcript, in the transcript cache's own terms: each file's cursor (identity,
 * where its read stopped, head, tail and fingerprint: TranscriptCursor, read and checked by the same
 * `catchUpTranscript` as the hooks' per-file cache) with the usage part of its digest (a `usage` read, see
 * DigestScope: entries, keyless entries, lines, malformed lines), and the report they gave.
 *
 * Layout: `<sha1 of the head> <head bytes>\n<head JSON>\n<parts>`, the parts one JSON line per row. The
 * head (config dirs, one row per file, the report, the parts' sha1) is all a report reads when nothing
 * changed; the parts (where each file's read stopped, its entries) are read only when a file changed,
 * and the lines of the files that did not change are written back as they were. Derived data: a missing, damaged (a sum that does not match),
 * mismatched or other-version file reads as none, and the next report scans in full and rewrites it.
 * Written atomically (temp file, rename: cache-write.ts), without a lock (two reports write the same
 * thing) and without fsync (a lost write is a full scan).
 */

// 1: the first layout of this file (issue 19: replaced report-files.json, report-index.json, report-usage.bin, ...).
// 2: parts without the cursor's head and tail bytes (its fingerprint covers them).
export const REPORT_CACHE_VERSION = 2;

/** One transcript as the report last read it: its cursor, the usage fields of its digest filled in. */
export type UsageCursor = TranscriptCursor;

/** A row of the head: the file's path and identity when read ([path, ino, size, mtime ms, ctime ms]): all a warm report compares. */
export type Row = [string, number, number, number, number];

/** A file's part: where its read stopped ([offset, print]), its line counts, keyed and keyless entries. */
export type Part = [number, string, number, number, EntryTuple[], EntryTuple[]];

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
  rows: Row[];
  report: UsageReport;
  /** The sha1 (hex) of the parts line. */
  partsSum: string;
}

/** The cache as read: its head, and a way to the cursors (null when the parts are damaged). */
export interface ReportCache {
  head: ReportCacheHead;
  /**
   * Each row's cursor, parts and all (read on the first call), and each cursor's part as its JSON line
   * (for `writeReportCache`); null when the parts do not match their sum.
   */
  cursors(): { cursors: UsageCursor[]; texts: Map<UsageCursor, string> } | null;
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
export function rowUnchanged(row: Row, st: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): boolean {
  return row[1] === st.ino && row[2] === st.size && row[3] === st.mtimeMs && row[4] === st.ctimeMs;
}

/**
 * The report cache, or null when there is none or it is damaged, of another version, or not of this shape.
 * Reads the whole file but parses only the head.
 *
 * @throws fs errors other than ENOENT (EACCES: the caller reports without the cache)
 */
export function readReportCache(rt: Runtime): ReportCache | null {
  let fd: number;
  try {
    fd = openSync(reportCacheFile(rt), 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let head: ReportCacheHead | null;
  let partsAt: number;
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
    partsAt = nl + 1 + len + 1;
  } catch (e) {
    // A directory in the file's place (EISDIR) reads as no cache; EACCES is the caller's.
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw e;
  } finally {
    closeSync(fd);
  }
  if (head === null) return null;
  const file = reportCacheFile(rt);
  const h = head;
  let parsed: ReturnType<ReportCache['cursors']> | undefined;
  return {
    head: h,
    cursors() {
      if (parsed === undefined) parsed = cursorsOf(h, readParts(file, partsAt, size));
      return parsed;
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

/** The parts' bytes (from `at` to the end the file had when its head was read), or null when the file changed since. */
function readParts(file: string, at: number, size: number): Buffer | null {
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

function cursorsOf(head: ReportCacheHead, partsText: Buffer | null): ReturnType<ReportCache['cursors']> {
  if (partsText === null || sha1(partsText) !== head.partsSum) return null;
  const cursors: UsageCursor[] = [];
  const texts = new Map<UsageCursor, string>();
  let at = 0;
  for (const row of head.rows) {
    let nl = partsText.indexOf(0x0a, at);
    if (nl < 0) nl = partsText.length;
    const text = partsText.toString('utf8', at, nl);
    at = nl + 1;
    let p: unknown;
    try {
      p = JSON.parse(text);
    } catch {
      return null;
    }
    if (!isPart(p)) return null;
    const c = cursorOf(row, p);
    cursors.push(c);
    texts.set(c, text);
  }
  return at >= partsText.length ? { cursors, texts } : null;
}

/**
 * Writes the cache: the cursors of the files read (in list order; files gone left out) and their report.
 * Also removes the files of the report engine this cache replaced, should a cache of that build be there.
 *
 * @param partTexts parts already in JSON (as read from the cache, or a scan worker's: scan-pool.ts), by cursor: not serialized again
 * @throws the fs error of the write (ENOSPC, EACCES: the caller says the cache was not saved)
 */
export function writeReportCache(
  rt: Runtime,
  roots: readonly string[],
  cursors: readonly UsageCursor[],
  report: UsageReport,
  partTexts?: ReadonlyMap<UsageCursor, string>,
): void {
  const rows: Row[] = [];
  // The parts line by line, never joined: at 1 GB of history they are some 20 MB.
  const pieces: (string | Buffer)[] = [];
  const partsSum = createHash('sha1');
  for (const c of cursors) {
    const { row, part } = rowAndPart(c);
    rows.push(row);
    const text = Buffer.from(`${pieces.length === 0 ? '' : '\n'}${partTexts?.get(c) ?? JSON.stringify(part)}`);
    partsSum.update(text);
    pieces.push(text);
  }
  const head = Buffer.from(
    JSON.stringify({ version: REPORT_CACHE_VERSION, roots: [...roots], rows, report, partsSum: partsSum.digest('hex') } satisfies ReportCacheHead),
  );
  const file = reportCacheFile(rt);
  writeCacheFile(file, [`${sha1(head)} ${head.length}\n`, head, '\n', ...pieces]);
  for (const old of OLD_FILES) {
    try {
      unlinkSync(path.join(path.dirname(file), old));
    } catch {
      // not there (the usual case)
    }
  }
}

function sha1(b: string | Buffer): string {
  return createHash('sha1').update(b).digest('hex');
}

/** The head's shape (its sum matched: this guards against another build's layout, not against damage). */
function isHead(v: unknown): v is ReportCacheHead {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as Record<string, unknown>;
  return (
    h.version === REPORT_CACHE_VERSION &&
    Array.isArray(h.roots) &&
    h.roots.every((r) => typeof r === 'string') &&
    typeof h.partsSum === 'string' &&
    typeof h.report === 'object' &&
    h.report !== null &&
    Array.isArray(h.rows) &&
    h.rows.every(isRow)
  );
}

function isRow(r: unknown): r is Row {
  return Array.isArray(r) && r.length === 5 && typeof r[0] === 'string' && r.slice(1).every((n) => typeof n === 'number');
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
