import { fromTuple } from '../claude/transcript-digest.ts';
import { cannotSave, cannotSaveLine } from '../store/save-error.ts';
import type { Runtime } from '../runtime.ts';
import { basePart, type Base, type PartSource, type UsagePart } from '../store/report-base.ts';
import {
  dropReportIndex, journalFits, openBaseKeys, readCacheBase, readCacheJournal, readCacheJournalKeys, resumeOf, writeReportUpdate, type ChangedFile, type Ident, type KnownFile,
  type ReportCache,
} from '../store/report-index.ts';
import { applyRecords, type JournalRecord } from '../store/report-journal.ts';
import { countOf, keyHash, type KeyLookup } from '../store/report-keys.ts';
import { readUsage, type UsageCatchUp } from '../store/usage-read.ts';
import { applyUsageDelta, type UsageDelta } from '../usage/report-delta.ts';
import { patchReport } from '../usage/report-patch.ts';
import type { UsageReport } from '../usage/report.ts';

/** A changed file's read: its part before (null: a file new to the cache) and after (null: gone). */
interface Read {
  before: UsagePart | null;
  after: UsageCatchUp | null;
}

/** What the cache gives: the report (updated in place), what a rebuild needs, or null (scan in full). */
export type FromCache = { report: UsageReport } | { rebuild: { sources: PartSource[]; idents: Ident[]; base: Base } } | null;

/**
 * The report from the cache when only `changed` (indexes into `files`) need reading, the cheapest way
 * that holds:
 * 1. each changed file is read on from where its last read stopped, without its earlier entries (a
 *    `more` read: costs what was appended), and the report is updated in place when everything read is
 *    new (`updateInPlace`);
 * 2. else with the changed files' whole parts (from the base and the journal): larger streamed copies of
 *    responses the file held are updated in place too;
 * 3. else the caller rebuilds the report from every part (returned as `rebuild`).
 * Null when the cache lacks a part it needs (the caller scans in full).
 *
 * @param now each listed file's identity now
 * @param wentAway whether a file the cache knows is no longer listed
 * @param warn gets one line when the cache update cannot be saved (a full disk, a read-only dir: store/save-error.ts)
 * @throws fs errors of the transcripts other than ENOENT
 */
export function reportFromCache(rt: Runtime, cache: ReportCache, files: string[], now: Ident[], known: Map<string, KnownFile>, changed: number[], wentAway: boolean, warn: (line: string) => void = () => {}): FromCache {
  // A file that went away takes its entries out of the report, which only a rebuild does: no update in place is tried.
  const gone = wentAway ? 'a file went away' : null;
  const more = gone === null ? readMore(rt, cache, files, known, changed) : null;
  const quick = gone ?? (more === null ? 'a resume record is damaged' : updateInPlace(rt, cache, files, known, more, 'more', warn));
  if (typeof quick !== 'string') {
    rt.log('info', 'report', `updated in place from the appended lines of ${changed.length} changed file(s)`);
    return { report: quick };
  }
  const base = readCacheBase(rt, cache);
  const journal = readCacheJournal(rt, cache);
  if (base === null || journal === null) return null;
  // A file's part as the cache holds it: its base part, then its journal records.
  const partOf = (file: string, k: KnownFile): UsagePart | null => {
    const b = k.slot >= 0 ? basePart(base, k.slot) : null;
    const records = journal.get(file) ?? [];
    return b === null && records.length === 0 ? null : applyRecords(b, records, k.resume ?? b![4]);
  };
  const reads = new Map<number, Read>();
  for (const i of changed) {
    const k = known.get(files[i]!);
    let part: UsagePart | null = null;
    if (k !== undefined && k.ident !== null) {
      part = partOf(files[i]!, k);
      if (part === null) return null;
    }
    // readUsage folds into the part's arrays: keep the entries as they were for the delta.
    const before: UsagePart | null = part === null ? null : [part[0], part[1], part[2].slice(), part[3].slice(), part[4]];
    reads.set(i, { before, after: readUsage(files[i]!, part === null ? null : { ident: k!.ident!, part }) });
  }
  const inPlace = gone ?? updateInPlace(rt, cache, files, known, reads, 'part', warn);
  if (typeof inPlace !== 'string') {
    rt.log('info', 'report', `updated in place from the cached parts of ${changed.length} changed file(s)`);
    return { report: inPlace };
  }
  const sources: PartSource[] = [];
  const idents: Ident[] = [];
  for (let i = 0; i < files.length; i++) {
    const r = reads.get(i);
    if (r !== undefined) {
      sources.push(r.after === null ? null : { part: r.after.part });
      idents.push(r.after === null ? null : r.after.ident);
      continue;
    }
    const k = known.get(files[i]!)!;
    if (k.ident === null) {
      sources.push(null);
    } else if (journal.has(files[i]!)) {
      const p = partOf(files[i]!, k);
      if (p === null) return null;
      sources.push({ part: p });
    } else {
      if (k.slot < 0) return null;
      sources.push({ slot: k.slot });
    }
    idents.push(now[i]!);
  }
  rt.log('info', 'report', `rebuilt from the cache: ${reads.size} changed file(s) read on (${quick}; with the cached parts: ${inPlace})`);
  return { rebuild: { sources, idents, base } };
}

/**
 * Each changed file read on from where its last read stopped, with none of its earlier entries: `before`
 * is an empty part at that point. Null when a file's resume is not to be had (a damaged resume file).
 */
function readMore(rt: Runtime, cache: ReportCache, files: string[], known: Map<string, KnownFile>, changed: number[]): Map<number, Read> | null {
  const reads = new Map<number, Read>();
  for (const i of changed) {
    const k = known.get(files[i]!);
    if (k === undefined || k.ident === null) {
      reads.set(i, { before: null, after: readUsage(files[i]!, null) });
      continue;
    }
    const resume = resumeOf(rt, cache, k);
    if (resume === null) return null;
    reads.set(i, { before: [0, 0, [], [], resume], after: readUsage(files[i]!, { ident: k.ident, part: [0, 0, [], [], resume] }) });
  }
  return reads;
}

/**
 * The report updated in place from what the changed files added (report-delta.ts), at a cost in
 * proportion to what was read: when no file was rewritten (the caller has checked that none went away),
 * every key that changed is held by its file alone (report-keys.ts), the changes are of the kind
 * `applyUsageDelta` takes, and the journal stays small. Journals the reads as `kind` records and writes the index.
 *
 * @returns the report, or why it cannot be updated in place (the caller tries the next way)
 */
function updateInPlace(rt: Runtime, cache: ReportCache, files: string[], known: Map<string, KnownFile>, reads: Map<number, Read>, kind: JournalRecord[1], warn: (line: string) => void): UsageReport | string {
  const journalKeys = readCacheJournalKeys(rt, cache);
  const keys = journalKeys === null ? null : openBaseKeys(rt, cache);
  if (keys === null) return 'the key hashes are damaged';
  let d: ReturnType<typeof deltaOf>;
  try {
    d = deltaOf(files, reads, kind, keys, journalKeys!);
  } finally {
    keys.close();
  }
  if (typeof d === 'string') return d;
  const { delta, records, rows, newKeys, entries } = d;
  delta.files = files.length - known.size;
  const next = applyUsageDelta(cache.report, cache.index.tail, delta);
  if (next === null) return 'an entry before the last 5-hour block, or a copy in another session, model or day';
  if (!journalFits(cache.index.journaled + entries, next.patch.stats.entries)) return 'the journal is full';
  try {
    writeReportUpdate(rt, cache, { ...next, journalKeys: journalKeys!, newKeys }, rows, records, entries);
  } catch (e) {
    // The next report scans in full instead of reading on, again and again, from an index it cannot update.
    const code = cannotSave(e);
    if (code !== null) warn(cannotSaveLine(rt.paths.stateDir, code, 'the report is complete; the next one reads every transcript again', 'the report cache'));
    rt.log('warn', 'report', `report cache not written, so dropped: ${e instanceof Error ? e.message : String(e)}`);
    dropReportIndex(rt);
  }
  patchReport(cache.report, next.patch);
  return cache.report;
}

/**
 * What the reads change, or why it is not a change `applyUsageDelta` can take: each key read that is new
 * must be held by no file, each larger copy by its own file alone (per the base's key hashes and those
 * journaled since). Also the journal records and index rows of the reads.
 */
function deltaOf(files: string[], reads: Map<number, Read>, kind: JournalRecord[1], keys: KeyLookup, journalKeys: Float64Array) {
  // The new keys of this update (each held by its file alone, or it would not be taken).
  const taken = new Set<number>();
  const holders = (h: number) => {
    const n = keys.count(h);
    return n === null ? null : n + countOf(journalKeys, h) + (taken.has(h) ? 1 : 0);
  };
  // Every key to look up, first: their buckets are read in a few reads rather than one each.
  const wanted: number[] = [];
  for (const { before, after } of reads.values()) {
    const keyed = after?.part[2] ?? [];
    for (let k = 0; k < keyed.length; k++) if (!(k < (before?.[2].length ?? 0) && keyed[k] === before![2][k])) wanted.push(keyHash(keyed[k]![0]!));
  }
  keys.prefetch(wanted);
  const delta: UsageDelta = { removed: [], added: [], files: 0, lines: 0, malformedLines: 0 };
  const newKeys: number[] = [];
  const records: JournalRecord[] = [];
  const rows: ChangedFile[] = [];
  let entries = 0;
  for (const [i, { before, after }] of reads) {
    if (after === null) return 'a file went away';
    if (after.rescanned && before !== null) return 'a file was rewritten';
    const [lines, malformed, keyed, loose, resume] = after.part;
    const old = before ?? [0, 0, [], [], [0, '', '']];
    delta.lines += lines - old[0];
    delta.malformedLines += malformed - old[1];
    for (let k = 0; k < keyed.length; k++) {
      const t = keyed[k]!;
      if (k < old[2].length && t === old[2][k]) continue;
      const h = keyHash(t[0]!);
      const held = holders(h);
      if (held === null) return 'the key hashes are damaged';
      if (k < old[2].length) {
        if (held !== 1) return 'a larger copy of a response other files hold too';
        delta.removed.push(fromTuple(old[2][k]!));
      } else {
        if (held !== 0) return 'a response the cache holds already';
        taken.add(h);
        newKeys.push(h);
      }
      delta.added.push(fromTuple(t));
    }
    for (let k = old[3].length; k < loose.length; k++) delta.added.push(fromTuple(loose[k]!));
    records.push([files[i]!, kind, lines, malformed, keyed, loose] as JournalRecord);
    rows.push([files[i]!, ...after.ident, ...resume] as ChangedFile);
    entries += keyed.length + loose.length;
  }
  return { delta, records, rows, newKeys, entries };
}
