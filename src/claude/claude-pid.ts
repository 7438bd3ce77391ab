/**
 * The Claude Code process id a hook runs under: Claude Code sets `CLAUDE_PID` in every hook's
 * environment (reference §1.7). Recorded on the session (`SessionRecord.claudePid`) so that
 * `cco sessions` can tell a session whose process is gone and read the process's memory.
 *
 * Only a plain decimal integer >= 1 that is a safe integer is accepted: 0 and negative numbers mean
 * "process group" to `kill(2)` and must never reach a liveness probe. Pure; never throws.
 *
 * @param env a process environment (`process.env` or `Runtime.env`)
 * @returns the pid, or null when `CLAUDE_PID` is absent, blank or not a positive integer
 */
export function claudePidFrom(env: Readonly<Record<string, string | undefined>>): number | null {
  const raw = env.CLAUDE_PID?.trim();
  if (raw === undefined || !/^[0-9]{1,10}$/.test(raw)) return null;
  const pid = Number(raw);
  return Number.isSafeInteger(pid) && pid >= 1 ? pid : null;
}
