import { ago, fix, ok, plural, type CheckResult } from './check.ts';

/** A hook event older than this (ms) still in the spool means the tracker is not keeping up or not running. */
export const SPOOL_BACKLOG_MS = 2 * 60_000;

/** What the spool holds: each waiting hook event's age (ms), and whether a tracker holds its lock now. */
export interface SpoolFacts {
  ages: number[];
  trackerRunning: boolean;
}

/**
 * The background tracker keeps up: no hook event has waited in `cco/spool/` longer than
 * SPOOL_BACKLOG_MS. Otherwise the state is behind the hooks (the status line and alerts too). Pure.
 */
export function checkSpool(f: SpoolFacts): CheckResult {
  const late = f.ages.filter((a) => a > SPOOL_BACKLOG_MS);
  if (late.length === 0) {
    const now = f.ages.length === 0 ? 'no hook events waiting' : `${plural(f.ages.length, 'hook event')} being tracked`;
    return ok('tracker', `${now}${f.trackerRunning ? '; the background tracker is running' : ''}`);
  }
  const oldest = Math.max(...late);
  return fix(
    'tracker',
    `${plural(late.length, 'hook event')} waiting for the background tracker, the oldest since ${ago(oldest)}${f.trackerRunning ? ' (a tracker holds the lock)' : ' (no tracker running)'}`,
    'cco sync (tracks them now); then look in cco/logs/cco.log for "tracker" lines',
  );
}
