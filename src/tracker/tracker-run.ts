import { listSpool } from '../front/spool.ts';
import { existsSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { TRACKER_STALE_MS, trackerRunning } from '../front/kick.ts';
import type { Runtime } from '../runtime.ts';
import { processAlive } from '../claude/process-memory.ts';
import { acquireLock, LockBusyError } from '../store/update.ts';
import { bundleReplaced } from './bundle-identity.ts';
import { drainSpool } from './drain.ts';
import { lingerLeftMs, type LingerPolicy } from './linger.ts';
import { pruneOutbox } from './outbox-write.ts';
import { pruneSpoolTemps } from './spool-read.ts';

/** Lock budget per state file inside the tracker (ms): it is in the background, so it can wait longer than a hook. */
export const TRACKER_LOCK_BUDGET_MS = 5_000;
/**
 * A background tracker's whole life (ms): past it, it ends and the next hook starts a fresh one (a
 * fresh heap; a replaced bundle is noticed sooner, see TrackerStay.bundle).
 */
export const TRACKER_RUN_LIMIT_MS = 60 * 60_000;
/**
 * A lingering tracker wakes on the spool dir's change events (inotify), and looks anyway this often
 * (ms): for a Claude Code process that ended, a replaced bundle, an event a watch missed.
 */
const WATCHED_POLL_MS = 5_000;
/** Without a watch (no spool dir yet, no inotify) it looks this often (ms). */
const LINGER_POLL_MS = 1_000;

/** When a tracker whose spool is empty stays for the next event (all optional: by default it goes at once). */
export interface TrackerStay {
  linger?: LingerPolicy;
  /**
   * The tracker's own bundle (dist/tracker.mjs, absolute). It goes once that file is replaced or removed
   * (a plugin update, an uninstall; bundleReplaced), or once it tracked an entry whose front starts
   * another bundle (SpoolEntry.tracker: the plugin was updated into a new dir).
   */
  bundle?: string;
}

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
 * Resolves on the next change in the spool dir (a hook's rename), or after `ms` (at most
 * WATCHED_POLL_MS; LINGER_POLL_MS without a watch: no dir, no inotify). The watch is set up before the
 * spool is looked at again, so an entry that lands in between is not missed.
 */
function spoolChange(spoolDir: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let w: FSWatcher | null = null;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      w?.close();
      resolve();
    };
    try {
      w = watch(spoolDir, done);
      w.on('error', done);
    } catch {
      // no dir yet: the timer
    }
    timer = setTimeout(done, Math.max(0, Math.min(ms, w === null ? LINGER_POLL_MS : WATCHED_POLL_MS)));
    if (listSpool(spoolDir).length > 0) done();
  });
}

/**
 * A tracker's whole run (dist/tracker.mjs, started by a hook front; also `cco` commands finishing what
 * is left): take the tracker lock (waiting up to `lockWaitMs`), drain the spool until it is empty, stay
 * for new events as `stay` says (draining each as it comes; lingerLeftMs), let go, and look once more:
 * an entry spooled by a hook that saw the lock still held is drained by the same run, so no event waits
 * for a later hook.
 *
 * @param lockWaitMs how long to wait for the lock (0 for the background tracker: one runs at a time)
 * @param limitMs the run's whole budget (ms)
 * @param stay when to stay after the spool empties; `{}` goes at once
 * @throws fs errors of the spool and the lock (the caller logs them)
 */
export async function runTracker(rt: Runtime, lockWaitMs: number, limitMs: number = TRACKER_RUN_LIMIT_MS, stay: TrackerStay = {}): Promise<TrackerRun> {
  const deadline = Date.now() + limitMs;
  let tracked = 0;
  let settled = 0;
  // The Claude Code processes whose events this run tracked; a dead one is forgotten.
  const claudePids = new Set<number>();
  const replaced = stay.bundle === undefined ? () => false : bundleReplaced(stay.bundle);
  let superseded = false;
  const claudeRuns = (): boolean => {
    for (const pid of claudePids) {
      if (processAlive(pid) === false) claudePids.delete(pid);
    }
    return claudePids.size > 0;
  };
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
          for (const pid of r.claudePids) claudePids.add(pid);
          if (stay.bundle !== undefined && !superseded && r.trackers.some((t) => t !== stay.bundle)) {
            superseded = true;
            rt.log('info', 'tracker', `hooks now start ${r.trackers.find((t) => t !== stay.bundle)}: this tracker (${stay.bundle}) stops staying`);
          }
          if (r.busy) await sleep(100);
          idleSince = Date.now();
          continue;
        }
        const left = stay.linger === undefined ? 0 : lingerLeftMs(stay.linger, Date.now() - idleSince, claudeRuns(), superseded || replaced());
        if (left <= 0 || Date.now() >= deadline || !existsSync(rt.paths.ccoDir)) break;
        await spoolChange(rt.paths.spoolDir, Math.min(left, deadline - Date.now()));
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
