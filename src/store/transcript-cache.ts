import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { catchUpTranscript, sameState, type CatchUp, type TranscriptCursor } from '../claude/transcript-reader.ts';
import type { Runtime } from '../runtime.ts';
import { checkCursorFile, CURSOR_VERSION } from './cursor-check.ts';
import { writeCacheFile } from './cache-write.ts';
import { moveAside } from './move-aside.ts';
import { readRegular } from './read-regular.ts';

/** Where the cursor of `transcript` is cached: `cco/cache/transcripts/<sha1 of path>.json`. */
export function cursorFile(rt: Runtime, transcript: string): string {
  return cursorFileIn(rt.paths.transcriptCacheDir, transcript);
}

function cursorFileIn(cacheDir: string, transcript: string): string {
  return path.join(cacheDir, createHash('sha1').update(transcript).digest('hex') + '.json');
}

/**
 * Cursors read or computed by this process, by cache file: a second catch-up of an unchanged transcript
 * in the same run (a report after its scan, a tracker rebuild after a hook's own catch-up) costs one stat.
 */
const memo = new Map<string, TranscriptCursor>();

/**
 * Catches up one transcript from its cache file: reads what was appended since the cached cursor and
 * writes the new cursor back. A transcript whose inode, size, mtime and ctime are those of the cursor is
 * not opened at all; one that did not grow while they moved is read again from the start (see catchUpTranscript).
 *
 * The cache needs no lock: a cursor is a function of the transcript's bytes up to its offset, so two
 * processes catching up the same file (parallel tool calls) compute the same digest for the same bytes
 * and never count anything twice; each writes its cursor atomically (temp file, rename), and whichever
 * rename lands last is a valid cursor too (an older one only makes the next read start earlier). It is
 * not fsynced either: a cache lost in a crash is rebuilt from the transcript.
 *
 * A cache file that is not JSON or fails the shape check is quarantined (`*.corrupt-<time>`, logged) and
 * the transcript re-read; a cache of another format version (an older or newer build) is replaced.
 *
 * @param opts.persist false reads with the cache (if any) but writes nothing (read-only state dir)
 * @param opts.lockBudgetMs ignored (kept for callers: the cache takes no lock)
 * @throws the fs error of the transcript (ENOENT, EACCES), or of writing the cache (EACCES, EROFS)
 */
export async function catchUpCached(rt: Runtime, transcript: string, opts: { lockBudgetMs?: number; persist?: boolean } = {}): Promise<CatchUp> {
  return catchUpCachedSync(rt.paths.transcriptCacheDir, transcript, {
    persist: opts.persist !== false,
    onQuarantine: (f, to, why) => rt.log('warn', 'cache', `${f} moved to ${to}: ${why}`),
    now: rt.now,
  });
}

export interface CacheOptions {
  persist: boolean;
  onQuarantine?: (file: string, to: string, why: string) => void;
  now?: () => Date;
}

/** `catchUpCached` without the Runtime, synchronous (also what the scan workers run). */
function catchUpCachedSync(cacheDir: string, transcript: string, o: CacheOptions): CatchUp {
  const key = memoKey(cacheDir, transcript);
  const known = memo.get(key);
  if (known !== undefined) {
    const st = statSync(transcript);
    if (sameState(known, st)) return { cursor: known, changes: [], rescanned: false, bytesRead: 0 };
    const r = catchUpTranscript(transcript, known);
    return finish(key, cursorFileIn(cacheDir, transcript), r, o);
  }
  const file = cursorFileIn(cacheDir, transcript);
  const cached = readCursorFile(file, o);
  const prev = cached !== null && cached.path === transcript ? cached : null;
  // The cursor was just parsed from its file: nobody else holds it, so the read may fold into it in place.
  const r = catchUpTranscript(transcript, prev, { ownsPrev: true });
  if (prev !== null && r.bytesRead === 0 && !r.rescanned) {
    memo.set(key, r.cursor);
    return r;
  }
  return finish(key, file, r, o);
}

function finish(key: string, file: string, r: CatchUp, o: CacheOptions): CatchUp {
  if (o.persist) writeCursorFile(file, r.cursor);
  memo.set(key, r.cursor);
  return r;
}

function memoKey(cacheDir: string, transcript: string): string {
  return `${cacheDir}\0${transcript}`;
}

/**
 * True when `transcript` was read before (a cursor in this process or in its cache file) and its stat
 * `st` no longer matches that read: it changed since, whatever its mtime says (a rewrite with the mtime
 * put back moves the ctime). False when it was never read or is unchanged. Reads the cache file (no
 * lock, no quarantine: the catch-up that follows does that).
 */
export function changedSinceRead(rt: Runtime, transcript: string, st: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): boolean {
  const known = memo.get(memoKey(rt.paths.transcriptCacheDir, transcript));
  const cursor = known ?? readCursorFile(cursorFileIn(rt.paths.transcriptCacheDir, transcript), { persist: false });
  return cursor !== null && cursor.path === transcript && !sameState(cursor, st);
}

/** Forgets the cursors this process holds (tests; a long-running caller that wants fresh reads). */
export function clearCursorMemo(): void {
  memo.clear();
}

/**
 * The cursor in `file`, or null when there is none, it is of another version, or it is unusable (then it
 * is quarantined when persisting, so that it is looked at once, not re-read on every run).
 */
function readCursorFile(file: string, o: CacheOptions): TranscriptCursor | null {
  const read = readRegular(file);
  if (read.kind === 'missing') return null;
  if (read.kind === 'unreadable') {
    // A directory or FIFO in a cache file's place is moved aside like a corrupt one; EACCES is not ours to fix.
    if (read.code !== null) throw new Error(read.reason);
    quarantine(file, read.reason, o);
    return null;
  }
  const text = read.text;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    quarantine(file, `not JSON (${(e as Error).message})`, o);
    return null;
  }
  const checked = checkCursorFile(raw);
  if (checked.kind === 'ok') return checked.cursor;
  if (checked.kind === 'invalid') quarantine(file, `schema: ${checked.reason}`, o);
  return null;
}

function quarantine(file: string, why: string, o: CacheOptions): void {
  if (!o.persist) return;
  const to = moveAside(file, o.now?.() ?? new Date());
  if (to !== null) o.onQuarantine?.(file, to, why);
}

/** Writes the cursor atomically: a temp file of this process and thread, then a rename over the cache file. */
function writeCursorFile(file: string, c: TranscriptCursor): void {
  writeCacheFile(file, JSON.stringify({ version: CURSOR_VERSION, ...c }));
}
