import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
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
 * Layout: `<sha1 of line 2>\n<head JSON>\n<parts JSON>`. The head (config dirs, one row per file, the
 * report, the parts' sha1) is all a report reads when nothing changed; the parts (each file's entries)
 * are parsed only when a file changed. Derived data: a missing, damaged (a sum that does not match),
 * mismatched or other-version file reads as none, and the next report scans in full and rewrites it.
 * Written atomically (temp file, rename: cache-write.ts), without a lock (two reports write the same
 * thing) and without fsync (a lost write is a full scan).
 */

// 1: the first layout of this file (issue 19: replaced report-files.json, report-index.json, report-usage.bin, ...).
export const REPORT_CACHE_VERSION = 1;

/** One transcript as the report last read it: its cursor, the usage fields of its digest filled in. */
export type UsageCursor = TranscriptCursor;

/** A row of the head: [path, ino, size, mtime ms, ctime ms, offset, tail, head, print, lines, malformed lines]. */
type Row = [string, number, number, number, number, number, string, string, string, number, number];

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
  /** Each row's cursor, parts and all (parsed on the first call); null when the parts do not match their sum. */
  cursors(): UsageCursor[] | null;
}

/** Where the report cache of `rt`'s config dir lives (beside the transcript cache's folder). */
export function reportCacheFile(rt: Runtime): string {
  return path.join(path.dirname(rt.paths.transcriptCacheDir), 'report-cache.json');
}

/** The files of the report engine this cache replaced (removed when the cache is written). */
const OLD_FILES = ['report-index.json', 'report-files.json', 'report-usage.bin', 'report-keys.bin', 'report-resume.bin', 'report-journal.jsonl', 'report-journal-keys.bin', 'report-overlay.json'];

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
  let buf: Buffer;
  try {
    buf = readFileSync(reportCacheFile(rt));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw e;
  }
  const nl1 = buf.indexOf(0x0a);
  const nl2 = nl1 < 0 ? -1 : buf.indexOf(0x0a, nl1 + 1);
  if (nl1 !== 40 || nl2 < 0) return null;
  const headText = buf.subarray(nl1 + 1, nl2);
  if (sha1(headText) !== buf.toString('latin1', 0, 40)) return null;
  let head: unknown;
  try {
    head = JSON.parse(headText.toString('utf8'));
  } catch {
    return null;
  }
  if (!isHead(head)) return null;
  const partsText = buf.subarray(nl2 + 1);
  let parsed: UsageCursor[] | null | undefined;
  return {
    head,
    cursors() {
      if (parsed === undefined) parsed = cursorsOf(head, partsText);
      return parsed;
    },
  };
}

function cursorsOf(head: ReportCacheHead, partsText: Buffer): UsageCursor[] | null {
  if (sha1(partsText) !== head.partsSum) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(partsText.toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== head.rows.length) return null;
  const out: UsageCursor[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as unknown;
    if (!Array.isArray(p) || p.length !== 2 || !Array.isArray(p[0]) || !Array.isArray(p[1])) return null;
    const [file, ino, size, mtimeMs, ctimeMs, offset, tail, headB64, print, lines, malformedLines] = head.rows[i]!;
    out.push({
      path: file, ino, size, mtimeMs, ctimeMs, offset, tail, head: headB64, print,
      digest: { ...emptyDigest(), entries: p[0] as EntryTuple[], loose: p[1] as EntryTuple[], lines, malformedLines },
    });
  }
  return out;
}

/**
 * Writes the cache: the cursors of the files read (in list order; files gone left out) and their report.
 * Also removes the files of the report engine this cache replaced, should a cache of that build be there.
 *
 * @throws the fs error of the write (ENOSPC, EACCES: the caller says the cache was not saved)
 */
export function writeReportCache(rt: Runtime, roots: readonly string[], cursors: readonly UsageCursor[], report: UsageReport): void {
  const parts = JSON.stringify(cursors.map((c) => [c.digest.entries, c.digest.loose]));
  const rows: Row[] = cursors.map((c) => [c.path, c.ino, c.size, c.mtimeMs, c.ctimeMs, c.offset, c.tail, c.head, c.print, c.digest.lines, c.digest.malformedLines]);
  const head = JSON.stringify({ version: REPORT_CACHE_VERSION, roots: [...roots], rows, report, partsSum: sha1(parts) } satisfies ReportCacheHead);
  const file = reportCacheFile(rt);
  writeCacheFile(file, `${sha1(head)}\n${head}\n${parts}`);
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
  return h.version === REPORT_CACHE_VERSION && Array.isArray(h.roots) && h.roots.every((r) => typeof r === 'string') && typeof h.partsSum === 'string'
    && typeof h.report === 'object' && h.report !== null && Array.isArray(h.rows) && h.rows.every(isRow);
}

function isRow(r: unknown): r is Row {
  if (!Array.isArray(r) || r.length !== 11) return false;
  for (let i = 0; i < 11; i++) {
    const want = i === 0 || (i >= 6 && i <= 8) ? 'string' : 'number';
    if (typeof r[i] !== want) return false;
  }
  return true;
}
