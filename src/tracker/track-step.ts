/**
 * One tracking step, the imperative shell around the pure decisions: catch up a session's transcripts
 * (src/store/transcript-cache.ts), aggregate them (src/usage/), decide its context alert
 * (src/context/context-alerts.ts) and the account's quota alerts (src/quota/quota-step.ts) under the
 * state files' locks (src/store/update.ts), mirror the durable quota state, notify the desktop. Run by
 * the background tracker for spooled hook events (src/tracker/drain.ts) and by the cco commands that
 * catch up before they show (`cco status`, `cco sessions`, ...). It sits above the store: the store
 * only reads and writes state files.
 */
import { makeDir } from '../make-dir.ts';
import { transcriptRoots } from '../store/account-dirs.ts';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FileDigest } from '../claude/transcript-digest.ts';
import { catchUpTranscript } from '../claude/transcript-reader.ts';
import { listTranscripts, mainTranscriptOf, subagentTranscripts } from '../claude/transcript-files.ts';
import type { Runtime } from '../runtime.ts';
import { decideContextAlert, type ContextAlert } from '../context/context-alerts.ts';
import { compactLineFor } from '../context/compact-line-for.ts';
import type { AutoCompactEnv } from '../claude/auto-compact-env.ts';
import { contextStatus } from '../context/context-status.ts';
import { installedSeeds } from '../claude/seed-commands.ts';
import { slashFor } from '../render/command-names.ts';
import { notifyDesktop } from '../notify/desktop.ts';
import type { Delivery } from '../quota/alerts.ts';
import { quotaStep, type QuotaStepResult } from '../quota/quota-step.ts';
import { mergeDigests } from '../usage/ledger.ts';
import { aggregateSession, type SessionAggregate } from '../usage/session-aggregate.ts';
import type { UsageEntry } from '../usage/usage-record.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';
import { loadConfig } from '../store/config-file.ts';
import { registerSelf } from '../store/register-self.ts';
import { planHint } from '../config/config.ts';
import { NO_PLAN_SOURCE } from '../quota/budget.ts';
import { mirrorDurable, readDurable, readLegacyDurable, withDurable } from '../store/quota-durable.ts';
import { mergeDurable } from '../store/durable-merge.ts';
import { emptySessionTracker, QuotaTrackerSchema, SessionTrackerSchema, type QuotaTracker, type SessionRecord } from '../store/schemas.ts';
import { newSessionRecord } from '../store/schema-session-record.ts';
import { catchUpCached, changedSinceRead } from '../store/transcript-cache.ts';
import { update } from '../store/update.ts';

/** What a hook knows about the session that triggered it. */
export interface SessionSighting {
  sessionId: string;
  transcriptPath: string | null;
  cwd: string | null;
  model?: string | null;
  /** Hook event name (`SessionStart`, `PostToolUse`, ...) or `scan`. */
  event: string;
  /** SessionStart `source` (`startup|resume|clear|compact|fork`), when given. */
  source?: string | null;
  agentType?: string | null;
  /** The Claude Code process (`CLAUDE_PID`), when a hook knows it. */
  claudePid?: number | null;
  /** Claude Code's auto-compaction settings from the hook's environment, when a hook knows them. */
  autoCompact?: AutoCompactEnv;
  /** SessionEnd's `reason` (`clear`, `logout`, `prompt_input_exit`, `other`, ...), when given. */
  endReason?: string | null;
  /**
   * The hook events this sighting stands for, by name (a tracker job merges a session's events; a poke
   * stands for every tool call since the last one was tracked). Default: one `event`.
   */
  eventCounts?: Record<string, number>;
}

export interface TrackOptions {
  /** Lock budget for each state file (ms). */
  lockBudgetMs?: number;
  /**
   * Epoch ms by which all lock waits of this call must end (a hook's overall budget): each wait gets at
   * most what is left, so many sessions contending cannot stack waits up to the hook timeout. Past it, a
   * busy lock defers the work to the next trigger (LockBusyError).
   */
  deadlineMs?: number;
}

/** The lock budget of the next wait (ms): the per-lock budget, cut to what is left before the deadline. */
export function lockBudget(opts: TrackOptions): number {
  const per = opts.lockBudgetMs ?? 2_000;
  return opts.deadlineMs === undefined ? per : Math.max(0, Math.min(per, opts.deadlineMs - Date.now()));
}

/**
 * Records one session's sighting: catches up its transcripts (main + subagents), then updates its record
 * in `session-tracker.json` and the account's blocks in `quota-tracker.json`. A transcript that does not
 * exist yet (SessionStart before the first message) is not an error.
 *
 * @returns the session's aggregate after the catch-up (null when no transcript could be read: the
 *   session's record keeps its figures), the quota and context alerts this session shows now (if any),
 *   and quota-tracker.json as this call left it
 * @throws LockBusyError when a lock is busy beyond the budget; fs errors other than ENOENT
 */
export async function trackSession(
  rt: Runtime,
  s: SessionSighting,
  opts: TrackOptions = {},
): Promise<{ agg: SessionAggregate | null; delivery: Delivery | null; contextAlert: ContextAlert | null; planHint: string | null; quota: QuotaTracker }> {
  const files = s.transcriptPath === null ? [] : [s.transcriptPath, ...subagentTranscripts(s.transcriptPath)];
  const digests: FileDigest[] = [];
  for (const f of files) {
    try {
      digests.push((await catchUpCached(rt, f, opts)).cursor.digest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  // No transcript read (none named, or not there): nothing new is known of the session's usage, and what
  // it recorded stays (a payload without a transcript path must not zero a live session).
  const agg = digests.length === 0 ? null : aggregateSession(digests);
  const seeds = installedSeeds(rt.paths.stateDir);
  const { alert: contextAlert, liveSinceMs } = await recordSessions(
    rt,
    [{ sighting: s, agg }],
    opts,
    { sessionId: s.sessionId, transcript: s.transcriptPath },
    seeds,
  );
  const { delivery, quota, planHint } = await recordUsage(rt, mergeDigests(digests), opts, { id: s.sessionId, liveSinceMs }, seeds);
  return { agg, delivery, contextAlert, planHint, quota };
}

/**
 * Catches up every session with a transcript under the account's config dirs changed at or after
 * `sinceMs` (all when null; see changedSince: by mtime, or by ctime for a file read before), with all of its files (main and subagents: a session's totals need every one
 * of them, and an old subagent file of a session still going is not modified again), records the sessions
 * found under this config dir's listed roots (new ones with source `transcript`; the account's other
 * dirs record their own) and the account's blocks from all of them.
 *
 * @returns the digests of the files read, in rule order (config dir, then sorted path), and counts
 */
export async function trackAll(
  rt: Runtime,
  sinceMs: number | null,
  opts: TrackOptions & { persist?: boolean; ignoreCache?: boolean } = {},
): Promise<{ digests: FileDigest[]; files: number }> {
  if (opts.persist !== false) await registerSelf(rt);
  const all = listTranscripts(transcriptRoots(rt));
  const digests: FileDigest[] = [];
  const bySession = new Map<string, FileDigest[]>();
  const live = sinceMs === null ? null : new Set(all.filter((f) => changedSince(rt, f, sinceMs)).map(mainTranscriptOf));
  for (const f of all) {
    if (live !== null && !live.has(mainTranscriptOf(f))) continue;
    try {
      const r = opts.ignoreCache ? catchUpTranscript(f, null) : await catchUpCached(rt, f, opts);
      digests.push(r.cursor.digest);
      const main = mainTranscriptOf(f);
      const list = bySession.get(main) ?? [];
      if (main === f) list.unshift(r.cursor.digest);
      else list.push(r.cursor.digest);
      bySession.set(main, list);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  if (opts.persist !== false) {
    // Sessions are recorded by the config dir they run under (its own session-tracker.json); the
    // account's other dirs count in the window (recordUsage) but keep their sessions to themselves.
    const own = rt.dirs.listedRoots.map((r) => path.join(r, 'projects') + path.sep);
    const sessions = [...bySession.entries()]
      .filter(([main]) => own.some((r) => main.startsWith(r)))
      .map(([main, ds]) => ({ main, ds, sid: sessionIdOf(main, ds[0]?.sessionId ?? null) }))
      .filter((x): x is { main: string; ds: FileDigest[]; sid: string } => x.sid !== null)
      .map(({ main, ds, sid }) => ({ sighting: { sessionId: sid, transcriptPath: main, cwd: ds[0]?.cwd ?? null, event: 'scan' }, agg: aggregateSession(ds) }));
    await recordSessions(rt, sessions, opts);
    await recordUsage(rt, mergeDigests(digests), opts, null);
  }
  return { digests, files: all.length };
}

/**
 * The session a main transcript belongs to: Claude Code names it `<session id>.jsonl`, the id hooks
 * receive; a file named otherwise (`agent-*.jsonl` beside sessions, renamed copies) goes by its records.
 */
function sessionIdOf(main: string, recorded: string | null): string | null {
  const stem = path.basename(main, '.jsonl');
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(stem) ? stem : recorded;
}

/**
 * True when transcript `f` changed at or after `sinceMs` (epoch ms): its mtime says so, or its ctime does
 * and it no longer matches what was read of it last (a rewrite with its mtime put back, by touch -d or
 * cp -p: a ctime cannot be set). An old file never read, whose ctime is recent only because it was
 * copied or chmod-ed, is not. False when it cannot be stat'ed.
 */
function changedSince(rt: Runtime, f: string, sinceMs: number): boolean {
  let st;
  try {
    st = statSync(f);
  } catch {
    return false;
  }
  return st.mtimeMs >= sinceMs || (st.ctimeMs >= sinceMs && changedSinceRead(rt, f, st));
}

/**
 * Upserts the sessions' records; for `alertFor` (the session whose hook runs) also decides its context
 * alert under the same lock (when its transcript is known), so that each threshold is shown once per
 * context segment, and gives when that session last started or resumed (its `liveSince`, epoch ms).
 */
async function recordSessions(
  rt: Runtime,
  items: { sighting: SessionSighting; agg: SessionAggregate | null }[],
  opts: TrackOptions,
  alertFor: { sessionId: string; transcript: string | null } | null = null,
  seeds: ReadonlySet<string> = new Set(),
): Promise<{ alert: ContextAlert | null; liveSinceMs: number | null }> {
  if (items.length === 0) return { alert: null, liveSinceMs: null };
  const config = alertFor === null ? null : loadConfig(rt).config;
  let alert: ContextAlert | null = null;
  let liveSinceMs: number | null = null;
  await update(
    rt.paths.sessionTracker,
    SessionTrackerSchema,
    emptySessionTracker,
    (t) => {
      const nowDate = rt.now();
      const now = nowDate.toISOString();
      const sessions = { ...t.sessions };
      for (const { sighting, agg } of items) sessions[sighting.sessionId] = upsert(sessions[sighting.sessionId], sighting, agg, now);
      const rec = alertFor === null ? undefined : sessions[alertFor.sessionId];
      if (rec?.liveSince != null) liveSinceMs = Date.parse(rec.liveSince);
      const transcript = alertFor?.transcript ?? null;
      if (rec !== undefined && transcript !== null && config !== null) {
        const slash = slashFor(seeds);
        const ctx = contextStatus(rec.context, rec.model, config.context, {
          statusline: rec.statusline ?? null,
          growthPerHour: rec.contextGrowthPerHour ?? null,
          autoCompact: rec.autoCompact,
          slash,
          nowMs: nowDate.getTime(),
        });
        if (ctx.used !== null && ctx.usableLimit !== null) {
          const decided = decideContextAlert(
            rec.contextAlerts ?? null,
            {
              usedTokens: ctx.used,
              usableLimit: ctx.usableLimit,
              segment: rec.compactions ?? 0,
              thresholds: config.context.thresholds,
              compactFromPct: config.context.compactFromPct,
              hoursLeft: ctx.hoursLeft,
              compactLine: () => compactLineFor(rec.cwd, transcript, config.context.keepTurns),
            },
            slash,
          );
          alert = decided.alert;
          if (decided.state !== rec.contextAlerts) sessions[rec.sessionId] = { ...rec, contextAlerts: decided.state };
        }
      }
      return { ...t, sessions };
    },
    { lockBudgetMs: lockBudget(opts), onQuarantine: quarantineLogger(rt), now: rt.now },
  );
  return { alert, liveSinceMs: liveSinceMs !== null && Number.isFinite(liveSinceMs) ? liveSinceMs : null };
}

/** How far back a missing or quarantined quota tracker is rebuilt from (transcripts modified since). */
const REBUILD_LOOKBACK_MS = 24 * 3_600_000;

/**
 * Merges the usage entries of the transcripts just read into the account's blocks, then decides alerts
 * and takes this session's delivery (see `quotaStep`), all under the quota tracker's lock. All entries
 * of the transcripts, not only what this read added: `mergeUsage` counts each key once, so this is
 * idempotent, and a trigger that died after advancing a transcript's cache but before this write loses
 * nothing. Desktop notifications for alerts decided here are sent after the lock is released.
 */
async function recordUsage(
  rt: Runtime,
  entries: UsageEntry[],
  opts: TrackOptions,
  session: { id: string; liveSinceMs: number | null } | null,
  seeds: ReadonlySet<string> = new Set(),
): Promise<{ delivery: Delivery | null; quota: QuotaTracker; planHint: string | null }> {
  const { config } = loadConfig(rt);
  let result: QuotaStepResult | undefined;
  const quota = await update(
    rt.paths.quotaTracker,
    QuotaTrackerSchema,
    emptyQuotaTracker,
    async (q) => {
      // A tracker that is new (first run, deleted, or just quarantined) is rebuilt from every recent
      // transcript, not only this trigger's session.
      const fresh = q.updatedAt === null && q.blocks.length === 0;
      // ... and gets back what transcripts cannot give (readings, alerts, calibration) from the durable copy.
      // An earlier build's state in the config dir carries over into a new account state.
      const base = fresh ? withDurable(q, mergeDurable(readDurable(rt), readLegacyDurable(rt))) : q;
      const all = fresh ? [...(await recentTranscriptEntries(rt, opts)), ...entries] : entries;
      result = quotaStep(base, all, config, rt.now().getTime(), session, seeds);
      return result.next === q ? undefined : result.next;
    },
    { lockBudgetMs: lockBudget(opts), onQuarantine: quarantineLogger(rt), now: rt.now },
  );
  if (result !== undefined) await mirrorQuietly(rt, result.next, lockBudget(opts));
  const worst = result?.created.filter((a) => a.kind === 'quota').at(-1) ?? result?.created.at(-1);
  if (worst !== undefined) {
    rt.log('info', 'alerts', `decided ${result!.created.map((a) => a.id).join(', ')}`);
    if (config.quota.desktopNotifications) notifyDesktop('Claude Code quota', worst.message.replace(/^cco: /, ''));
  }
  return {
    delivery: result?.delivery ?? null,
    quota,
    planHint: result?.delivery != null && result.next.readings.length === 0 ? takePlanHint(rt, result.picture.budgetSource) : null,
  };
}

/**
 * The one-time note on how to set a plan (config planHint), with the first quota notice estimated
 * against the pro preset only because no plan is set and no official reading was ever saved (a
 * subscriber's status line brings them); null once it was given (`cco/plan-hint-shown`).
 */
function takePlanHint(rt: Runtime, budgetSource: string): string | null {
  if (budgetSource !== NO_PLAN_SOURCE) return null;
  try {
    makeDir(path.dirname(rt.paths.planHintShown));
    writeFileSync(rt.paths.planHintShown, `${rt.now().toISOString()}\n`, { flag: 'wx', mode: 0o600 });
  } catch {
    return null; // given already (or the marker cannot be written: better never than on every alert)
  }
  return planHint(loadConfig(rt).file);
}

/** Mirrors the durable part; a busy lock or an I/O error is logged and left to the next trigger. */
async function mirrorQuietly(rt: Runtime, q: QuotaTracker, budgetMs: number): Promise<void> {
  try {
    await mirrorDurable(rt, q, budgetMs);
  } catch (e) {
    rt.log('info', 'durable', `mirror deferred: ${(e as Error).message}`);
  }
}

async function recentTranscriptEntries(rt: Runtime, opts: TrackOptions): Promise<UsageEntry[]> {
  const since = rt.now().getTime() - REBUILD_LOOKBACK_MS;
  const digests: FileDigest[] = [];
  for (const f of listTranscripts(transcriptRoots(rt))) {
    if (!changedSince(rt, f, since)) continue;
    try {
      digests.push((await catchUpCached(rt, f, opts)).cursor.digest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return mergeDigests(digests);
}

/**
 * Marks a session ended (its SessionEnd, tracked by the background tracker like every hook event): a
 * quick write, no transcript read.
 * @throws LockBusyError when session-tracker.json stays locked past the budget (the spooled SessionEnd
 *   stays for the next drain); fs errors
 */
export async function markSessionEnded(rt: Runtime, s: SessionSighting, reason: string | null, opts: TrackOptions = {}): Promise<void> {
  const endedAt = rt.now().toISOString();
  await update(
    rt.paths.sessionTracker,
    SessionTrackerSchema,
    emptySessionTracker,
    (t) => {
      const prev = t.sessions[s.sessionId];
      const base = upsert(prev, s, null, endedAt);
      return { ...t, sessions: { ...t.sessions, [s.sessionId]: { ...base, endedAt, endReason: reason } } };
    },
    { lockBudgetMs: lockBudget(opts), onQuarantine: quarantineLogger(rt), now: rt.now },
  );
}

function upsert(prev: SessionRecord | undefined, s: SessionSighting, agg: SessionAggregate | null, nowIso: string): SessionRecord {
  const isHook = s.event !== 'scan';
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const base: SessionRecord =
    prev ??
    newSessionRecord({
      sessionId: s.sessionId,
      cwd: s.cwd,
      transcriptPath: s.transcriptPath,
      model: null,
      source: s.source ?? (isHook ? s.event : 'transcript'),
      startedAt: iso(agg?.firstUsageMs ?? null) ?? nowIso,
      lastSeenAt: nowIso,
    });
  const next: SessionRecord = {
    ...base,
    cwd: s.cwd ?? base.cwd ?? agg?.cwd ?? null,
    transcriptPath: s.transcriptPath ?? base.transcriptPath,
    model: s.model ?? agg?.model ?? base.model,
    lastSeenAt: isHook ? nowIso : base.lastSeenAt,
    hookEvents: isHook ? addCounts(base.hookEvents, s.eventCounts ?? { [s.event]: 1 }) : base.hookEvents,
  };
  // When the session last (re)started: alerts decided before it are not replayed to it (takeDelivery).
  // Only SessionStart says so; a session first seen by a later event was already running.
  if (s.event === 'SessionStart') next.liveSince = nowIso;
  if (s.event === 'SessionStart' && s.source !== 'startup' && base.endedAt !== null) {
    next.endedAt = null; // resumed, cleared or compacted: the session is live again
    next.endReason = null;
  }
  if (s.agentType) next.agentType = s.agentType;
  if (s.claudePid != null) next.claudePid = s.claudePid; // a resume in a new process updates it; scans keep it
  if (s.autoCompact !== undefined) next.autoCompact = { window: s.autoCompact.window ?? null, disabled: s.autoCompact.disabled === true };
  if (agg !== null) {
    next.tokens = agg.tokens;
    next.entries = agg.entries;
    next.firstUsageAt = iso(agg.firstUsageMs);
    next.lastUsageAt = iso(agg.lastUsageMs);
    next.tools = agg.tools;
    next.context = agg.context;
    next.compactions = agg.compactions;
    next.contextGrowthPerHour = agg.contextGrowthPerHour;
    if (prev === undefined && agg.firstUsageMs !== null && !isHook) next.startedAt = iso(agg.firstUsageMs)!;
  }
  return next;
}

/** `a` plus `b`, per hook event name (SessionSighting.eventCounts). Pure. */
export function addCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}

function quarantineLogger(rt: Runtime) {
  return (file: string, to: string, why: string) => {
    rt.log('warn', 'store', `${file} was unreadable (${why}); moved to ${to} and rebuilt from the transcripts`);
    process.stderr.write(`cco: ${file} was unreadable (${why}); moved to ${to}, rebuilding from transcripts\n`);
  };
}
