import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { isPlainSegment } from '../store/contained-path.ts';
import { kindPhrase, unreadableKind } from '../fs-kind.ts';
import { firstRefusal } from './refused-paths.ts';
import { transcriptRoots } from '../store/account-dirs.ts';
import { emptySessionTracker, type SessionRecord, type SessionTracker, SessionTrackerSchema } from '../store/schemas.ts';
import { readState } from '../store/update.ts';
import { autoCompactFrom } from '../claude/auto-compact-env.ts';
import { claudePidFrom } from '../claude/claude-pid.ts';
import { hookModel, HookInputSchema } from '../claude/hook-input.ts';
import { listSpool, type SpoolEntry } from '../front/spool.ts';
import type { Notice } from '../notify/hook-output.ts';
import type { Runtime } from '../runtime.ts';
import type { QuotaTracker } from '../store/schemas.ts';
import { registerSelf } from '../store/register-self.ts';
import { addCounts, markSessionEnded, trackSession, type SessionSighting } from './track-step.ts';
import { LockBusyError } from '../store/update.ts';
import { writeOutbox } from './outbox-write.ts';
import { readSpoolEntry } from './spool-read.ts';
import { saveStatuslinePayload, writeStatuslineSnapshot } from './snapshot-write.ts';

/** A unit of tracking: one session sighting standing for one or more spooled hook events. */
export interface TrackJob {
  sighting: SessionSighting;
  /** Spool files this job settles (deleted once it is tracked). */
  files: string[];
}

/** Events tracked as a job of their own, never merged: SessionStart (its source is recorded), SessionEnd (it marks the end). */
const own = (event: string): boolean => event === 'SessionStart' || event === 'SessionEnd';

/**
 * Turns spooled entries (oldest first) into tracking jobs. Tracking catches a session's transcripts up
 * from their cursors, so a run of PostToolUse/Stop events of one session needs one catch-up (the
 * newest sighting); a SessionStart is kept as its own job, since its `source` (startup, resume, clear,
 * compact) is recorded, and so is a SessionEnd (it also marks the session ended). Pure.
 */
export function planJobs(entries: readonly { file: string; entry: SpoolEntry; sighting: SessionSighting }[]): TrackJob[] {
  const jobs: TrackJob[] = [];
  const openBySession = new Map<string, TrackJob>();
  for (const { file, entry, sighting } of entries) {
    const open = openBySession.get(sighting.sessionId);
    if (!own(entry.event) && open !== undefined && !own(open.sighting.event)) {
      const eventCounts = addCounts(open.sighting.eventCounts ?? { [open.sighting.event]: 1 }, sighting.eventCounts ?? { [sighting.event]: 1 });
      open.sighting = { ...sighting, model: sighting.model ?? open.sighting.model ?? null, eventCounts };
      open.files.push(file);
      continue;
    }
    const job = { sighting, files: [file] };
    jobs.push(job);
    openBySession.set(sighting.sessionId, job);
  }
  return jobs;
}

/**
 * The sighting a spooled hook event stands for. The front checked only the session id; here the payload
 * fields are validated (HookInputSchema). Pure.
 * @returns the sighting, or why the payload is unusable (`path: message`)
 */
export function sightingOf(e: SpoolEntry): SessionSighting | { invalid: string } {
  const parsed = HookInputSchema.safeParse(e.input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { invalid: `${i?.path.join('.') || 'payload'}: ${i?.message ?? 'invalid'}` };
  }
  const input = parsed.data;
  return {
    sessionId: input.session_id,
    transcriptPath: input.transcript_path ?? null,
    cwd: input.cwd ?? e.env.CLAUDE_PROJECT_DIR ?? e.cwd,
    model: hookModel(input),
    event: e.event,
    source: input.source ?? null,
    agentType: input.agent_type ?? null,
    claudePid: claudePidFrom(e.env),
    // A shell front's entry has no environment: the session's record keeps what an earlier hook said.
    ...(Object.keys(e.env).length === 0 ? {} : { autoCompact: autoCompactFrom(e.env) }),
    ...(e.event === 'SessionEnd' ? { endReason: typeof e.input.reason === 'string' ? e.input.reason.slice(0, 64) : null } : {}),
  };
}

/** What one drain did. */
export interface DrainResult {
  /** Jobs tracked (each may settle several spooled events). */
  tracked: number;
  /** Spool files settled (tracked, or moved aside as unreadable). */
  settled: number;
  /** True when a state lock stayed busy: the rest waits for the next drain. */
  busy: boolean;
}

/**
 * Tracks everything in the spool once: reads the entries (an unreadable one is moved aside and logged),
 * plans the jobs, and for each runs `trackSession` (transcripts caught up, session-tracker.json and
 * quota-tracker.json updated, desktop notification for a new quota alert), puts the session's new
 * notices in its outbox (src/front/outbox.ts) and deletes the job's spool files. The caller holds the
 * tracker lock, so entries are tracked by one process, in order.
 *
 * A job whose state lock stays busy past the budget stops the drain (`busy`); its files stay for the
 * next one. A job failing otherwise is logged and its files deleted: they only say "catch this session
 * up", which the session's next hook event says again.
 *
 * @throws never for a job's failure; fs errors listing the spool
 */
export async function drainSpool(rt: Runtime, opts: { lockBudgetMs: number; deadlineMs: number }): Promise<DrainResult> {
  const now = rt.now();
  await registerSelf(rt);
  const entries: { file: string; entry: SpoolEntry; sighting: SessionSighting }[] = [];
  const statuslines: { file: string; entry: SpoolEntry }[] = [];
  let settled = 0;
  // session-tracker.json as the drain found it, read once and only when an event names no transcript.
  let recorded: SessionTracker['sessions'] | null = null;
  const recordOf = (id: string): SessionRecord | undefined =>
    (recorded ??= readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker).sessions)[id];
  for (const name of listSpool(rt.paths.spoolDir)) {
    const r = readSpoolEntry(rt.paths.spoolDir, name, now);
    if (r === null) continue;
    if (r.entry === null) {
      rt.log('warn', 'tracker', `spool entry ${r.file} unreadable (${r.why}); moved aside`);
      settled++;
    } else if (r.entry.event === 'statusline') statuslines.push({ file: r.file, entry: r.entry });
    else {
      const seen = sightingOf(r.entry);
      const sighting = 'invalid' in seen ? seen : withKnownTranscript(rt, seen, recordOf);
      if ('invalid' in sighting) {
        // What the hook itself would have said: the payload is unusable, nothing is tracked.
        rt.log('error', r.entry.event, `stdin lacks a valid ${sighting.invalid} (session ${String(r.entry.input.session_id)}); not tracked`);
        removeQuietly(r.file);
        settled++;
      } else {
        // A FIFO, socket, device, directory or /proc file as the transcript would block or break the read:
        // refused before anything opens it, said once per path, and the event dropped.
        const bad = refusedTranscript(sighting.transcriptPath);
        if (bad !== null) {
          if (firstRefusal(rt.paths.ccoDir, sighting.transcriptPath!, now.getTime()))
            rt.log(
              'warn',
              r.entry.event,
              `transcript_path ${JSON.stringify(sighting.transcriptPath).slice(0, 300)} of session ${sighting.sessionId} ${bad}; the event is not tracked`,
            );
          removeQuietly(r.file);
          settled++;
        } else
          entries.push({ file: r.file, entry: r.entry, sighting: r.poke === true ? { ...sighting, eventCounts: { PostToolUse: r.count ?? 1 } } : sighting });
      }
    }
  }
  entries.sort((a, b) => (a.entry.receivedAt < b.entry.receivedAt ? -1 : a.entry.receivedAt > b.entry.receivedAt ? 1 : 0));
  let tracked = 0;
  const contexts = new Map<string, number>();
  // quota-tracker.json as the last save of this drain left it: the snapshot is computed from it, not re-read.
  let quota: QuotaTracker | null = null;
  for (const { file, entry } of statuslines) {
    try {
      const saved = await saveStatuslinePayload(rt, entry.input, Date.parse(entry.receivedAt) || now.getTime(), opts.lockBudgetMs);
      if (saved.quota !== null) quota = saved.quota;
      if (saved.context !== null) contexts.set(saved.context.sessionId, saved.context.pct);
    } catch (e) {
      if (e instanceof LockBusyError) return { tracked, settled, busy: true };
      rt.log('error', 'tracker', `statusline payload: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    removeQuietly(file);
    settled++;
  }
  for (const job of planJobs(entries)) {
    // Past the run's deadline no new job starts: the rest stays spooled for the next tracker.
    if (Date.now() >= opts.deadlineMs) return { tracked, settled, busy: true };
    try {
      const { delivery, contextAlert, planHint, quota: q } = await trackSession(rt, job.sighting, opts);
      quota = q;
      if (job.sighting.event === 'SessionEnd') {
        // The session is over: mark it ended; nobody is left to show it notices.
        await markSessionEnded(rt, job.sighting, job.sighting.endReason ?? null, opts);
        for (const f of job.files) removeQuietly(f);
        settled += job.files.length;
        tracked++;
        continue;
      }
      const notices: Notice[] = [];
      if (delivery !== null) notices.push({ systemMessage: delivery.systemMessage, modelNote: delivery.modelNote, quota: delivery.quota });
      if (contextAlert !== null) notices.push({ systemMessage: contextAlert.message, modelNote: contextAlert.modelNote });
      if (planHint !== null) notices.push({ systemMessage: planHint, modelNote: null });
      await writeOutbox(rt.paths.outboxDir, job.sighting.sessionId, notices, rt.now().getTime());
      tracked++;
    } catch (e) {
      if (e instanceof LockBusyError) return { tracked, settled, busy: true };
      rt.log('error', 'tracker', `${job.sighting.event} of ${job.sighting.sessionId}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    for (const f of job.files) {
      removeQuietly(f);
      settled++;
    }
  }
  try {
    await writeStatuslineSnapshot(rt, rt.now().getTime(), contexts, quota);
  } catch (e) {
    // A config dir removed under us is not made again just to say so.
    if (existsSync(rt.paths.stateDir)) rt.log('warn', 'tracker', `status line snapshot not written: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { tracked, settled, busy: false };
}

/**
 * Why a transcript path from a hook payload is refused, or null when it may be read: it must be
 * absolute and, when it exists, a regular file off /proc, /sys and /dev (unreadableKind). Nothing is opened.
 */
export function refusedTranscript(p: string | null): string | null {
  if (p === null) return null;
  if (!path.isAbsolute(p) || p.includes('\0')) return 'is not an absolute path';
  const kind = unreadableKind(p);
  return kind === null ? null : `is ${kindPhrase(kind)}`;
}

/**
 * The sighting with its transcript filled in when the event did not name one (a shell front's poke, a
 * payload without `transcript_path`): the session's recorded transcript, else `<session>.jsonl` found
 * under a config dir's `projects/<folder>/`. The rest of the record (cwd, CLAUDE_PID, auto-compaction
 * settings) stays as recorded: the sighting leaves those fields empty.
 */
function withKnownTranscript(rt: Runtime, s: SessionSighting, recordOf: (sessionId: string) => SessionRecord | undefined): SessionSighting {
  if (s.transcriptPath !== null) return s;
  const rec = recordOf(s.sessionId);
  const found = rec?.transcriptPath ?? findTranscript(transcriptRoots(rt), s.sessionId);
  return { ...s, transcriptPath: found, cwd: s.cwd === '' ? (rec?.cwd ?? null) : s.cwd };
}

function findTranscript(roots: readonly string[], sessionId: string): string | null {
  // The id comes from a payload: `../x` or `a/b` must not lead the search out of `projects/<folder>/`.
  if (!isPlainSegment(`${sessionId}.jsonl`)) return null;
  for (const root of roots) {
    let dirs: string[] = [];
    try {
      dirs = readdirSync(path.join(root, 'projects'));
    } catch {
      continue;
    }
    for (const d of dirs) {
      const f = path.join(root, 'projects', d, `${sessionId}.jsonl`);
      if (existsSync(f)) return f;
    }
  }
  return null;
}

function removeQuietly(f: string): void {
  try {
    unlinkSync(f);
  } catch {
    // already gone
  }
}
