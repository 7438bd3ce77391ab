import { ago, fix, ok, plural, type CheckResult } from './check.ts';

/**
 * The stale time of our locks (ms): `update()`'s default `staleMs` (src/store/update.ts). A lock whose
 * holder has not refreshed it for this long is taken over by the next writer.
 */
export const STALE_LOCK_MS = 10_000;

/** A `<file>.lock` folder and how long ago it was last refreshed (ms). */
export interface LockFact {
  path: string;
  ageMs: number;
}

/**
 * Stale locks: lock folders older than the stale time. The next write of the same file takes such a
 * lock over, but a file written rarely keeps it; removing it is safe. Pure.
 */
export function checkLocks(locks: readonly LockFact[], staleMs = STALE_LOCK_MS): CheckResult {
  const stale = locks.filter((l) => l.ageMs > staleMs);
  if (stale.length === 0) {
    return ok('locks', locks.length === 0 ? 'no locks held' : `${plural(locks.length, 'lock')} held right now by a running writer (fresh)`);
  }
  const oldest = stale.reduce((a, b) => (b.ageMs > a.ageMs ? b : a));
  return fix('locks', `${plural(stale.length, 'stale lock')} left by a process that died (${oldest.path}, last refreshed ${ago(oldest.ageMs)})`,
    `rmdir ${stale.map((l) => `"${l.path}"`).slice(0, 5).join(' ')}${stale.length > 5 ? ' ...' : ''} (the next write would take them over anyway)`);
}
