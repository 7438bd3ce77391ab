/**
 * How long a background tracker stays once the spool is empty. Starting a tracker costs the hook that
 * starts it about 7 ms (node:child_process and a fork), so one that stays while the user works spares
 * every later hook that cost; one that stays forever holds about 55 MB for nothing.
 */
export interface LingerPolicy {
  /** Stay this long after the last event (ms) when no Claude Code process whose events it tracked still runs. */
  idleMs: number;
  /**
   * Stay up to this long after the last event (ms) while such a process still runs: the user is
   * between prompts, or a long tool call runs, and the session's next hook will come.
   */
  whileClaudeRunsMs: number;
}

/** The background tracker's defaults: 30 s, and 15 min while a Claude Code session it tracked is open. */
export const DEFAULT_LINGER: LingerPolicy = { idleMs: 30_000, whileClaudeRunsMs: 15 * 60_000 };

/**
 * How much longer (ms) a tracker whose spool is empty stays. Pure.
 *
 * @param idleMs time since its last event was tracked (ms)
 * @param claudeRuns whether a Claude Code process whose events it tracked is still running (`CLAUDE_PID`)
 * @param replaced whether its own bundle was replaced or removed on disk (a plugin update or uninstall):
 *   it then goes at once, so the next hook starts the new code
 * @returns ms left to stay; <= 0 means go now
 */
export function lingerLeftMs(policy: LingerPolicy, idleMs: number, claudeRuns: boolean, replaced: boolean): number {
  if (replaced) return 0;
  const stay = claudeRuns ? Math.max(policy.idleMs, policy.whileClaudeRunsMs) : policy.idleMs;
  return stay - idleMs;
}

/**
 * The linger policy from the environment: `CCO_TRACKER_LINGER_MS` sets the idle stay and, unless
 * `CCO_TRACKER_SESSION_LINGER_MS` is set too, the stay while Claude Code runs (tests and the bench set
 * one short stay). A value that is not a whole number of ms is ignored. Pure.
 */
export function lingerFromEnv(env: Readonly<Record<string, string | undefined>>, defaults: LingerPolicy = DEFAULT_LINGER): LingerPolicy {
  const ms = (v: string | undefined): number | null => (v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : null);
  const idle = ms(env.CCO_TRACKER_LINGER_MS);
  const session = ms(env.CCO_TRACKER_SESSION_LINGER_MS);
  return { idleMs: idle ?? defaults.idleMs, whileClaudeRunsMs: session ?? idle ?? defaults.whileClaudeRunsMs };
}
