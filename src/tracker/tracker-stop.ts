import { readHolder } from '../store/lock-holder.ts';
import { trackerRunning } from '../front/kick.ts';
import type { StatePaths } from '../store/paths.ts';

/**
 * Asks the background tracker of `paths` to stop, for an uninstall: SIGTERM, on which it lets go of its
 * lock and leaves the events it has not tracked in the spool. Only a tracker holding a fresh lock is
 * signalled (it wrote `cco/tracker.lock.holder` when it took the lock), so a stale pid file never reaches
 * another process.
 *
 * @param nowMs the clock (epoch ms), for the lock's freshness
 * @returns the pid signalled, or null when no tracker runs (or it could not be signalled)
 * @throws never
 */
export function stopBackgroundTracker(paths: Pick<StatePaths, 'trackerLock'>, nowMs: number = Date.now()): number | null {
  if (!trackerRunning(paths, nowMs)) return null;
  try {
    const pid = readHolder(paths.trackerLock)?.pid;
    if (pid === undefined || pid === process.pid) return null;
    process.kill(pid, 'SIGTERM');
    return pid;
  } catch {
    return null;
  }
}
