import { transcriptRoots } from '../store/account-dirs.ts';
import { listTranscripts } from '../claude/transcript-files.ts';
import type { Runtime } from '../runtime.ts';
import { BaseBuilder, baseOfSources, mergeSources, slotLines, type Base, type BuiltBase, type PartSource, type UsagePart } from '../store/report-base.ts';
import { identOf, knownFiles, readReportCache, sameIdent, writeReportCache, type Ident } from '../store/report-index.ts';
import { scanUsageInPool } from '../store/scan-pool.ts';
import { readUsage } from '../store/usage-read.ts';
import { buildReportWithTail, type UsageReport } from '../usage/report.ts';
import { reportFromCache } from './report-from-cache.ts';
import { cannotSave, cannotSaveLine } from '../store/save-error.ts';

/**
 * `cco report`: the usage of every transcript under the config dirs. It reads usage only (a `usage`
 * read: the lines that can hold usage are parsed, tool results never; see DigestScope) and writes none
 * of the state files: what hooks and the other commands record is theirs. When its cache cannot be
 * written (a read-only config dir, a full disk, an I/O error: store/save-error.ts), the report is the
 * same and `opts.warn` gets one line saying the cache was not saved (`cco: could not save the report
 * cache in <dir> (ENOSPC: the disk is full); ...`).
 *
 * With its cache (see report-index.ts), a report reads only what changed since the last one:
 * - nothing changed (same transcripts with the same inode, size and mtime): the last report is the
 *   answer; nothing is read or written;
 * - some transcripts grew or are new: each is read on from where its last read stopped, and the report
 *   is updated in place or rebuilt from the cache (report-from-cache.ts);
 * - otherwise (first run, another config dir list, a damaged cache): a full scan, on worker threads when
 *   it is large (scan-pool.ts).
 * Every path gives the report a full scan of the same bytes gives (`--no-cache`), byte for byte.
 *
 * @throws fs errors of the transcripts other than ENOENT (EACCES)
 */
export async function usageReport(rt: Runtime, opts: { noCache?: boolean; warn?: (line: string) => void } = {}): Promise<UsageReport> {
  if (opts.noCache === true) return freshReport(rt);
  const warn = opts.warn ?? ((line: string) => void process.stderr.write(line));
  try {
    return await cachedReport(rt, warn);
  } catch (e) {
    const code = cannotSave(e);
    if (code === null) throw e;
    warn(cannotSaveLine(rt.paths.stateDir, code, 'scanning without it', 'the report cache'));
    return freshReport(rt);
  }
}

/** A full scan on this thread that reads every byte and writes nothing (`--no-cache`, or a read-only cache dir). */
function freshReport(rt: Runtime): UsageReport {
  const files = listTranscripts([...transcriptRoots(rt)]);
  const sources: PartSource[] = files.map((f) => {
    const r = readUsage(f, null);
    return r === null ? null : { part: r.part };
  });
  return reportOf(files.length, sources, null).report;
}

async function cachedReport(rt: Runtime, warn: (line: string) => void): Promise<UsageReport> {
  const roots = [...transcriptRoots(rt)];
  const files = listTranscripts(roots);
  const cache = readReportCache(rt);
  if (cache !== null && sameStrings(cache.list.roots, roots)) {
    const known = knownFiles(cache);
    const now = files.map(identOf);
    let listed = 0;
    const changed = files.flatMap((f, i) => {
      const k = known.get(f);
      if (k !== undefined) listed++;
      return k !== undefined && sameIdent(k.ident, now[i]!) ? [] : [i];
    });
    // Some file the cache knows is no longer listed: it went away.
    const gone = listed < known.size;
    if (changed.length === 0 && !gone) return cache.report;
    const fromCache = reportFromCache(rt, cache, files, now, known, changed, gone, warn);
    if (fromCache !== null && 'report' in fromCache) return fromCache.report;
    if (fromCache !== null) return finish(rt, warn, roots, files, fromCache.rebuild.idents, fromCache.rebuild.sources, fromCache.rebuild.base);
  }
  // A full scan: every transcript from its first byte, on worker threads when that pays. Each file's
  // part goes into the new base as it arrives; the report is then merged from that base.
  const builder = new BaseBuilder(files.length);
  const idents: Ident[] = files.map(() => null);
  const pooled = await scanUsageInPool(rt, files, (i, ident, part) => {
    builder.addPacked(i, part);
    idents[i] = ident;
  });
  rt.log('info', 'report', `full scan of ${files.length} file(s)${pooled ? ' on worker threads' : ''}`);
  files.forEach((f, i) => {
    if (idents[i] !== null) return;
    const r = readUsage(f, null);
    if (r === null) return;
    builder.addPart(i, r.part);
    idents[i] = r.ident;
  });
  const built = builder.finish();
  return finish(rt, warn, roots, files, idents, built.present.map((p, i) => (p ? { slot: i } : null)), built.base, built);
}

/**
 * The report of `sources` (parts in hand or slots of `base`), and the cache written for it: `built`
 * when the new base is built already (a full scan), else built here from the sources.
 */
function finish(rt: Runtime, warn: (line: string) => void, roots: string[], files: string[], idents: Ident[], sources: PartSource[], base: Base | null, built?: BuiltBase): UsageReport {
  const { report, tail } = reportOf(files.length, sources, base);
  try {
    writeReportCache(rt, { roots, report, tail }, files, idents, built ?? baseOfSources(sources, base));
  } catch (e) {
    const code = cannotSave(e);
    if (code !== null) warn(cannotSaveLine(rt.paths.stateDir, code, 'the report is complete; the next one reads every transcript again', 'the report cache'));
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
