import { listSpool } from '../front/spool.ts';
import { TRACKER_STALE_MS } from '../front/kick.ts';
import type { Runtime } from '../runtime.ts';
import { acquireLock, LockBusyError } from '../store/update.ts';
import { drainSpool } from './drain.ts';
import { pruneOutbox } from './outbox-write.ts';
import { pruneSpoolTemps } from './spool-read.ts';

/** Lock budget per state file inside the tracker (ms): it is in the background, so it can wait longer than a hook. */
export const TRACKER_LOCK_BUDGET_MS = 5_000;
/** A tracker run ends after this long (ms) even with entries left (a later hook starts the next one). */
export const TRACKER_RUN_LIMIT_MS = 60_000;

/** What a tracker run did. */
export interface TrackerRun {
  /** `drained`: the spool was empty when it let go; `busy`: another tracker held the lock; `limit`: stopped at the deadline. */
  outcome: 'drained' | 'busy' | 'limit';
  tracked: number;
  settled: number;
}

/**
 * The background tracker's whole run (dist/tracker.mjs, started by a hook front; also `cco` commands
 * before they read the state): take the tracker lock (waiting up to `lockWaitMs`), drain the spool until
 * it is empty, let go, and look once more: an entry spooled by a hook that saw the lock still held is
 * drained by the same run, so no event waits for a later hook.
 *
 * @param lockWaitMs how long to wait for a running tracker (0 for the background tracker: one runs at a time)
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
      while (listSpool(rt.paths.spoolDir).length > 0) {
        if (Date.now() >= deadline) return { outcome: 'limit', tracked, settled };
        const r = await drainSpool(rt, { lockBudgetMs: TRACKER_LOCK_BUDGET_MS, deadlineMs: deadline });
        tracked += r.tracked;
        settled += r.settled;
        if (r.busy) await new Promise((res) => setTimeout(res, 100));
      }
      pruneOutbox(rt.paths.outboxDir, rt.now().getTime());
      pruneSpoolTemps(rt.paths.spoolDir, rt.now().getTime());
    } finally {
      await release().catch(() => undefined);
    }
    if (listSpool(rt.paths.spoolDir).length === 0) return { outcome: 'drained', tracked, settled };
  }
}

/**
 * Brings the state up to date with every hook event spooled so far, for a command about to read it:
 * nothing to do when the spool is empty; else waits up to `budgetMs` for a running tracker and drains
 * what is left itself. A tracker still busy past the budget leaves the state as it is (the command
 * shows it; the tracker finishes on its own).
 * @throws never (failures are logged)
 */
export async function settleTracker(rt: Runtime, budgetMs: number): Promise<void> {
  try {
    if (listSpool(rt.paths.spoolDir).length === 0) return;
    await runTracker(rt, budgetMs, Math.max(budgetMs, 1_000));
  } catch (e) {
    rt.log('warn', 'tracker', `settle: ${e instanceof Error ? e.message : String(e)}`);
  }
}
