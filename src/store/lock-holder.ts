import { readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { processAlive } from '../claude/process-alive.ts';

/** The process holding one of our locks, as it wrote itself down next to the lock (`<file>.lock.holder`). */
export interface LockHolder {
  pid: number;
  host: string;
}

/** What a held lock is: `held` (leave it), `dead` (its holder died on this host), `suspect` (a time in the future), `stale` (not refreshed for `staleMs`). */
export type LockVerdict = 'held' | 'dead' | 'suspect' | 'stale';

/**
 * A live holder refreshes its lock (proper-lockfile, every stale/2); a time past this slack (ms) ahead of
 * our clock is no refresh of ours. proper-lockfile itself dates a new lock up to 1 s ahead (it rounds the
 * mtime up to whole seconds to probe the filesystem's precision), so the slack is well past that.
 */
export const FUTURE_SLACK_MS = 3_000;
/** A lock made this recently (ms) may belong to a new holder that has not written its holder file yet: a dead pid in that file is no proof. */
export const NEW_LOCK_MS = 1_000;

/**
 * Judges a lock that someone holds. Pure.
 *
 * - A holder on this host that is alive keeps it (it refreshes the time; a clock step back heals itself).
 * - A holder on this host that is dead loses it at once (unless the lock is under NEW_LOCK_MS old: the
 *   holder file may be the previous holder's).
 * - A lock time more than FUTURE_SLACK_MS in the future (the clock stepped back, or a forged time) is
 *   suspect, not fresh: no live holder of this host refreshes it.
 * - Else the age rule: older than `staleMs` is stale.
 *
 * @param lockMtimeMs the lock dir's mtime (epoch ms)
 * @param holder the holder file's content, null when missing or unreadable
 * @param alive whether `holder.pid` exists (processAlive), null when unknown
 */
export function judgeLock(lockMtimeMs: number, holder: LockHolder | null, alive: boolean | null, host: string, nowMs: number, staleMs: number): LockVerdict {
  const here = holder !== null && holder.host === host;
  if (here && alive === true) return nowMs - lockMtimeMs > staleMs ? 'stale' : 'held';
  if (here && alive === false && (nowMs - lockMtimeMs >= NEW_LOCK_MS || lockMtimeMs > nowMs + FUTURE_SLACK_MS)) return 'dead';
  if (lockMtimeMs > nowMs + FUTURE_SLACK_MS) return 'suspect';
  return nowMs - lockMtimeMs > staleMs ? 'stale' : 'held';
}

/** `<file>.lock.holder`: who holds the lock of `file` (proper-lockfile's `<file>.lock` dir). */
function holderFile(file: string): string {
  return `${file}.lock.holder`;
}

/** Parses a holder file's text (`<pid> <host>`). Pure. @returns null when it is not that */
export function parseHolder(text: string): LockHolder | null {
  const m = /^(\d{1,10}) (\S{1,255})\s*$/.exec(text);
  if (m === null) return null;
  const pid = Number(m[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, host: m[2]! } : null;
}

/** Reads the holder of `file`'s lock. @returns null when there is none or it is unreadable; never throws */
export function readHolder(file: string): LockHolder | null {
  try {
    return parseHolder(readFileSync(holderFile(file), 'utf8'));
  } catch {
    return null;
  }
}

/** Writes this process down as the holder of `file`'s lock (right after taking it). Never throws: it only helps others judge. */
export function writeHolder(file: string): void {
  try {
    writeFileSync(holderFile(file), `${process.pid} ${os.hostname()}\n`, { mode: 0o600 });
  } catch {
    // informative only
  }
}

/** Removes this process's holder file of `file` (right before letting go). Never throws. */
export function clearHolder(file: string): void {
  try {
    if (readHolder(file)?.pid === process.pid) unlinkSync(holderFile(file));
  } catch {
    // already gone
  }
}

/** The verdict on `file`'s lock as it is on disk now, with its holder. @returns null when no lock is there */
export function inspectLock(
  file: string,
  nowMs: number,
  staleMs: number,
): { verdict: LockVerdict; holder: LockHolder | null; mtimeMs: number; ino: number } | null {
  let st;
  try {
    st = statSync(`${file}.lock`);
  } catch {
    return null;
  }
  const holder = readHolder(file);
  const alive = holder !== null && holder.host === os.hostname() ? processAlive(holder.pid) : null;
  return { verdict: judgeLock(st.mtimeMs, holder, alive, os.hostname(), nowMs, staleMs), holder, mtimeMs: st.mtimeMs, ino: st.ino };
}

/**
 * Takes over `file`'s lock when inspectLock says its holder is dead or its time is suspect: the lock dir
 * is renamed aside (one process wins the rename) and removed, so the next lock attempt succeeds. Before
 * renaming, the dir is checked to be the one judged (same inode and mtime), so a lock just made by
 * someone else is left alone.
 *
 * @returns the verdict acted on (`dead`/`suspect`), or null when nothing was taken over
 * @throws never
 */
export function takeOverIfAbandoned(file: string, nowMs: number, staleMs: number): LockVerdict | null {
  const seen = inspectLock(file, nowMs, staleMs);
  if (seen === null || (seen.verdict !== 'dead' && seen.verdict !== 'suspect')) return null;
  const dir = `${file}.lock`;
  const aside = `${dir}.abandoned-${process.pid}-${Date.now()}`;
  try {
    const again = statSync(dir);
    if (again.ino !== seen.ino || again.mtimeMs !== seen.mtimeMs) return null;
    renameSync(dir, aside);
  } catch {
    return null;
  }
  rmSync(aside, { recursive: true, force: true });
  try {
    if (readHolder(file)?.pid === seen.holder?.pid) unlinkSync(holderFile(file));
  } catch {
    // gone
  }
  return seen.verdict;
}
