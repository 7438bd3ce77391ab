import { statSync } from 'node:fs';

/** A tracker lock whose mtime is older than this (ms) belongs to a dead tracker (proper-lockfile `stale`). */
export const TRACKER_STALE_MS = 10_000;

/**
 * Whether a background tracker holds the lock now: its lock dir exists and was refreshed within
 * TRACKER_STALE_MS (proper-lockfile refreshes it every stale/2). One stat, no lock taken.
 *
 * @param lockDir `<paths.trackerLock>.lock`
 * @param nowMs the clock (epoch ms)
 */
export function trackerRunning(lockDir: string, nowMs: number = Date.now()): boolean {
  try {
    return nowMs - statSync(lockDir).mtimeMs < TRACKER_STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Starts the background tracker (`node <trackerScript>`) unless one is running: detached, in its own
 * process group, with no stdio of ours, so Claude Code does not wait for it and a hook timeout does not
 * kill it. The tracker drains every entry spooled before and while it runs (and looks again after it
 * lets go of its lock), so a hook that sees it running only needs to have spooled first.
 *
 * @returns `running` (left to the running tracker) or `started`
 * @throws spawn errors (ENOENT for a missing node or script)
 */
export function kickTracker(trackerScript: string, lockDir: string, env: NodeJS.ProcessEnv = process.env): 'running' | 'started' {
  if (trackerRunning(lockDir)) return 'running';
  // Loaded here: only a hook that starts the tracker pays for node:child_process.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(process.execPath, [trackerScript], { detached: true, stdio: 'ignore', env, windowsHide: true });
  child.on('error', () => undefined);
  child.unref();
  return 'started';
}
