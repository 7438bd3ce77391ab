import { listTranscripts } from '../claude/transcript-files.ts';
import type { Runtime } from '../runtime.ts';
import { fromTuple } from '../claude/transcript-digest.ts';
import {
  basePart, identOf, identOfIndexed, mergeSources, overlayFits, readBase, readOverlay, readReportIndex, readReportKeys, sameIdent, slotLines, writeReportCache,
  writeReportUpdate, type Base, type Ident, type IndexedFile, type PartSource, type ReportIndex, type UsagePart,
} from '../store/report-index.ts';
import { countOf, keyHash, withHashes } from '../store/report-keys.ts';
import { scanUsageInPool } from '../store/scan-pool.ts';
import { readUsage, type UsageCatchUp } from '../store/usage-read.ts';
import { applyUsageDelta, type UsageDelta } from '../usage/report-delta.ts';
import { buildReportWithTail, type UsageReport } from '../usage/report.ts';

/**
 * `cco report`: the usage of every transcript under the config dirs. It reads usage only (a `usage`
 * read: the lines that can hold usage are parsed, tool results never; see DigestScope) and writes none
 * of the state files: what hooks and the other commands record is theirs. When the cache dir cannot be
 * written (a read-only config dir), it scans without the cache and says so on stderr.
 *
 * With its cache (see report-index.ts), a report reads only what changed since the last one:
 * - nothing changed (same transcripts with the same inode, size and mtime): the last report is the
 *   answer; nothing is read or written;
 * - some transcripts grew: each is read on from where the last read stopped (from its first byte when it
 *   was rewritten rather than appended to); new ones are read whole; the rest comes from the cache;
 * - otherwise (first run, another config dir list, a damaged cache): a full scan, on worker threads when
 *   it is large (scan-pool.ts).
 * Every path gives the report a full scan of the same bytes gives (`--no-cache`), byte for byte.
 *
 * @throws fs errors of the transcripts other than ENOENT (EACCES)
 */
export async function usageReport(rt: Runtime, opts: { noCache?: boolean } = {}): Promise<UsageReport> {
  if (opts.noCache === true) return freshReport(rt);
  try {
    return await cachedReport(rt);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw e;
    process.stderr.write(`cco: ${rt.paths.stateDir} is not writable (${code}); scanning without the cache\n`);
    return freshReport(rt);
  }
}

/** A full scan on this thread that reads every byte and writes nothing (`--no-cache`, or a read-only cache dir). */
function freshReport(rt: Runtime): UsageReport {
  const files = listTranscripts([...rt.dirs.transcriptRoots]);
  const sources: PartSource[] = files.map((f) => {
    const r = readUsage(f, null);
    return r === null ? null : { part: r.part };
  });
  return reportOf(files.length, sources, null).report;
}

async function cachedReport(rt: Runtime): Promise<UsageReport> {
  const roots = [...rt.dirs.transcriptRoots];
  const files = listTranscripts(roots);
  const index = readReportIndex(rt);
  if (index !== null && sameStrings(index.roots, roots)) {
    const was = new Map<string, IndexedFile>();
    for (const f of index.files) was.set(f[0], f);
    const now = files.map(identOf);
    const kept = (i: number): IndexedFile | null => {
      const f = was.get(files[i]!);
      return f !== undefined && sameIdent(identOfIndexed(f), now[i]!) ? f : null;
    };
    const changed = files.flatMap((_, i) => (kept(i) === null ? [i] : []));
    if (changed.length === 0 && files.length === index.files.length) return index.report;
    const fromCache = reportFromCache(rt, index, roots, files, now, was, kept, changed);
    if (fromCache !== null) return fromCache;
  }
  // A full scan: every transcript from its first byte, on worker threads when that pays.
  const pooled = await scanUsageInPool(rt, files);
  rt.log('info', 'report', `full scan of ${files.length} file(s)${pooled === null ? '' : ' on worker threads'}`);
  const sources: PartSource[] = [];
  const idents: Ident[] = [];
  files.forEach((f, i) => {
    const r = pooled?.[i] ?? readUsage(f, null);
    sources.push(r === null ? null : { part: r.part });
    idents.push(r === null ? null : r.ident);
  });
  return finish(rt, roots, files, idents, sources, null);
}

/**
 * The report from the cache when only `changed` (indexes into `files`) need reading: each is read on from
 * its last read, then the report is updated in place (`updateInPlace`) or rebuilt from the cached parts.
 * Null when the cache lacks a part it needs (the caller scans in full).
 */
function reportFromCache(
  rt: Runtime,
  index: ReportIndex,
  roots: string[],
  files: string[],
  now: Ident[],
  was: Map<string, IndexedFile>,
  kept: (i: number) => IndexedFile | null,
  changed: number[],
): UsageReport | null {
  const overlay = readOverlay(rt, index.gen);
  if (overlay === null) return null;
  let base: Base | null | undefined; // read only when a changed file's last part is in it
  const baseOnce = () => (base === undefined ? (base = readBase(rt, index.baseGen)) : base);
  // Read each changed file on from its last read (readUsage starts over when it was not only appended to).
  const reads = new Map<number, { before: UsagePart | null; after: UsageCatchUp | null }>();
  for (const i of changed) {
    const prev = was.get(files[i]!);
    let part: UsagePart | undefined;
    if (prev !== undefined && prev[1] !== null) {
      const b = prev[4] >= 0 ? baseOnce() : null;
      part = prev[4] >= 0 ? (b === null ? undefined : basePart(b, prev[4])) : overlay.get(prev[0]);
      if (part === undefined) return null;
    }
    // readUsage folds into the part's arrays: keep the entries as they were for the delta.
    const before: UsagePart | null = part === undefined ? null : [part[0], part[1], part[2].slice(), part[3].slice(), part[4]];
    const after = readUsage(files[i]!, part === undefined ? null : { ident: identOfIndexed(prev!)!, part });
    reads.set(i, { before, after });
  }
  const inPlace = updateInPlace(rt, index, files, now, was, reads, overlay);
  if (inPlace !== null) {
    rt.log('info', 'report', `updated in place: ${reads.size} changed file(s) read on`);
    return inPlace;
  }
  const b = baseOnce();
  if (b === null) return null;
  const sources: PartSource[] = [];
  const idents: Ident[] = [];
  for (let i = 0; i < files.length; i++) {
    const r = reads.get(i);
    if (r !== undefined) {
      sources.push(r.after === null ? null : { part: r.after.part });
      idents.push(r.after === null ? null : r.after.ident);
      continue;
    }
    const k = kept(i)!;
    const inOverlay = k[4] < 0 && k[1] !== null ? overlay.get(k[0]) : undefined;
    if (k[4] < 0 && k[1] !== null && inOverlay === undefined) return null; // an overlay without this file's part: rebuild
    sources.push(k[1] === null ? null : k[4] >= 0 ? { slot: k[4] } : { part: inOverlay! });
    idents.push(now[i]!);
  }
  rt.log('info', 'report', `rebuilt from the cache: ${reads.size} changed file(s) read on`);
  return finish(rt, roots, files, idents, sources, b);
}

/**
 * The report updated in place from what the changed files added (report-delta.ts), at a cost in
 * proportion to what was read: when no file went away or was rewritten, every key that changed is held
 * by its file alone (report-keys.ts), the changes are of the kind `applyUsageDelta` takes, and the
 * overlay stays small. Writes the cache; null when any of that does not hold (the caller rebuilds).
 */
function updateInPlace(
  rt: Runtime,
  index: ReportIndex,
  files: string[],
  now: Ident[],
  was: Map<string, IndexedFile>,
  reads: Map<number, { before: UsagePart | null; after: UsageCatchUp | null }>,
  overlay: Map<string, UsagePart>,
): UsageReport | null {
  const listed = new Set(files);
  if (index.files.some((f) => !listed.has(f[0]))) return null; // a file went away
  const keys = readReportKeys(rt, index.gen);
  if (keys === null) return null;
  const delta: UsageDelta = { removed: [], added: [], files: files.length - index.files.length, lines: 0, malformedLines: 0 };
  const newKeys: number[] = [];
  const pending = new Map<number, number>();
  const holders = (h: number) => countOf(keys, h) + (pending.get(h) ?? 0);
  for (const { before, after } of reads.values()) {
    if (after === null || (after.rescanned && before !== null)) return null; // gone, or rewritten
    const [lines, malformed, entries, loose] = after.part;
    const old = before ?? [0, 0, [], [], [0, '', '']];
    delta.lines += lines - old[0];
    delta.malformedLines += malformed - old[1];
    for (let k = 0; k < entries.length; k++) {
      const t = entries[k]!;
      const h = keyHash(t[0]!);
      if (k < old[2].length) {
        if (t === old[2][k]) continue;
        if (holders(h) !== 1) return null; // a larger copy of a response other files hold too
        delta.removed.push(fromTuple(old[2][k]!));
      } else {
        if (holders(h) !== 0) return null; // a response other files hold too
        pending.set(h, 1);
        newKeys.push(h);
      }
      delta.added.push(fromTuple(t));
    }
    for (let k = old[3].length; k < loose.length; k++) delta.added.push(fromTuple(loose[k]!));
  }
  const next = applyUsageDelta(index.report, index.tail, delta);
  if (next === null) return null;
  // The overlay takes every changed file's part; when it grows too large, rebuild (a new base) instead.
  const indexed: IndexedFile[] = [];
  const parts: [string, UsagePart][] = [];
  let overlaid = 0;
  for (let i = 0; i < files.length; i++) {
    const r = reads.get(i);
    const part = r !== undefined ? r.after!.part : null;
    if (part !== null) {
      indexed.push([files[i]!, ...r!.after!.ident, -1]);
      parts.push([files[i]!, part]);
      overlaid += part[2].length + part[3].length;
      continue;
    }
    const f = was.get(files[i]!);
    if (f === undefined) return null;
    if (f[4] < 0 && f[1] !== null) {
      const p = overlay.get(f[0]);
      if (p === undefined) return null;
      parts.push([f[0], p]);
      overlaid += p[2].length + p[3].length;
    }
    indexed.push([files[i]!, ...(now[i] ?? [null, null, null]), f[4]] as IndexedFile);
  }
  if (!overlayFits(overlaid, next.report.stats.entries)) return null;
  try {
    writeReportUpdate(rt, { roots: index.roots, report: next.report, tail: next.tail }, index.baseGen, indexed, parts, withHashes(keys, newKeys));
  } catch (e) {
    rt.log('warn', 'report', `report cache not written: ${e instanceof Error ? e.message : String(e)}`);
  }
  return next.report;
}

function finish(rt: Runtime, roots: string[], files: string[], idents: Ident[], sources: PartSource[], base: Base | null): UsageReport {
  const { report, tail } = reportOf(files.length, sources, base);
  try {
    writeReportCache(rt, { roots, report, tail }, files, idents, sources, base);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') process.stderr.write(`cco: ${rt.paths.stateDir} is not writable (${code}); the report cache is not kept\n`);
    rt.log('warn', 'report', `report cache not written: ${e instanceof Error ? e.message : String(e)}`);
  }
  return report;
}

/** The report of the parts (`sources` in file list order), with the line counts of the files read, and its tail (buildReportWithTail). */
function reportOf(files: number, sources: readonly PartSource[], base: Base | null): { report: UsageReport; tail: number[] } {
  let lines = 0;
  let malformedLines = 0;
  for (const s of sources) {
    if (s === null) continue;
    const [l, m] = 'slot' in s ? slotLines(base!, s.slot) : (s.part as UsagePart);
    lines += l;
    malformedLines += m;
  }
  return buildReportWithTail(mergeSources(sources, base), { files, lines, malformedLines });
}

function sameStrings(a: readonly unknown[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
