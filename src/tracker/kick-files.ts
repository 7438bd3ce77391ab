import { closeSync, openSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import type { StatePaths } from '../store/paths.ts';

/**
 * The two files through which the shell fronts (hooks/post-tool-use.sh, hooks/session-end.sh) decide,
 * without starting node, whether to start a tracker. Their mtimes carry the decision:
 * - `cco/kick`: there while no tracker runs; its mtime is the earliest time a tool call may start one
 *   (a tracker that just finished leaves it KICK_THROTTLE_MS ahead). A shell front claims it by renaming
 *   it (`kick.<pid>`): one start per claim.
 * - `cco/kick-deadline`: its mtime is when the running tracker must be done (its start + run limit).
 *   With no `kick` file and that time past, the tracker died: a shell front starts one again.
 * Both are only hints: the tracker lock decides who tracks, and the node fronts (SessionStart, Stop,
 * the status line) start a tracker by the lock alone, so a wrong hint (a clock step) costs a delay
 * until the next turn, never an event.
 */

/**
 * How long after a tracker finished a tool call's poke waits before it starts another (ms): a tracker
 * start costs about 0.1-0.2 s of CPU in the background, so a burst of quick tool calls shares one, while
 * a tool call that follows a model answer of a few seconds finds one due, so alerts still arrive one tool
 * call later. `CCO_KICK_THROTTLE_MS` sets it (0: every tool call may start one).
 */
const KICK_THROTTLE_MS = 2_000;

/** The throttle from the environment: `CCO_KICK_THROTTLE_MS` when a whole number of ms (at most 10 min), else KICK_THROTTLE_MS. Pure. */
export function kickThrottleMs(env: Readonly<Record<string, string | undefined>>): number {
  const v = env.CCO_KICK_THROTTLE_MS;
  return v !== undefined && /^\d{1,6}$/.test(v) && Number(v) <= 600_000 ? Number(v) : KICK_THROTTLE_MS;
}

/** `cco/kick` of `paths`. */
function kickFile(paths: Pick<StatePaths, 'ccoDir'>): string {
  return path.join(paths.ccoDir, 'kick');
}

/** `cco/kick-deadline` of `paths`. */
function kickDeadlineFile(paths: Pick<StatePaths, 'ccoDir'>): string {
  return path.join(paths.ccoDir, 'kick-deadline');
}

function touchAt(file: string, ms: number): void {
  closeSync(openSync(file, 'a', 0o600));
  utimesSync(file, ms / 1000, ms / 1000);
}

/**
 * Says a tracker runs until `deadlineMs` (epoch ms): sets `kick-deadline`, and removes `kick` and every
 * claimed `kick.<pid>`, so no shell front starts another meanwhile.
 * @throws never (hints only)
 */
export function markTrackerRunning(paths: Pick<StatePaths, 'ccoDir'>, deadlineMs: number): void {
  try {
    touchAt(kickDeadlineFile(paths), deadlineMs);
    for (const n of readdirSync(paths.ccoDir)) if (n === 'kick' || /^kick\.\d+$/.test(n)) rmSync(path.join(paths.ccoDir, n), { force: true });
  } catch {
    // a hint: the lock decides
  }
}

/**
 * Says no tracker runs and the next may start at `nowMs + throttleMs` (sets `kick`).
 * @throws never (hints only)
 */
export function markTrackerDone(paths: Pick<StatePaths, 'ccoDir'>, nowMs: number, throttleMs = KICK_THROTTLE_MS): void {
  try {
    touchAt(kickFile(paths), nowMs + throttleMs);
  } catch {
    // a hint: the lock decides
  }
}
