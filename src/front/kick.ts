import { inspectLock } from '../store/lock-holder.ts';
import type { Runtime } from '../runtime.ts';
import type { StatePaths } from '../store/paths.ts';

/** A tracker lock whose mtime is older than this (ms) belongs to a dead tracker (proper-lockfile `stale`). */
export const TRACKER_STALE_MS = 10_000;

/**
 * Whether a background tracker holds the lock now: its lock dir exists, was refreshed within
 * TRACKER_STALE_MS (proper-lockfile refreshes it every stale/2) and not in the future, and the holder it
 * names (`tracker.lock.holder`) is not a dead process of this host. A stat and a small read; no lock
 * taken, no lock library loaded.
 *
 * Why the `<target>.lock` dir is read here rather than asked of proper-lockfile's public `checkSync`:
 * this runs in every hook front and status line run, which are dependency-free bundles of about 20 KB
 * with a budget of a few ms. Bundling proper-lockfile (with graceful-fs, retry, signal-exit) adds about
 * 22 KB minified and 2-8 ms of load (graceful-fs patches fs on load; measured with esbuild and
 * node 20). `checkSync` also judges by age alone, so a tracker that died on this host, or a lock time in
 * the future, would count as running for up to TRACKER_STALE_MS; inspectLock (src/store/lock-holder.ts)
 * reads the dir the same way the store's own takeover does.
 *
 * @param nowMs the clock (epoch ms)
 */
export function trackerRunning(paths: Pick<StatePaths, 'trackerLock'>, nowMs: number = Date.now()): boolean {
  return inspectLock(paths.trackerLock, nowMs, TRACKER_STALE_MS)?.verdict === 'held';
}

/**
 * Starts the background tracker (`node <trackerScript>`) unless one is running: detached, in its own
 * process group, with no stdio of ours, so Claude Code does not wait for it and a hook timeout does not
 * kill it. The tracker drains every entry spooled before and while it runs (and looks again after it
 * lets go of its lock), so a front that sees it running only needs to have spooled first.
 * `CCO_TRACKER=manual` starts none: fronts only spool, and the next `cco` command or `cco sync` tracks
 * (for debugging, and for measuring the tracker on its own).
 *
 * @returns `manual`, `running` (left to the running tracker) or `started`
 * @throws spawn errors (ENOENT for a missing node or script); the spooled entries stay for the next start
 */
export function startTracker(rt: Runtime, trackerScript: string): 'manual' | 'running' | 'started' {
  if (rt.env.CCO_TRACKER === 'manual') return 'manual';
  if (trackerRunning(rt.paths)) return 'running';
  // Loaded here: only a front that starts the tracker pays for node:child_process (about 5 ms).
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(process.execPath, [trackerScript], { detached: true, stdio: 'ignore', env: rt.env as NodeJS.ProcessEnv, windowsHide: true });
  child.on('error', () => undefined);
  child.unref();
  return 'started';
}
