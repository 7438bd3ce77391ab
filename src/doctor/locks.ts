import type { LockHolder, LockVerdict } from '../store/lock-holder.ts';
import { ago, fix, ok, plural, type CheckResult } from './check.ts';

/**
 * The stale time of our locks (ms): `update()`'s default `staleMs` (src/store/update.ts). A lock whose
 * holder has not refreshed it for this long is taken over by the next writer.
 */
export const STALE_LOCK_MS = 10_000;

/**
 * A `<file>.lock` folder: how long ago it was last refreshed (ms; negative when its time lies in the
 * future), the holder it names, and the verdict of src/store/lock-holder.ts `judgeLock` on it.
 */
export interface LockFact {
  path: string;
  ageMs: number;
  holder: LockHolder | null;
  verdict: LockVerdict;
}

function label(l: LockFact): string {
  const who = l.holder === null ? '' : ` (pid ${l.holder.pid} on ${l.holder.host})`;
  if (l.verdict === 'dead') return `${l.path}: its holder${who} is dead`;
  if (l.verdict === 'suspect') return `${l.path}: its time is ${ago(-l.ageMs).replace(/ ago$/, '')} in the future (the clock stepped back?)${who}`;
  return `${l.path}: last refreshed ${ago(l.ageMs)}${who}`;
}

/**
 * Locks no running writer holds: a dead holder, a time in the future, or not refreshed for the stale
 * time. The next write of the same file takes such a lock over at once (dead, suspect) or once stale;
 * a file written rarely keeps it; removing it is safe. Pure.
 */
export function checkLocks(locks: readonly LockFact[]): CheckResult {
  const left = locks.filter((l) => l.verdict !== 'held');
  if (left.length === 0) {
    if (locks.length === 0) return ok('locks', 'no locks held');
    const who = locks.flatMap((l) => (l.holder === null ? [] : [`pid ${l.holder.pid}`]));
    return ok('locks', `${plural(locks.length, 'lock')} held right now by a running writer${who.length > 0 ? ` (${who.slice(0, 3).join(', ')})` : ' (fresh)'}`);
  }
  return fix(
    'locks',
    `${plural(left.length, 'lock')} left behind: ${left.slice(0, 2).map(label).join('; ')}${left.length > 2 ? '; ...' : ''}`,
    `rmdir ${left
      .map((l) => `"${l.path}"`)
      .slice(0, 5)
      .join(' ')}${left.length > 5 ? ' ...' : ''} (the next write would take them over anyway)`,
  );
}
