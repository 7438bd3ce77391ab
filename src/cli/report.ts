import type { FileDigest } from '../claude/transcript-digest.ts';
import { listTranscripts, mainTranscriptOf, subagentTranscripts } from '../claude/transcript-files.ts';
import type { Runtime } from '../runtime.ts';
import {
  identOf, identOfIndexed, mergeSources, readBase, readOverlay, readReportIndex, sameIdent, slotLines, writeReportCache,
  type Base, type Ident, type IndexedFile, type PartSource, type ReportIndex, type UsagePart,
} from '../store/report-index.ts';
import { prefetchCursors } from '../store/scan-pool.ts';
import { trackAll } from '../store/track.ts';
import { catchUpCached } from '../store/transcript-cache.ts';
import { mergeDigests } from '../usage/ledger.ts';
import { buildReport, type UsageReport } from '../usage/report.ts';

/**
 * `cco report`: scans every transcript under the config dirs (incrementally, through the per-file
 * caches, unless `noCache`) and builds the usage report. When the state dir cannot be written (a
 * read-only config dir), it scans without persisting and says so on stderr.
 *
 * With the caches, a report reads only what changed since the last one (see report-index.ts):
 * - nothing changed (same transcripts with the same inode, size and mtime, and the state files as that
 *   report left them): the last report is the answer; nothing is read or written;
 * - some transcripts changed or appeared: only they (and the other files of their sessions) are caught up
 *   and recorded (`trackAll` from their oldest mtime); the other files' usage comes from the index;
 * - otherwise (first run, another config dir list, state files written since by a hook or deleted): a
 *   full scan, on worker threads when it is large (scan-pool.ts), recording every session and block.
 * Every path gives the report a full scan of the same bytes gives (`--no-cache`), byte for byte.
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

/** A full scan that reads every byte and writes nothing (`--no-cache`, or a read-only state dir). */
async function freshReport(rt: Runtime): Promise<UsageReport> {
  const scan = await trackAll(rt, null, { ignoreCache: true, persist: false });
  const d = scan.digests;
  return buildReport(mergeDigests(d), {
    files: scan.files,
    lines: d.reduce((n, x) => n + x.lines, 0),
    malformedLines: d.reduce((n, x) => n + x.malformedLines, 0),
  });
}

async function cachedReport(rt: Runtime): Promise<UsageReport> {
  const roots = [...rt.dirs.transcriptRoots];
  const files = listTranscripts(roots);
  const index = readReportIndex(rt);
  if (index !== null && sameStrings(index.roots, roots) && sameState(index, stateIdents(rt))) {
    const was = new Map<string, IndexedFile>();
    for (const f of index.files) was.set(f[0], f);
    const now = files.map(identOf);
    const kept = (i: number): IndexedFile | null => {
      const f = was.get(files[i]!);
      return f !== undefined && sameIdent(identOfIndexed(f), now[i]!) ? f : null;
    };
    const changed = files.filter((_, i) => kept(i) === null);
    if (changed.length === 0 && files.length === index.files.length) return index.report;
    const base = readBase(rt, index.baseGen);
    const overlay = base === null ? null : readOverlay(rt, index.gen);
    if (base !== null && overlay !== null) {
      // Catch up and record the files that changed, with the other files of their sessions (a
      // session's record sums its main and subagent files); the rest is as the index has it.
      if (changed.length > 0) await trackAll(rt, oldestMtime(changed), { lockBudgetMs: 10_000 });
      const sources: PartSource[] = [];
      const idents: Ident[] = [];
      let usable = true;
      for (let i = 0; i < files.length && usable; i++) {
        const k = kept(i);
        if (k !== null) {
          const part = k[4] >= 0 ? { slot: k[4] } : overlay.has(k[0]) ? { part: overlay.get(k[0])! } : null;
          if (part === null && k[1] !== null) usable = false; // an overlay without this file's part: rebuild
          sources.push(part);
          idents.push(now[i]!);
        } else {
          const c = await readOne(rt, files[i]!);
          sources.push(c === null ? null : { part: partOf(c.digest) });
          idents.push(c === null ? null : [c.ino, c.size, c.mtimeMs]);
        }
      }
      if (usable) return finish(rt, roots, files, idents, sources, base);
    }
  }
  // A full scan: every transcript caught up (on worker threads when that pays), every session recorded.
  await prefetchCursors(rt, files, { persist: true });
  await trackAll(rt, null, { lockBudgetMs: 10_000 });
  const sources: PartSource[] = [];
  const idents: Ident[] = [];
  for (const f of files) {
    const c = await readOne(rt, f);
    sources.push(c === null ? null : { part: partOf(c.digest) });
    idents.push(c === null ? null : [c.ino, c.size, c.mtimeMs]);
  }
  return finish(rt, roots, files, idents, sources, null);
}

function finish(rt: Runtime, roots: string[], files: string[], idents: Ident[], sources: PartSource[], base: Base | null): UsageReport {
  let lines = 0;
  let malformedLines = 0;
  for (const s of sources) {
    if (s === null) continue;
    const [l, m] = 'slot' in s ? slotLines(base!, s.slot) : s.part;
    lines += l;
    malformedLines += m;
  }
  const report = buildReport(mergeSources(sources, base), { files: files.length, lines, malformedLines });
  try {
    writeReportCache(rt, { roots, state: stateIdents(rt), report }, files, idents, sources, base);
  } catch (e) {
    rt.log('warn', 'report', `report cache not written: ${e instanceof Error ? e.message : String(e)}`);
  }
  return report;
}

/** The cursor of one transcript through its cache (one stat when this process already read it), or null when it is gone. */
async function readOne(rt: Runtime, f: string) {
  try {
    return (await catchUpCached(rt, f, { lockBudgetMs: 10_000 })).cursor;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function partOf(d: FileDigest): UsagePart {
  return [d.lines, d.malformedLines, d.entries, d.loose];
}

/** The identities of the state files a scan writes: a report may skip recording only when they are as it left them. */
function stateIdents(rt: Runtime): ReportIndex['state'] {
  return { sessionTracker: identOf(rt.paths.sessionTracker), quotaTracker: identOf(rt.paths.quotaTracker) };
}

function sameState(index: ReportIndex, now: ReportIndex['state']): boolean {
  const s = index.state;
  return now.sessionTracker !== null && now.quotaTracker !== null
    && sameIdent(s.sessionTracker ?? null, now.sessionTracker) && sameIdent(s.quotaTracker ?? null, now.quotaTracker);
}

/** The oldest mtime among `changed` and the other files of their sessions (main and subagent transcripts). */
function oldestMtime(changed: readonly string[]): number {
  let min = Infinity;
  for (const f of changed) {
    const main = mainTranscriptOf(f);
    for (const g of new Set([f, main, ...subagentTranscripts(main)])) {
      const id = identOf(g);
      if (id !== null) min = Math.min(min, id[2]);
    }
  }
  return Number.isFinite(min) ? min : 0;
}

function sameStrings(a: readonly unknown[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
