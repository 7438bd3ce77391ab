import { statSync, type Stats } from 'node:fs';
import { transcriptRoots } from '../store/account-dirs.ts';
import { listTranscripts } from '../claude/transcript-files.ts';
import { catchUpTranscript, sameState, type TranscriptCursor } from '../claude/transcript-reader.ts';
import type { Runtime } from '../runtime.ts';
import {
  cursorOf,
  identityOf,
  readReportCache,
  rowAndPart,
  rowUnchanged,
  writeReportCache,
  type CachedPart,
  type Part,
  type ReportCache,
  type ReportSide,
  type UsageCursor,
} from '../store/report-cache.ts';
import { scanUsageInPool } from '../store/scan-pool.ts';
import { mergeDigests } from '../usage/ledger.ts';
import type { EntryTuple } from '../claude/transcript-digest.ts';
import { countHash, keyHash, sortedHashes, withHashes } from '../usage/key-hashes.ts';
import { buildReportWithTail, type UsageReport } from '../usage/report.ts';
import { patchReport, type ReportWithTail } from '../usage/report-patch.ts';
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
 *   (the fingerprint of the bytes read unchanged), else from its first byte; the others keep their
 *   cached part, unread;
 * - when only live sessions wrote (every changed transcript appended to or new, no key just read that
 *   another transcript may hold, nothing before the last 5-hour block: `addedTo`), the new entries are
 *   added to the last report (usage/report-patch.ts) and only the changed parts are written: the cost
 *   follows the bytes appended, not the history;
 * - else the report is merged again from every part (DESIGN.md's dedupe rule across files);
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
    const c = readOn1(f, null);
    if (c !== null) cursors.push(c.cursor);
  }
  return reportOf(files.length, cursors).report;
}

/** A report with what its cache keeps: each file's part (in list order) and the side. */
interface Built {
  report: UsageReport;
  parts: CachedPart[];
  side: ReportSide;
}

async function cachedReport(rt: Runtime, warn: (line: string) => void): Promise<UsageReport> {
  const roots = [...transcriptRoots(rt)];
  const files = listTranscripts(roots);
  const cache = readReportCache(rt);
  const usable = cache !== null && sameStrings(cache.head.roots, roots) ? cache : null;
  // One stat per file for the whole report: the warm check's are the patch's.
  const stats = new Map<string, Stats | null>();
  const statOf = (f: string) => {
    let st = stats.get(f);
    if (st === undefined) {
      try {
        st = statSync(f);
      } catch {
        st = null;
      }
      stats.set(f, st);
    }
    return st;
  };
  if (usable !== null && unchanged(usable, files, statOf)) return usable.head.report;
  const caught = new Map<string, { cursor: UsageCursor; rescanned: boolean }>();
  const added = usable === null ? null : addedTo(rt, usable, files, statOf, caught);
  const built = added ?? (await rebuilt(rt, usable, files, caught));
  try {
    writeReportCache(rt, roots, built.parts, built.report, built.side, usable?.head.partFiles);
  } catch (e) {
    const code = cannotSave(e);
    if (code !== null) warn(cannotSaveLine(rt.paths.stateDir, code, 'the report is complete; the next one reads every transcript again', 'the report cache'));
    rt.log('warn', 'report', `report cache not written: ${e instanceof Error ? e.message : String(e)}`);
  }
  return built.report;
}

/**
 * The last report with what the transcripts gained since (usage/report-patch.ts), reading only the
 * changed files' appended bytes and parts, or null when that cannot give the full build's report:
 * a file gone or read again from its first byte, a key just read that another transcript may hold
 * (usage/key-hashes.ts), an entry before the last 5-hour block, a damaged side or part. The files it
 * caught up are left in `caught` for the full build.
 *
 * @throws fs errors of the transcripts other than ENOENT
 */
function addedTo(
  rt: Runtime,
  cache: ReportCache,
  files: readonly string[],
  statOf: (f: string) => Stats | null,
  caught: Map<string, { cursor: UsageCursor; rescanned: boolean }>,
): Built | null {
  const rows = cache.head.rows;
  const rowOf = new Map(rows.map((r, i) => [r[0], i]));
  const listed = new Set(files);
  const refuse = (why: string) => {
    rt.log('info', 'report', `the last report cannot be added to (${why}): merging every file's part again`);
    return null;
  };
  if (rows.some((r) => !listed.has(r[0]))) return refuse('a transcript is gone');
  const side = cache.side();
  if (side === null) return refuse('its side does not match its sum');
  const parts: CachedPart[] = [];
  const changes = { added: [] as EntryTuple[], grown: [] as [EntryTuple, EntryTuple][], files: files.length, lines: 0, malformedLines: 0 };
  const newHashes: number[] = [];
  // Hashes of the keys read in this run, by the file that read them: two files adding one key is a merge.
  const readBy = new Map<number, string>();
  const heldElsewhere = (h: number, file: string, heldHere: boolean) => {
    if (countHash(side.keys, h) - (heldHere ? 1 : 0) > 0) return true;
    const by = readBy.get(h);
    readBy.set(h, file);
    return by !== undefined && by !== file;
  };
  let readOn = 0;
  let fresh = 0;
  for (const f of files) {
    const i = rowOf.get(f);
    const row = i === undefined ? undefined : rows[i]!;
    const st = statOf(f);
    if (st === null) return refuse('a transcript went away while read');
    if (i !== undefined && rowUnchanged(row!, st)) {
      parts.push({ row: identityOf(row!), stored: cache.stored(i) });
      continue;
    }
    const prev = i === undefined ? null : cache.cursor(i);
    if (i !== undefined && prev === null) return refuse('a part does not match its sum');
    const before =
      prev === null
        ? null
        : { entries: prev.digest.entries.slice(), loose: prev.digest.loose.length, lines: prev.digest.lines, malformedLines: prev.digest.malformedLines };
    const r = readOn1(f, prev);
    if (r === null) return refuse('a transcript went away while read');
    caught.set(f, r);
    if (prev !== null && r.rescanned) return refuse('a transcript was rewritten');
    if (prev === null) fresh++;
    else readOn++;
    const d = r.cursor.digest;
    const old = before?.entries ?? [];
    for (let j = 0; j < d.entries.length; j++) {
      const t = d.entries[j]!;
      if (j < old.length && t === old[j]) continue;
      const h = keyHash(t[0]!);
      if (heldElsewhere(h, f, j < old.length)) return refuse('a response another transcript may hold');
      if (j < old.length) changes.grown.push([old[j]!, t]);
      else {
        changes.added.push(t);
        newHashes.push(h);
      }
    }
    for (let j = before?.loose ?? 0; j < d.loose.length; j++) changes.added.push(d.loose[j]!);
    changes.lines += d.lines - (before?.lines ?? 0);
    changes.malformedLines += d.malformedLines - (before?.malformedLines ?? 0);
    parts.push(asNewPart(r.cursor));
  }
  const patched = patchReport(cache.head.report, side.tail, changes);
  if (patched === null) return refuse('an entry before the last 5-hour block, or a figure at its limit');
  rt.log(
    'info',
    'report',
    `changed files: ${readOn} read on from where their last read stopped, ${fresh} new, 0 read again from the first byte, 0 gone; added to the last report`,
  );
  return { report: patched.report, parts, side: { keys: withHashes(side.keys, newHashes), tail: patched.tail } };
}

/**
 * The report merged from every file's part: the cached parts of unchanged files, the others caught up
 * (from `caught` when `addedTo` already did), or a full scan when there is no usable cache.
 *
 * @throws fs errors of the transcripts other than ENOENT
 */
async function rebuilt(
  rt: Runtime,
  cache: ReportCache | null,
  files: readonly string[],
  caught: ReadonlyMap<string, { cursor: UsageCursor; rescanned: boolean }>,
): Promise<Built> {
  const known = cache === null ? null : cachedParts(cache);
  const cursors: (UsageCursor | null)[] = files.map(() => null);
  // Each part's bytes where they are at hand (a cached file unchanged, a worker's read): written as they are.
  const stored = new Map<UsageCursor, CachedPart>();
  if (known === null) {
    // A full scan: every transcript from its first byte, on worker threads when that pays.
    const pooled = await scanUsageInPool(rt, files, (i, row, part) => {
      const c = cursorOf(row, JSON.parse(part) as Part);
      cursors[i] = c;
      stored.set(c, { row, part });
    });
    rt.log('info', 'report', `full scan of ${files.length} file(s)${pooled ? ' on worker threads' : ''}`);
    files.forEach((f, i) => {
      if (cursors[i] === null) cursors[i] = readOn1(f, null)?.cursor ?? null;
    });
  } else {
    let readOn = 0;
    let added = 0;
    let rescanned = 0;
    files.forEach((f, i) => {
      const prev = known.get(f) ?? null;
      const c = caught.get(f);
      const r = readOn1(f, c?.cursor ?? prev?.cursor ?? null);
      if (r !== null && r.cursor !== prev?.cursor) {
        if (prev === null) added++;
        else if (r.rescanned || c?.rescanned === true) rescanned++;
        else readOn++;
      }
      if (r !== null && prev !== null && r.cursor === prev.cursor) stored.set(prev.cursor, prev.stored);
      cursors[i] = r?.cursor ?? null;
    });
    const gone = known.size - files.filter((f) => known.has(f)).length;
    rt.log(
      'info',
      'report',
      `changed files: ${readOn} read on from where their last read stopped, ${added} new, ${rescanned} read again from the first byte, ${gone} gone; merged from every file's part`,
    );
  }
  const present = cursors.filter((c): c is UsageCursor => c !== null);
  const { report, tail } = reportOf(files.length, present);
  const hashes: number[] = [];
  for (const c of present) for (const t of c.digest.entries) hashes.push(keyHash(t[0]!));
  return {
    report,
    parts: present.map((c) => stored.get(c) ?? asNewPart(c)),
    side: { keys: sortedHashes(hashes), tail },
  };
}

/** A cursor's part for the cache, as new JSON. */
function asNewPart(c: UsageCursor): CachedPart {
  const { row, part } = rowAndPart(c);
  return { row, part: JSON.stringify(part) };
}

/** Every cached file's cursor and stored part, by path, or null when a part does not match its sum. */
function cachedParts(cache: ReportCache): Map<string, { cursor: UsageCursor; stored: CachedPart }> | null {
  const out = new Map<string, { cursor: UsageCursor; stored: CachedPart }>();
  for (let i = 0; i < cache.head.rows.length; i++) {
    const row = cache.head.rows[i]!;
    const cursor = cache.cursor(i);
    if (cursor === null) return null;
    out.set(row[0], { cursor, stored: { row: identityOf(row), stored: cache.stored(i) } });
  }
  return out;
}

/** Whether every listed file is, in order, a row of the cache in the state it was read at (one stat each). */
function unchanged(cache: ReportCache, files: readonly string[], statOf: (f: string) => Stats | null): boolean {
  const rows = cache.head.rows;
  if (rows.length !== files.length) return false;
  for (let i = 0; i < files.length; i++) {
    if (rows[i]![0] !== files[i]) return false;
    const st = statOf(files[i]!);
    if (st === null || !rowUnchanged(rows[i]!, st)) return false;
  }
  return true;
}

/**
 * One transcript caught up from `prev` (its last read, or null) with a `usage` read; null when it is gone.
 * @throws fs errors other than ENOENT
 */
function readOn1(file: string, prev: TranscriptCursor | null): { cursor: UsageCursor; rescanned: boolean } | null {
  try {
    if (prev !== null && sameState(prev, statSync(file))) return { cursor: prev, rescanned: false };
    const r = catchUpTranscript(file, prev, { ownsPrev: true, scope: 'usage' });
    return { cursor: r.cursor, rescanned: r.rescanned };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The report of the files read (in list order), with `listed` files and the line counts of those read, and its tail. */
function reportOf(listed: number, cursors: readonly UsageCursor[]): ReportWithTail {
  let lines = 0;
  let malformedLines = 0;
  for (const c of cursors) {
    lines += c.digest.lines;
    malformedLines += c.digest.malformedLines;
  }
  return buildReportWithTail(mergeDigests(cursors.map((c) => c.digest)), { files: listed, lines, malformedLines });
}

function sameStrings(a: readonly unknown[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
