// Removing a temp HOME that a background tracker may still be writing to. The hook and status line fronts
// start dist/tracker.mjs detached; it lingers after its last event (CCO_TRACKER_LINGER_MS), so a test's
// cleanup can race its last writes (rmdir: ENOTEMPTY). Stop it first, the way a user's SIGTERM would.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Sends SIGTERM to the tracker of `configDir` (pid in `cco/tracker.pid`) when its lock
 * (`cco/tracker.lock`) is held, and waits up to `timeoutMs` (ms) for the lock to go. Never throws.
 */
export function stopTrackerOf(configDir: string, timeoutMs = 10_000): void {
  const lock = path.join(configDir, 'cco', 'tracker.lock');
  if (!existsSync(lock)) return;
  try {
    process.kill(Number(readFileSync(path.join(configDir, 'cco', 'tracker.pid'), 'utf8').trim()), 'SIGTERM');
  } catch {
    // No pid file yet, or the tracker is already gone: wait for the lock all the same.
  }
  const until = Date.now() + timeoutMs;
  while (existsSync(lock) && Date.now() < until) pause(20);
}

/** Stops the tracker of each config dir in `configDirs`, then removes `root` (retrying a busy tree). Never throws. */
export function removeTempHome(root: string, configDirs: string[]): void {
  for (const dir of configDirs) stopTrackerOf(dir);
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch (err) {
    process.stderr.write(`test cleanup: could not remove ${root}: ${(err as Error).message}\n`);
  }
}
