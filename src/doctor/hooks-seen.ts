import { ago, fix, ok, plural, type CheckResult } from './check.ts';

/** A session as session-tracker.json holds it (the fields this check reads). */
export interface SeenSession {
  lastSeenAt: string;
  hookEvents: Record<string, number>;
}

export interface HooksFacts {
  /** The tracker's sessions; null when session-tracker.json is missing or unreadable. */
  sessions: SeenSession[] | null;
  /** Newest transcript modification (epoch ms), null when there is none. */
  newestTranscriptMs: number | null;
  nowMs: number;
}

/** Hooks count as not running when a transcript was written this long after the last hook ran. */
export const HOOK_SILENCE_MS = 10 * 60_000;
const DAY_MS = 24 * 3_600_000;

/**
 * Hooks seen recently: the last time any hook recorded a session (`lastSeenAt` of sessions that have
 * hook events; a statusline-only record has none), against the newest transcript. Pure.
 */
export function checkHooksSeen(f: HooksFacts): CheckResult {
  const hooked = (f.sessions ?? []).filter((s) => Object.values(s.hookEvents).some((n) => n > 0));
  const times = hooked.map((s) => Date.parse(s.lastSeenAt)).filter((t) => Number.isFinite(t));
  const last = times.length === 0 ? null : Math.max(...times);
  const wrote = f.newestTranscriptMs === null ? '' : `Claude Code wrote a transcript ${ago(f.nowMs - f.newestTranscriptMs)}`;
  const why = 'check `claude plugin list` shows cco enabled, then start a new session (hooks load at session start)';
  if (last === null) {
    return fix('hooks', f.newestTranscriptMs === null ? 'no hook has run yet' : `no hook has run yet, but ${wrote}`, why);
  }
  if (f.newestTranscriptMs !== null && f.newestTranscriptMs > last + HOOK_SILENCE_MS) {
    return fix('hooks', `the hooks last ran ${ago(f.nowMs - last)}, but ${wrote}`, why);
  }
  const counts: Record<string, number> = {};
  for (const s of hooked) {
    if (f.nowMs - Date.parse(s.lastSeenAt) > DAY_MS) continue;
    for (const [e, n] of Object.entries(s.hookEvents)) counts[e] = (counts[e] ?? 0) + n;
  }
  const top = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([e, n]) => `${e} ${n.toLocaleString('en-US')}`)
    .join(', ');
  const recent = hooked.filter((s) => f.nowMs - Date.parse(s.lastSeenAt) <= DAY_MS).length;
  return ok('hooks', `last hook ${ago(f.nowMs - last)}${top === '' ? '' : `; ${plural(recent, 'session')} in the last 24 h: ${top}`}`);
}
