import { contextWindowOrNull, percentOrNull } from '../claude/figure-bounds.ts';
import type { ProcessProbe } from '../claude/process-memory.ts';
import type { Config } from '../config/config.ts';
import { contextStatus } from '../context/context-status.ts';
import type { SessionRecord, SessionTracker } from '../store/schemas.ts';
import type { SessionUsage } from '../usage/session-usage.ts';

/** Sessions that ended (or went idle, or lost their process) within this span are listed with their resume command (ms). */
const RECENT_SPAN_MS = 24 * 3_600_000;
/** A statusline context reading younger than this is preferred to the transcript's (ms). */
export const STATUSLINE_FRESH_MS = 10 * 60_000;

/** A live session's context fill, and where the figure comes from. */
export interface SessionContextFigure {
  /** % used (0-100+), or null before the session's first response. */
  pct: number | null;
  /**
   * What the % is of: `window` (the statusline's `used_percentage`, of the model's whole context
   * window) or `usable limit` (our reading: where Claude Code compacts on its own, see contextStatus).
   */
  basis: 'window' | 'usable limit';
  /** The size (tokens) the % is of, when known. */
  ofTokens: number | null;
  /** `statusline, N min old`, `measured, last response`, `measured, after compaction`, `no response yet`, or why the window is unknown. */
  source: string;
}

/** One live session as `cco sessions` and /session-status show it. Times in epoch ms; tokens are counted tokens. */
export interface LiveSessionView {
  sessionId: string;
  /** The session's working directory, shortened for display (`~/…`), and in full (null when unknown). */
  project: string;
  cwd: string | null;
  model: string | null;
  /** `startedAt` of the session record (first response, or when a hook first saw it); null when unparseable. */
  startedMs: number | null;
  /** Latest sign of activity (see `lastActivityMs`). */
  lastActivityMs: number;
  /** Counted tokens of this session inside the window (measured from its transcripts); null when they were unreadable. */
  windowTokens: number | null;
  /** windowTokens as % of all counted tokens in the window (measured); null without a window, tokens, or usage. */
  sharePct: number | null;
  /** Counted tokens/min over the last 30 min (measured); null when the transcripts were unreadable. */
  burnPerMin: number | null;
  context: SessionContextFigure;
  memory: { pid: number | null; rssBytes: number | null; source: string };
  /** The Claude config dir the session runs under, shortened (`~/…`), when the account has more than one. */
  configDir: string | null;
}

/** One config dir of the account (a clone with its own `CLAUDE_CONFIG_DIR`) and its part of the window. */
export interface ConfigDirShare {
  /** The dir, shortened for display (`~/…`), and in full. */
  display: string;
  dir: string;
  /** Counted tokens of the dir's transcripts inside the window (measured); null when unreadable. */
  windowTokens: number | null;
  /** windowTokens as % of all counted tokens in the window; null without a window or tokens. */
  sharePct: number | null;
  /** Live sessions under the dir. */
  live: number;
  /** True for the config dir this report runs in. */
  here: boolean;
}

/** A session that is no longer live, with the command that resumes it. */
export interface RecentSessionView {
  sessionId: string;
  project: string;
  cwd: string | null;
  /**
   * `ended`: SessionEnd was received; `process gone`: its Claude process (CLAUDE_PID) no longer exists
   * though no SessionEnd came (killed, crashed); `idle`: no activity within `sessions.liveWithinMin`.
   */
  status: 'ended' | 'process gone' | 'idle';
  /** SessionEnd's reason (`prompt_input_exit`, `clear`, `other`, ...), or null. */
  endReason: string | null;
  /** For `idle`: whether its process still runs (true/false), or null when unknown (no CLAUDE_PID or not probed). */
  processRunning: boolean | null;
  /** When it ended (endedAt), else its last activity (epoch ms). */
  atMs: number;
  /** `claude --resume <session id>`. */
  resume: string;
}

/** The SESSIONS ON THIS MACHINE picture. */
export interface SessionsView {
  nowMs: number;
  /** The quota picture's current 5-hour window (epoch ms), or null when none is open. */
  window: { startMs: number; endMs: number; source: string } | null;
  /** All counted tokens in the window, every session (the quota picture's `used`; measured). */
  windowTokens: number;
  /** Live sessions, oldest start first. */
  live: LiveSessionView[];
  /** Sum of live sessions' window tokens and their share (%) of windowTokens (null without a window or tokens). */
  liveWindowTokens: number;
  liveSharePct: number | null;
  /** Sum of live sessions' burn rates (tokens/min, measured). */
  liveBurnPerMin: number;
  /** Not live, within the last 24 h, newest first. */
  recent: RecentSessionView[];
  /** `sessions.maxConcurrent` and `sessions.liveWithinMin` as configured. */
  maxConcurrent: number;
  liveWithinMin: number;
  /** Set when more sessions are live than `maxConcurrent`. */
  warning: string | null;
  /** The account's config dirs and their share of the window, when it has more than one (else null). */
  configDirs: ConfigDirShare[] | null;
}

/** Inputs of `sessionsView`. */
export interface SessionsViewInputs {
  /** `session-tracker.json` (null or empty when nothing is tracked yet). */
  tracker: SessionTracker | null;
  /** Per-session usage (session-usage.ts) of the live sessions, by session id; a missing id means its transcripts were unreadable. */
  usage: ReadonlyMap<string, SessionUsage>;
  /** Probes of the sessions' Claude processes (process-memory.ts), by pid; a missing pid was not probed. */
  processes: ReadonlyMap<number, ProcessProbe>;
  /** The quota picture's window and the counted tokens in it (`QuotaStatus.window`, `QuotaStatus.used`). */
  window: { startMs: number; endMs: number; source: string } | null;
  windowTokens: number;
  config: Pick<Config, 'sessions' | 'context'>;
  nowMs: number;
  /** The user's home directory, to show projects as `~/…`; null to show them in full. */
  home: string | null;
  /**
   * The account's config dirs (this one first) with the counted tokens of their transcripts in the
   * window, and the config dir of each session, when the account has more than one dir.
   */
  configDirs?: { dirs: readonly { dir: string; windowTokens: number | null }[]; dirOf: ReadonlyMap<string, string> };
}

/**
 * The latest sign of life of a session (epoch ms), or null when there is none: the latest of its last
 * hook event (`lastSeenAt`, only if a hook ever fired for it: a record created by a transcript scan has
 * `lastSeenAt` = when the scan first found it, which says nothing about the session), its last
 * response (`lastUsageAt`, from the transcript) and the statusline's last capture. Pure.
 */
export function lastActivityMs(s: SessionRecord): number | null {
  const times: number[] = [];
  if (Object.keys(s.hookEvents).length > 0) times.push(Date.parse(s.lastSeenAt));
  if (s.lastUsageAt !== null) times.push(Date.parse(s.lastUsageAt));
  if (s.statusline != null) times.push(Date.parse(s.statusline.capturedAt));
  const ok = times.filter((t) => Number.isFinite(t));
  return ok.length === 0 ? null : Math.max(...ok);
}

/**
 * Live by the clock: not ended and active within `liveWithinMin` (inclusive: exactly 10 min ago is
 * live). The process check (`sessionsView`) can still rule a candidate out. Pure.
 */
export function isLiveByClock(s: SessionRecord, liveWithinMin: number, nowMs: number): boolean {
  if (s.endedAt !== null) return false;
  const t = lastActivityMs(s);
  return t !== null && nowMs - t <= liveWithinMin * 60_000;
}

/**
 * The sessions whose usage `sessionsView` needs (live by the clock), and the pids worth probing (of
 * every session not ended and active within the last 24 h). Pure.
 */
export function sessionsToLoad(t: SessionTracker | null, cfg: Pick<Config, 'sessions'>, nowMs: number): { live: SessionRecord[]; pids: number[] } {
  const all = Object.values(t?.sessions ?? {});
  const live = all.filter((s) => isLiveByClock(s, cfg.sessions.liveWithinMin, nowMs));
  const pids = new Set<number>();
  for (const s of all) {
    const at = lastActivityMs(s);
    if (s.endedAt === null && at !== null && nowMs - at <= RECENT_SPAN_MS && s.claudePid != null) pids.add(s.claudePid);
  }
  return { live, pids: [...pids] };
}

/**
 * Builds the SESSIONS ON THIS MACHINE picture at `nowMs`. A session is live when it is not ended,
 * was active within `sessions.liveWithinMin` minutes (see `lastActivityMs`), and its Claude process is
 * not known to be gone. The others of the last 24 h are listed with `claude --resume <id>`. Pure.
 */
export function sessionsView(i: SessionsViewInputs): SessionsView {
  const { nowMs } = i;
  const liveWithinMin = i.config.sessions.liveWithinMin;
  const live: LiveSessionView[] = [];
  const recent: RecentSessionView[] = [];
  for (const s of Object.values(i.tracker?.sessions ?? {})) {
    const at = lastActivityMs(s);
    const probe = s.claudePid == null ? undefined : i.processes.get(s.claudePid);
    const ident = { sessionId: s.sessionId, project: shortProject(s.cwd, i.home), cwd: s.cwd };
    const base = { ...ident, resume: resumeCommand(s.sessionId) };
    if (s.endedAt !== null) {
      const ended = Date.parse(s.endedAt);
      if (Number.isFinite(ended) && nowMs - ended <= RECENT_SPAN_MS) {
        recent.push({ ...base, status: 'ended', endReason: s.endReason, processRunning: null, atMs: ended });
      }
      continue;
    }
    if (at === null) continue;
    if (probe?.alive === false) {
      if (nowMs - at <= RECENT_SPAN_MS) recent.push({ ...base, status: 'process gone', endReason: null, processRunning: false, atMs: at });
      continue;
    }
    if (!isLiveByClock(s, liveWithinMin, nowMs)) {
      if (nowMs - at <= RECENT_SPAN_MS) recent.push({ ...base, status: 'idle', endReason: null, processRunning: probe?.alive ?? null, atMs: at });
      continue;
    }
    const u = i.usage.get(s.sessionId);
    const started = Date.parse(s.startedAt);
    live.push({
      ...ident,
      model: s.model,
      startedMs: Number.isFinite(started) ? started : null,
      lastActivityMs: at,
      windowTokens: u === undefined ? null : u.windowTokens,
      sharePct: u === undefined ? null : share(u.windowTokens, i),
      burnPerMin: u === undefined ? null : u.burnPerMin,
      context: contextFigure(s, i.config.context, nowMs),
      memory: memoryOf(s.claudePid ?? null, probe),
      configDir: i.configDirs === undefined ? null : shortProject(i.configDirs.dirOf.get(s.sessionId) ?? null, i.home),
    });
  }
  live.sort((a, b) => (a.startedMs ?? Infinity) - (b.startedMs ?? Infinity) || a.sessionId.localeCompare(b.sessionId));
  recent.sort((a, b) => b.atMs - a.atMs || a.sessionId.localeCompare(b.sessionId));
  const liveWindowTokens = live.reduce((n, s) => n + (s.windowTokens ?? 0), 0);
  const liveBurnPerMin = live.reduce((n, s) => n + (s.burnPerMin ?? 0), 0);
  const max = i.config.sessions.maxConcurrent;
  return {
    nowMs,
    window: i.window,
    windowTokens: i.windowTokens,
    live,
    liveWindowTokens,
    liveSharePct: share(liveWindowTokens, i),
    liveBurnPerMin,
    recent,
    maxConcurrent: max,
    liveWithinMin,
    warning:
      live.length > max
        ? `${live.length} live sessions, more than ${max} (sessions.maxConcurrent): they all draw on the same 5-hour window; finish or close some.`
        : null,
    configDirs:
      i.configDirs === undefined || i.configDirs.dirs.length < 2
        ? null
        : i.configDirs.dirs.map((d, n) => ({
            display: shortProject(d.dir, i.home),
            dir: d.dir,
            windowTokens: d.windowTokens,
            sharePct: d.windowTokens === null ? null : share(d.windowTokens, i),
            live: live.filter((s) => i.configDirs!.dirOf.get(s.sessionId) === d.dir).length,
            here: n === 0,
          })),
  };
}

/** The command that resumes a session: `claude --resume <id>` (the id single-quoted for a shell if it is not plain). Pure. */
export function resumeCommand(sessionId: string): string {
  const id = /^[A-Za-z0-9._-]+$/.test(sessionId) ? sessionId : `'${sessionId.replaceAll("'", `'\\''`)}'`;
  return `claude --resume ${id}`;
}

function share(tokens: number, i: SessionsViewInputs): number | null {
  return i.window === null || i.windowTokens <= 0 ? null : (tokens / i.windowTokens) * 100;
}

/**
 * Context fill of a session: the statusline's `used_percentage` when captured within 10 min (what
 * Claude Code itself shows), else the transcript's last reading over the usable limit (contextStatus).
 */
export function contextFigure(s: SessionRecord, cfg: Config['context'], nowMs: number): SessionContextFigure {
  const sl = s.statusline;
  // Stored figures may predate the bounds the status line readers now apply (src/claude/figure-bounds.ts).
  const slPct = sl == null ? null : percentOrNull(sl.usedPercentage);
  if (sl != null && slPct !== null) {
    const age = nowMs - Date.parse(sl.capturedAt);
    if (age <= STATUSLINE_FRESH_MS) {
      const min = Math.max(0, Math.floor(age / 60_000));
      return { pct: slPct, basis: 'window', ofTokens: contextWindowOrNull(sl.windowSize), source: min === 0 ? 'statusline' : `statusline, ${min} min old` };
    }
  }
  const c = contextStatus(s.context, s.model, cfg, { autoCompact: s.autoCompact });
  if (c.usableLimit === null) return { pct: null, basis: 'usable limit', ofTokens: null, source: c.used === null ? c.usedSource : c.windowSource };
  return { pct: c.used === null ? null : (c.used / c.usableLimit) * 100, basis: 'usable limit', ofTokens: c.usableLimit, source: c.usedSource };
}

function memoryOf(pid: number | null, probe: ProcessProbe | undefined): LiveSessionView['memory'] {
  if (pid === null) return { pid, rssBytes: null, source: 'no CLAUDE_PID recorded' };
  if (probe === undefined) return { pid, rssBytes: null, source: 'not probed' };
  return { pid, rssBytes: probe.rssBytes, source: probe.source };
}

/**
 * A working directory for display: the home prefix as `~`, and when longer than `max` characters,
 * its last path segments after `…/` (the last segment alone is cut from the left if it is still too long). Pure.
 */
export function shortProject(cwd: string | null, home: string | null, max = 32): string {
  if (cwd === null || cwd.length === 0) return '(unknown directory)';
  const sep = cwd.includes('/') ? '/' : cwd.includes('\\') ? '\\' : '/';
  let p = cwd;
  if (home !== null && home.length > 1 && (p === home || p.startsWith(home.endsWith(sep) ? home : home + sep)))
    p = '~' + p.slice(home.replace(/[\\/]$/, '').length);
  if (p.length <= max) return p;
  const parts = p.split(sep).filter((x) => x.length > 0);
  let out = parts.pop() ?? p;
  if (out.length + 2 > max) return '…' + out.slice(out.length - (max - 1));
  while (parts.length > 0 && parts.at(-1)!.length + 1 + out.length + 2 <= max) out = parts.pop()! + sep + out;
  return '…' + sep + out;
}
