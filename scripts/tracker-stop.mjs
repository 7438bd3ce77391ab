// Stopping a running background tracker (dist/tracker.mjs drains the spool and goes; up to a minute), for
// the bench and the stress run, which need "no tracker running" between phases, and for removing a temp
// HOME that such a tracker may still be writing to (tests, bench, stress run). The shell snippet serves as a
// hyperfine --prepare step; stopTracker does the same from Node.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Blocks this thread for `ms` (a wait between polls of a lock, where no event loop is worth keeping). */
export function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A shell snippet that sends SIGTERM to the tracker holding `<configDir>/cco/tracker.lock` (its pid is in
 * `cco/tracker.lock.holder` as `<pid> <host>`; on SIGTERM it lets go of its lock) and waits up to 30 s for the lock to go. Always
 * succeeds (a tracker that is already gone is fine).
 */
export function stopTrackerShell(configDir) {
  const lock = q(path.join(configDir, 'cco', 'tracker.lock'));
  const holder = q(path.join(configDir, 'cco', 'tracker.lock.holder'));
  return `{ [ -e ${lock} ] && kill $(cut -d' ' -f1 ${holder}) 2>/dev/null; for i in $(seq 1500); do [ -e ${lock} ] || break; sleep 0.02; done; true; }`;
}

/**
 * What stopTrackerShell does, from Node: SIGTERM to the tracker of `configDir` when its lock is held, then
 * a wait of up to `timeoutMs` (ms) for the lock to go. Never throws.
 */
export function stopTracker(configDir, timeoutMs = 30_000) {
  const lock = path.join(configDir, 'cco', 'tracker.lock');
  if (!existsSync(lock)) return;
  try {
    process.kill(Number(readFileSync(path.join(configDir, 'cco', 'tracker.lock.holder'), 'utf8').split(' ')[0]), 'SIGTERM');
  } catch {
    // No holder file yet, or the tracker is already gone: wait for the lock all the same.
  }
  const until = Date.now() + timeoutMs;
  while (existsSync(lock) && Date.now() < until) sleepSync(20);
}

/**
 * Pids of the processes (other than this one) whose environment has a HOME equal to `home` or inside it
 * (Linux /proc; [] elsewhere or when /proc cannot be read).
 */
export function processesOf(home) {
  let pids = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid);
  } catch {
    return [];
  }
  return pids.flatMap((pid) => {
    try {
      const h = readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .find((v) => v.startsWith('HOME='));
      return h !== undefined && (h === `HOME=${home}` || h.startsWith(`HOME=${home}/`)) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Stops the tracker of each config dir in `configDirs` (waiting up to `stopTimeoutMs` each), waits up to
 * `stopTimeoutMs` for every other process living under `root` (HOME inside it: a tracker a last hook just
 * started, which holds no lock yet and would make its folders again behind the removal) to end, then
 * removes `root`, retrying a busy tree (rmdir: ENOTEMPTY while a tracker wrote its last files). Never
 * throws: a tree it could not remove is named on stderr (the caller may check that it is gone).
 */
export function removeTempHome(root, configDirs, stopTimeoutMs = 10_000) {
  for (const dir of configDirs) stopTracker(dir, stopTimeoutMs);
  const until = Date.now() + stopTimeoutMs;
  while (processesOf(root).length > 0 && Date.now() < until) sleepSync(50);
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch (err) {
    process.stderr.write(`cleanup: could not remove ${root}: ${err.message}\n`);
  }
}
