import { statSync } from 'node:fs';
import { transcriptRoots } from '../store/account-dirs.ts';
import { listTranscripts } from '../claude/transcript-files.ts';
import { catchUpTranscript, sameState, type TranscriptCursor } from '../claude/transcript-reader.ts';
import type { Runtime } from '../runtime.ts';
import { cursorOf, readReportCache, rowUnchanged, writeReportCache, type Part, type ReportCache, type UsageCursor } from '../store/report-cache.ts';
import { scanUsageInPool } from '../store/scan-pool.ts';
import { mergeDigests } from '../usage/ledger.ts';
import { buildReport, type UsageReport } from '../usage/report.ts';
import { cannotSave, cannotSaveLine } from '../store/save-error.ts';

/**
 * `cco report`: the usage of every transcript under the config dirs. It reads usage only (a `usage`
 * read: the lines that can hold usage are parsed, tool results never; see DigestScope) and writes none
 * of the state files: what hooks and the other commands record is theirs. When its cache cannot be
 * written (a read-only config dir, a full disk, an I/O error: store/save-error.ts), the report is the
 * same and `opts.warn` gets one line saying the cache was not saved (`cco: could not save the report
 * cache in <dir> (ENOSPC: the disk is full); ...`).
 *
 * With its cache (store/report-cache.ts: each transcript's cursor and usage as last read), a report
 * reads only what changed since the last one:
 * - nothing changed (the same transcripts, each with the inode, size, mtime and ctime it was read at):
 *   the last report is the answer; only the cache's head is parsed, nothing is written;
 * - else each changed transcript is caught up by `catchUpTranscript`, the reader and rule of the
 *   hooks' per-file cache: read on from where its last read stopped when it was only appended to
 *   (the fingerprint of the bytes read unchanged), else from its first byte; the others
 *   keep their cached part, and the report is merged again from every part (DESIGN.md's dedupe rule
 *   across files);
 * - with no usable cache (first run, other config dirs, a damaged file): a full scan, on worker
 *   threads when it is large (scan-pool.ts).
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
  const cursors: UsageCursor[] = [];
  for (const f of files) {
    const c = readOn(f, null);
    if (c !== null) cursors.push(c.cursor);
  }
  return reportOf(files.length, cursors);
}

async function cachedReport(rt: Runtime, warn: (line: string) => void): Promise<UsageReport> {
  const roots = [...transcriptRoots(rt)];
  const files = listTranscripts(roots);
  const cache = readReportCache(rt);
  const usable = cache !== null && sameStrings(cache.head.roots, roots) ? cache : null;
  if (usable !== null && unchanged(usable, files)) return usable.head.report;
  const cached = usable === null ? null : usable.cursors();
  const known = cached?.cursors ?? null;
  let cursors: (UsageCursor | null)[];
  // Each part's JSON where it is at hand (a cached file unchanged, a worker's read): written as it is.
  const partTexts = cached?.texts ?? new Map<UsageCursor, string>();
  if (known === null) {
    // A full scan: every transcript from its first byte, on worker threads when that pays.
    cursors = files.map(() => null);
    const pooled = await scanUsageInPool(rt, files, (i, row, part) => {
      const c = cursorOf(row, JSON.parse(part) as Part);
      cursors[i] = c;
      partTexts.set(c, part);
    });
    rt.log('info', 'report', `full scan of ${files.length} file(s)${pooled ? ' on worker threads' : ''}`);
    files.forEach((f, i) => {
      if (cursors[i] === null) cursors[i] = readOn(f, null)?.cursor ?? null;
    });
  } else {
    const byPath = new Map(known.map((c) => [c.path, c]));
    let readOnCount = 0;
    let added = 0;
    let rescanned = 0;
    cursors = files.map((f) => {
      const prev = byPath.get(f) ?? null;
      const r = readOn(f, prev);
      if (r !== null && r.cursor !== prev) {
        if (prev === null) added++;
        else if (r.rescanned) rescanned++;
        else readOnCount++;
      }
      return r?.cursor ?? null;
    });
    const gone = known.length - files.filter((f) => byPath.has(f)).length;
    rt.log(
      'info',
      'report',
      `changed files: ${readOnCount} read on from where their last read stopped, ${added} new, ${rescanned} read again from the first byte, ${gone} gone`,
    );
  }
  const present = cursors.filter((c): c is UsageCursor => c !== null);
  const report = reportOf(files.length, present);
  try {
    writeReportCache(rt, roots, present, report, partTexts);
  } catch (e) {
    const code = cannotSave(e);
    if (code !== null) warn(cannotSaveLine(rt.paths.stateDir, code, 'the report is complete; the next one reads every transcript again', 'the report cache'));
    rt.log('warn', 'report', `report cache not written: ${e instanceof Error ? e.message : String(e)}`);
  }
  return report;
}

/** Whether every listed file is, in order, a row of the cache in the state it was read at (one stat each). */
function unchanged(cache: ReportCache, files: readonly string[]): boolean {
  const rows = cache.head.rows;
  if (rows.length !== files.length) return false;
  for (let i = 0; i < files.length; i++) {
    if (rows[i]![0] !== files[i]) return false;
    let st;
    try {
      st = statSync(files[i]!);
    } catch {
      return false;
    }
    if (!rowUnchanged(rows[i]!, st)) return false;
  }
  return true;
}

/**
 * One transcript caught up from `prev` (its last read, or null) with a `usage` read; null when it is gone.
 * @throws fs errors other than ENOENT
 */
function readOn(file: string, prev: TranscriptCursor | null): { cursor: UsageCursor; rescanned: boolean } | null {
  try {
    if (prev !== null && sameState(prev, statSync(file))) return { cursor: prev, rescanned: false };
    const r = catchUpTranscript(file, prev, { ownsPrev: true, scope: 'usage' });
    return { cursor: r.cursor, rescanned: r.rescanned };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The report of the files read (in list order), with `listed` files and the line counts of those read. */
function reportOf(listed: number, cursors: readonly UsageCursor[]): UsageReport {
  let lines = 0;
  let malformedLines = 0;
  for (const c of cursors) {
    lines += c.digest.lines;
    malformedLines += c.digest.malformedLines;
  }
  return buildReport(mergeDigests(cursors.map((c) => c.digest)), { files: listed, lines, malformedLines });
}

function sameStrings(a: readonly unknown[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
