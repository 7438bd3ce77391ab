import { existsSync } from 'node:fs';
import { TRACKER_STALE_MS, trackerRunning } from '../front/kick.ts';
import { listSpool } from '../front/spool.ts';
import type { Runtime } from '../runtime.ts';
import { acquireLock, LockBusyError } from '../store/update.ts';
import { drainSpool } from './drain.ts';
import { kickThrottleMs, markTrackerDone, markTrackerRunning } from './kick-files.ts';
import { pruneOutbox } from './outbox-write.ts';
import { pruneRefusals } from './refused-paths.ts';
import { pruneSpoolTemps } from './spool-read.ts';

/** Lock budget per state file inside the tracker (ms): it is in the background, so it can wait longer than a hook. */
const TRACKER_LOCK_BUDGET_MS = 5_000;
/**
 * A tracker's whole run (ms). It drains the spool and goes (it never waits for events); a drain still
 * going past this stops between two jobs, and the next trigger's tracker goes on from the spool (a
 * machine so loaded that a drain takes this long is better served by a fresh start than a long one).
 */
export const TRACKER_RUN_LIMIT_MS = 30_000;

/** What a tracker run did. */
export interface TrackerRun {
  /** `drained`: the spool was empty when it let go; `busy`: another tracker held the lock; `limit`: stopped at the deadline. */
  outcome: 'drained' | 'busy' | 'limit';
  tracked: number;
  settled: number;
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/**
 * A tracker's whole run (dist/tracker.mjs, started by a hook front; also `cco` commands finishing what
 * is left): take the tracker lock (waiting up to `lockWaitMs`), drain the spool until it is empty, let
 * go, and look once more: an entry spooled by a hook that saw the lock still held is drained by the
 * same run, so no event waits for a later hook. While it holds the lock the kick files say so
 * (src/tracker/kick-files.ts); when it goes, they let the shell fronts start the next one.
 *
 * @param lockWaitMs how long to wait for the lock (0 for the background tracker: one runs at a time)
 * @param limitMs the run's whole budget (ms)
 * @throws fs errors of the spool and the lock (the caller logs them)
 */
export async function runTracker(rt: Runtime, lockWaitMs: number, limitMs: number = TRACKER_RUN_LIMIT_MS): Promise<TrackerRun> {
  const deadline = Date.now() + limitMs;
  let tracked = 0;
  let settled = 0;
  for (let first = true; ; first = false) {
    let release: () => Promise<void>;
    try {
      release = await acquireLock(rt.paths.trackerLock, first ? lockWaitMs : 0, TRACKER_STALE_MS);
    } catch (e) {
      if (e instanceof LockBusyError) return { outcome: 'busy', tracked, settled };
      throw e;
    }
    try {
      markTrackerRunning(rt.paths, rt.now().getTime() + Math.max(0, deadline - Date.now()));
      while (listSpool(rt.paths.spoolDir).length > 0) {
        if (Date.now() >= deadline) return { outcome: 'limit', tracked, settled };
        if (!existsSync(rt.paths.stateDir)) break; // the config dir was removed: nothing to track into
        const r = await drainSpool(rt, { lockBudgetMs: TRACKER_LOCK_BUDGET_MS, deadlineMs: deadline });
        tracked += r.tracked;
        settled += r.settled;
        // A busy state lock, or only entries still being written: look again shortly, not in a spin.
        if (r.busy || r.settled === 0) await sleep(100);
      }
      pruneOutbox(rt.paths.outboxDir, rt.now().getTime());
      pruneSpoolTemps(rt.paths.spoolDir, rt.now().getTime());
      pruneRefusals(rt.paths.ccoDir, rt.now().getTime());
    } finally {
      if (existsSync(rt.paths.ccoDir)) markTrackerDone(rt.paths, rt.now().getTime(), kickThrottleMs(rt.env));
      await release().catch(() => undefined);
    }
    if (listSpool(rt.paths.spoolDir).length === 0) return { outcome: 'drained', tracked, settled };
  }
}

/**
 * Waits until every hook event spooled so far is tracked: while a tracker runs, for it (up to
 * `budgetMs`; a tracker never lingers, so one that runs is at work, maybe on pokes it already claimed
 * and so no longer lists); when none runs, drains what is left here.
 * @returns the spool entries left (0: the state is up to date)
 * @throws fs errors of the spool and the lock
 */
export async function waitForSpool(rt: Runtime, budgetMs: number): Promise<{ left: number; tracked: number }> {
  const until = Date.now() + budgetMs;
  let tracked = 0;
  for (;;) {
    if (trackerRunning(rt.paths)) {
      if (Date.now() >= until) break;
      await sleep(25);
      continue;
    }
    if (listSpool(rt.paths.spoolDir).length === 0) break;
    const r = await runTracker(rt, 0, Math.max(1_000, until - Date.now()));
    tracked += r.tracked;
    if (r.outcome === 'limit' || (r.outcome === 'busy' && Date.now() >= until)) break;
  }
  return { left: listSpool(rt.paths.spoolDir).length, tracked };
}

/**
 * Brings the state up to date with every hook event spooled so far, for a command about to read it
 * (waitForSpool within `budgetMs`). A tracker still busy past the budget leaves the state as it is (the
 * command shows it; the tracker finishes on its own).
 * @throws never (failures are logged)
 */
export async function settleTracker(rt: Runtime, budgetMs: number): Promise<void> {
  try {
    await waitForSpool(rt, budgetMs);
  } catch (e) {
    rt.log('warn', 'tracker', `settle: ${e instanceof Error ? e.message : String(e)}`);
  }
}
