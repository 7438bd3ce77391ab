import { listSpool } from '../front/spool.ts';
import { existsSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { TRACKER_STALE_MS, trackerRunning } from '../front/kick.ts';
import type { Runtime } from '../runtime.ts';
import { acquireLock, LockBusyError } from '../store/update.ts';
import { drainSpool } from './drain.ts';
import { pruneOutbox } from './outbox-write.ts';
import { pruneSpoolTemps } from './spool-read.ts';

/** Lock budget per state file inside the tracker (ms): it is in the background, so it can wait longer than a hook. */
export const TRACKER_LOCK_BUDGET_MS = 5_000;
/** A background tracker's whole life (ms): past it, it ends (the next hook starts a fresh one). */
export const TRACKER_RUN_LIMIT_MS = 10 * 60_000;
/**
 * How long a background tracker stays after the spool empties (ms), watching for the next event: in a
 * working session tool calls come seconds apart, so the hooks find it running and start none
 * (starting one costs a hook about 7 ms more: node:child_process and a fork). `CCO_TRACKER_LINGER_MS` overrides.
 */
export const TRACKER_LINGER_MS = 30_000;
/** A lingering tracker wakes on the spool dir's change events (inotify), and looks anyway this often (ms). */
const LINGER_POLL_MS = 1_000;

/** What a tracker run did. */
export interface TrackerRun {
  /** `drained`: the spool was empty when it let go; `busy`: another tracker held the lock; `limit`: stopped at the deadline. */
  outcome: 'drained' | 'busy' | 'limit';
  tracked: number;
  settled: number;
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** `cco/tracker.pid`: the process holding the tracker lock now (for `cco doctor`, and to stop a lingering one). */
function writePid(lockTarget: string): void {
  try {
    writeFileSync(`${lockTarget}.pid`, `${process.pid}\n`, { mode: 0o600 });
  } catch {
    // only informative
  }
}

/** How long a lingering tracker waits after a hook's event arrives before it drains (ms). */
const WAKE_DELAY_MS = 30;

/**
 * Resolves on the next change in the spool dir (a hook's rename), or after `ms`. The watch is set up
 * before the spool is looked at again, so an entry that lands in between is not missed; without a
 * watch (no dir, no inotify) it is a plain wait. Idle, it costs no CPU.
 */
function spoolChange(spoolDir: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let w: FSWatcher | null = null;
    const done = () => {
      clearTimeout(timer);
      w?.close();
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    try {
      w = watch(spoolDir, done);
      w.on('error', done);
    } catch {
      // no dir yet: the timer
    }
    if (listSpool(spoolDir).length > 0) done();
  });
}

/**
 * A tracker's whole run (dist/tracker.mjs, started by a hook front; also `cco` commands finishing what
 * is left): take the tracker lock (waiting up to `lockWaitMs`), drain the spool until it is empty, stay
 * `lingerMs` more for new events (draining each as it comes), let go, and look once more: an entry
 * spooled by a hook that saw the lock still held is drained by the same run, so no event waits for a later hook.
 *
 * @param lockWaitMs how long to wait for the lock (0 for the background tracker: one runs at a time)
 * @param limitMs the run's whole budget (ms)
 * @param lingerMs how long to stay after the spool empties (ms); 0 to go at once
 * @throws fs errors of the spool and the lock (the caller logs them)
 */
export async function runTracker(rt: Runtime, lockWaitMs: number, limitMs: number = TRACKER_RUN_LIMIT_MS, lingerMs = 0): Promise<TrackerRun> {
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
      writePid(rt.paths.trackerLock);
      let idleSince = Date.now();
      for (;;) {
        if (listSpool(rt.paths.spoolDir).length > 0) {
          if (Date.now() >= deadline) return { outcome: 'limit', tracked, settled };
          if (!existsSync(rt.paths.stateDir)) break; // the config dir was removed: nothing to track into
          const r = await drainSpool(rt, { lockBudgetMs: TRACKER_LOCK_BUDGET_MS, deadlineMs: deadline });
          tracked += r.tracked;
          settled += r.settled;
          if (r.busy) await sleep(100);
          idleSince = Date.now();
          continue;
        }
        if (Date.now() - idleSince >= lingerMs || Date.now() >= deadline || !existsSync(rt.paths.ccoDir)) break;
        await spoolChange(rt.paths.spoolDir, Math.min(LINGER_POLL_MS, lingerMs - (Date.now() - idleSince)));
        // Let the hook that woke us exit first (Claude waits for it; on a 2-core machine our work would
        // slow it down), and take the hooks of parallel tool calls in one drain.
        if (listSpool(rt.paths.spoolDir).length > 0) await sleep(WAKE_DELAY_MS);
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
 * Waits until every hook event spooled so far is tracked: while a tracker runs, for it (up to
 * `budgetMs`); when none runs, drains what is left here (without lingering).
 * @returns the spool entries left (0: the state is up to date)
 * @throws fs errors of the spool and the lock
 */
export async function waitForSpool(rt: Runtime, budgetMs: number): Promise<{ left: number; tracked: number }> {
  const until = Date.now() + budgetMs;
  let tracked = 0;
  while (listSpool(rt.paths.spoolDir).length > 0) {
    if (trackerRunning(rt.paths)) {
      if (Date.now() >= until) break;
      await sleep(25);
      continue;
    }
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
