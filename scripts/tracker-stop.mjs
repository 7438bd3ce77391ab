// Stopping a lingering background tracker (dist/tracker.mjs stays 30 s after its last event) for the bench
// and the stress run, which need "no tracker running" between phases. One shell snippet, so that it also
// serves as a hyperfine --prepare step.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A shell snippet that sends SIGTERM to the tracker holding `<configDir>/cco/tracker.lock` (its pid is in
 * `cco/tracker.pid`; on SIGTERM it lets go of its lock) and waits up to 30 s for the lock to go. Always
 * succeeds (a tracker that is already gone is fine).
 */
export function stopTrackerShell(configDir) {
  const lock = q(path.join(configDir, 'cco', 'tracker.lock'));
  const pid = q(path.join(configDir, 'cco', 'tracker.pid'));
  return `{ [ -e ${lock} ] && kill $(cat ${pid}) 2>/dev/null; for i in $(seq 1500); do [ -e ${lock} ] || break; sleep 0.02; done; true; }`;
}

/** Runs stopTrackerShell(configDir) and returns when the tracker lock is gone (or after 30 s). */
export function stopTracker(configDir) {
  spawnSync('sh', ['-c', stopTrackerShell(configDir)], { stdio: 'ignore' });
}
