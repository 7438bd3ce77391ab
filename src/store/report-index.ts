import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Runtime } from '../runtime.ts';
import { mergePatches, patchReport, type ReportPatch } from '../usage/report-patch.ts';
import type { UsageReport } from '../usage/report.ts';
import { summedText, unsummedJson } from './cache-sum.ts';
import { writeCacheFile } from './cache-write.ts';
import { encodeBase, readBase, type Base, type BuiltBase, type Resume } from './report-base.ts';
import { appendJournal, journalEnd, readJournal, type JournalRecord, type JournalRef } from './report-journal.ts';
import { mergeSorted, openKeys, readJournalKeys, sortedHashes, writeJournalKeys, writeKeys, type KeyLookup } from './report-keys.ts';
import { readResume, writeResumes } from './report-resume.ts';

/**
 * The report's own cache under `cco/cache/`: what the last `cco report` read and found, so that the next
 * one reads only what changed. Two kinds of files:
 *
 * Written by a full scan or a rebuild (one generation, `baseGen`, in each):
 * - `report-files.json`: the config dirs and the transcript list, each file's identity (inode, size,
 *   mtime, ctime) as read and its slot in the base, and the report as the base gives it;
 * - `report-usage.bin` (the base, report-base.ts): every file's usage part;
 * - `report-keys.bin`: the hashes of the usage keys each file holds (report-keys.ts);
 * - `report-resume.bin`: where each file's read stopped, one fixed-width record each (report-resume.ts).
 *
 * Written by every report that read something:
 * - `report-journal.jsonl`: what incremental reports read since (report-journal.ts), appended to;
 * - `report-journal-keys.bin`: the hashes of the keys journaled since (report-keys.ts), of the index's `gen`;
 * - `report-index.json`: what changed in the report since the base (a patch: the rows updated, see
 *   report-patch.ts), its last block's times, the identity and resume of each file read since the base,
 *   and the journal's lines. Written last: it is only ever read with the files of its `baseGen`, its
 *   journal lines and its journal keys.
 *
 * An incremental report thus writes what it read plus the rows of the report it changed, never the
 * file list, the base or the whole report: what it writes does not grow with the history. All
 * are derived data: a missing, damaged (checksum), mismatched or other-version file reads as none, and
 * the next scan rewrites it. Each is written atomically (temp file, rename; the journal by an append
 * its index lists), with a checksum first.
 */
// 5: identities with the ctime (a same-size rewrite is read again), and a report built only from what
// usage-record.ts readUsageRecord accepts (token counts, 2000-2200 times).
export const REPORT_INDEX_VERSION = 5;

/**
 * A file's identity when it was read: [inode, size, mtime ms, ctime ms]; null when it could not be read
 * (gone). The ctime moves on every write, also one whose mtime was put back (utimes).
 */
export type Ident = [number, number, number, number] | null;

/** One listed file: path, identity (nulls when gone), and its base slot (-1: none). */
export type IndexedFile = [string, number | null, number | null, number | null, number | null, number];

/** A file read since the base was written: path, identity, and where its read stopped (a Resume). */
export type ChangedFile = [string, number, number, number, number, number, string, string];

/** `report-files.json`. */
export interface FileList {
  version: number;
  /** The generation of the base this list's slots refer to. */
  gen: string;
  roots: string[];
  files: IndexedFile[];
  /** The report of the base's parts (the index's patch gives the report now). */
  report: UsageReport;
}

/** `report-index.json`. */
export interface ReportIndex {
  version: number;
  gen: string;
  baseGen: string;
  /** The report's rows changed since the base (null: none). */
  patch: ReportPatch | null;
  /** Times (epoch ms, ascending) of the entries in the report's last 5-hour block (see buildReportWithTail). */
  tail: number[];
  /** Each file read since the base, as last read (one row per file). */
  changed: ChangedFile[];
  /** How many key hashes were journaled since the base as new (one per file holding the key), in `report-journal-keys.bin` of this `gen`. */
  keys: number;
  journal: JournalRef[];
  /** Usage entries in the journal's records (see journalFits). */
  journaled: number;
}

export interface ReportCache {
  index: ReportIndex;
  list: FileList;
  /** The report now: the base's with the index's patch (`list.report`, patched in place). */
  report: UsageReport;
}

/** What the cache knows of a file now: its identity, its base slot (-1: none), and its resume when read since the base. */
export interface KnownFile {
  ident: Ident;
  slot: number;
  resume: Resume | null;
}

export function reportCacheFiles(rt: Runtime): Record<'index' | 'files' | 'base' | 'keys' | 'resume' | 'journal' | 'journalKeys', string> {
  const dir = path.dirname(rt.paths.transcriptCacheDir);
  const at = (name: string) => path.join(dir, name);
  return {
    index: at('report-index.json'), files: at('report-files.json'), base: at('report-usage.bin'), keys: at('report-keys.bin'),
    resume: at('report-resume.bin'), journal: at('report-journal.jsonl'), journalKeys: at('report-journal-keys.bin'),
  };
}

/** The identity of `file` now, or null when it does not exist (or cannot be stat'ed). */
export function identOf(file: string): Ident {
  try {
    const st = statSync(file);
    return [st.ino, st.size, st.mtimeMs, st.ctimeMs];
  } catch {
    return null;
  }
}

export function sameIdent(a: Ident, b: Ident): boolean {
  return a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** The index, the file list it goes with and the report now, or null (none, damaged, another version or generation). */
export function readReportCache(rt: Runtime): ReportCache | null {
  const f = reportCacheFiles(rt);
  const index = readJson(f.index);
  if (index === null || index.version !== REPORT_INDEX_VERSION || typeof index.gen !== 'string' || typeof index.baseGen !== 'string' || (index.patch !== null && !isObj(index.patch))
    || !Array.isArray(index.tail) || !Array.isArray(index.changed) || typeof index.keys !== 'number' || !Array.isArray(index.journal) || typeof index.journaled !== 'number') return null;
  const list = readJson(f.files);
  if (list === null || list.version !== REPORT_INDEX_VERSION || list.gen !== index.baseGen || !Array.isArray(list.roots) || !Array.isArray(list.files) || !isObj(list.report)) return null;
  const cache = { index: index as unknown as ReportIndex, list: list as unknown as FileList };
  const report = cache.list.report;
  try {
    if (cache.index.patch !== null) patchReport(report, cache.index.patch);
  } catch {
    return null; // a patch of another report
  }
  return { ...cache, report };
}

/** Every file the cache knows, by path: the list as the base saw it, with the rows of files read since on top. */
export function knownFiles(cache: ReportCache): Map<string, KnownFile> {
  const out = new Map<string, KnownFile>();
  for (const f of cache.list.files) out.set(f[0], { ident: f[1] === null ? null : [f[1], f[2]!, f[3]!, f[4]!], slot: f[5], resume: null });
  for (const [p, ino, size, mtime, ctime, ...resume] of cache.index.changed) out.set(p, { ident: [ino, size, mtime, ctime], slot: out.get(p)?.slot ?? -1, resume });
  return out;
}

/** The base of the cache, or null. */
export function readCacheBase(rt: Runtime, cache: ReportCache): Base | null {
  return readBase(reportCacheFiles(rt).base, cache.index.baseGen);
}

/** The key hashes journaled since the base, ascending, or null (damaged). */
export function readCacheJournalKeys(rt: Runtime, cache: ReportCache): Float64Array | null {
  return cache.index.keys === 0 ? new Float64Array(0) : readJournalKeys(reportCacheFiles(rt).journalKeys, cache.index.gen, cache.index.keys);
}

/** The key hashes written with the base, for lookups (report-keys.ts; `close` it), or null. */
export function openBaseKeys(rt: Runtime, cache: ReportCache): KeyLookup | null {
  return openKeys(reportCacheFiles(rt).keys, cache.index.baseGen);
}

/** Where a known file's read stopped: its row when read since the base, else its base slot's record; null when not to be had. */
export function resumeOf(rt: Runtime, cache: ReportCache, known: KnownFile): Resume | null {
  if (known.resume !== null) return known.resume;
  return known.slot < 0 ? null : readResume(reportCacheFiles(rt).resume, cache.index.baseGen, known.slot);
}

/** The journal's records by path, in order, or null (damaged). */
export function readCacheJournal(rt: Runtime, cache: ReportCache): Map<string, JournalRecord[]> | null {
  const records = readJournal(reportCacheFiles(rt).journal, cache.index.journal);
  if (records === null) return null;
  const out = new Map<string, JournalRecord[]>();
  for (const r of records) {
    const list = out.get(r[0]);
    if (list === undefined) out.set(r[0], [r]);
    else list.push(r);
  }
  return out;
}

/**
 * Writes the whole cache after a full scan or a rebuild: the new base (`built`: one slot per listed
 * file, BaseBuilder or baseOfSources), its key hashes, resumes and file list, an empty journal, then the index.
 *
 * @throws the fs error of a write
 */
export function writeReportCache(rt: Runtime, head: { report: UsageReport; tail: number[]; roots: string[] }, files: string[], idents: Ident[], built: BuiltBase): void {
  const f = reportCacheFiles(rt);
  const baseGen = randomBytes(8).toString('hex');
  const { base, present } = built;
  writeCacheFile(f.base, encodeBase(base, baseGen));
  writeKeys(f.keys, baseGen, built.keyHashes);
  writeResumes(f.resume, baseGen, base.slots.map((s, i) => (present[i] ? [s[5], s[6], s[7]] : null)));
  const listed: IndexedFile[] = files.map((p, i) => {
    const id = idents[i] ?? null;
    return [p, id?.[0] ?? null, id?.[1] ?? null, id?.[2] ?? null, id?.[3] ?? null, present[i] ? i : -1];
  });
  writeCacheFile(f.files, summedText(JSON.stringify({ version: REPORT_INDEX_VERSION, gen: baseGen, roots: head.roots, files: listed, report: head.report } satisfies FileList)));
  writeCacheFile(f.journal, '');
  writeIndex(f.index, { version: REPORT_INDEX_VERSION, gen: randomBytes(8).toString('hex'), baseGen, patch: null, tail: head.tail, changed: [], keys: 0, journal: [], journaled: 0 });
  // The journal keys of the last index (this one has none), and the overlay of the cache's version 2.
  for (const stale of [f.journalKeys, path.join(path.dirname(f.index), 'report-overlay.json')]) {
    try {
      unlinkSync(stale);
    } catch {
      // none
    }
  }
}

/** What an update changed: the report's patch and last block's times (applyUsageDelta), the journal's new key hashes. */
export interface ReportUpdate {
  patch: ReportPatch;
  tail: number[];
  /** The journal's key hashes before (ascending, readCacheJournalKeys) and the update's new ones. */
  journalKeys: Float64Array;
  newKeys: number[];
}

/**
 * Writes the cache after a report updated in place: `records` appended to the journal, the journal's
 * key hashes with the new ones, then the index with the patch merged into its own and the rows of the
 * files read (replacing their earlier rows). Writes what changed, plus 8 bytes per journaled key.
 *
 * @param entries usage entries in `records`
 * @throws the fs error of a write; Error when the journal does not hold what the index lists
 */
export function writeReportUpdate(rt: Runtime, cache: ReportCache, update: ReportUpdate, read: ChangedFile[], records: JournalRecord[], entries: number): void {
  const f = reportCacheFiles(rt);
  const was = cache.index;
  const gen = randomBytes(8).toString('hex');
  const ref = appendJournal(f.journal, journalEnd(was.journal), records);
  const keys = mergeSorted(update.journalKeys, sortedHashes(update.newKeys));
  writeJournalKeys(f.journalKeys, gen, keys);
  const replaced = new Set(read.map((r) => r[0]));
  writeIndex(f.index, {
    version: REPORT_INDEX_VERSION, gen, baseGen: was.baseGen, patch: mergePatches(was.patch, update.patch), tail: update.tail,
    changed: [...was.changed.filter((r) => !replaced.has(r[0])), ...read], keys: keys.length, journal: [...was.journal, ref],
    journaled: was.journaled + entries,
  });
}

/** Removes the index (the whole cache then reads as none), when it could not be updated; quiet when that fails too. */
export function dropReportIndex(rt: Runtime): void {
  try {
    unlinkSync(reportCacheFiles(rt).index);
  } catch {
    // a read-only cache dir: the next report reads on from the old index and tries again
  }
}

/**
 * Whether a journal of `journaled` entries is still worth keeping beside a base of `total`: up to an
 * eighth of them, or 5,000 in a small history. A rebuild reads all of it, and every incremental report
 * reads its key hashes; past that a new base is written instead.
 */
export function journalFits(journaled: number, total: number): boolean {
  return journaled <= Math.max(total / 8, 5_000);
}

function writeIndex(file: string, index: ReportIndex): void {
  writeCacheFile(file, summedText(JSON.stringify(index)));
}

function readJson(file: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const v = unsummedJson(text);
  return isObj(v) ? v : null;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

