import { installedSeeds } from '../claude/seed-commands.ts';
import { slashFor } from '../render/command-names.ts';
import type { ContextReading } from '../claude/transcript-digest.ts';
import { readTranscriptRecords, type TranscriptRecord } from '../claude/transcript-records.ts';
import { analyzeContext, lastMeasuredContext, type ContextAnalysis } from '../context/analysis.ts';
import { contextStatus, type ContextStatus } from '../context/context-status.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { emptySessionTracker, type SessionRecord, SessionTrackerSchema } from '../store/schemas.ts';
import { trackAll } from '../tracker/track-step.ts';
import { readState } from '../store/update.ts';
import { parseCommand } from './args.ts';
import { UsageError } from './errors.ts';
import type { CONTEXT } from './specs.ts';
import { pickSession } from './session-pick.ts';

/** Transcripts modified within this span are caught up first (as `cco status` does). */
const CATCH_UP_SPAN_MS = 10 * 3_600_000;

export interface ContextArgs {
  session: string | null;
  json: boolean;
  /** `--keep-turns N`, else null (config `context.keepTurns`, else 10). */
  keepTurns: number | null;
}

/**
 * Parses `[--session <id>] [--json] [--keep-turns <n>]` by `spec` (CONTEXT or COMPACT_PLAN).
 * @throws UsageError for anything else, and for a `--keep-turns` that is not a whole number >= 1
 */
export function parseContextArgs(spec: typeof CONTEXT, args: readonly string[]): ContextArgs {
  const { values } = parseCommand(spec, args);
  const k = values['keep-turns'];
  const n = k === undefined ? null : /^\d+$/.test(k.trim()) ? Number(k) : Number.NaN;
  if (n !== null && !(n >= 1)) throw new UsageError(`--keep-turns needs a whole number of at least 1, not "${k}"`, spec.name);
  return { session: values.session ?? null, json: values.json === true, keepTurns: n };
}

/** What both context commands show. */
export interface LoadedContext {
  nowMs: number;
  session: SessionRecord | null;
  chosenBy: string;
  status: ContextStatus;
  /** Null when there is no session or its transcript cannot be read. */
  analysis: ContextAnalysis | null;
  /** Why figures are n/a (no session, transcript missing or unreadable, no usage yet), or null. */
  reason: string | null;
  /** Why `cco/config.json` was ignored, or null. */
  problem: string | null;
}

/**
 * Catches up recent transcripts, picks the session (`--session`, else `CLAUDE_CODE_SESSION_ID`, else the
 * latest in `cwd`, else the latest), reads its transcript and analyzes the live context. The measured
 * total of the breakdown is the session record's context reading; when that is missing or 0 (a
 * `<synthetic>` error response carries zero usage) the transcript's last measured response or
 * compaction is used. The window, level and Used line come from `contextStatus` as in /session-status
 * (a fresh statusline reading wins there, so Used can differ from the breakdown's total; both are labelled).
 *
 * @throws CommandFailure for an unknown `--session` id
 */
export async function loadContext(rt: Runtime, a: ContextArgs, cwd: string): Promise<LoadedContext> {
  const { config, problem } = loadConfig(rt);
  const nowMs = rt.now().getTime();
  await trackAll(rt, nowMs - CATCH_UP_SPAN_MS, { lockBudgetMs: 5_000 });
  const sessions = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker);
  const { session, chosenBy } = pickSession(sessions, a.session, rt.env.CLAUDE_CODE_SESSION_ID, cwd);
  const keepTurns = a.keepTurns ?? config.context.keepTurns;
  const cfg = config.context;
  if (session === null) {
    return {
      nowMs,
      session,
      chosenBy,
      status: contextStatus(null, null, cfg),
      analysis: null,
      reason: 'no session tracked yet (no transcripts found under the Claude config directories)',
      problem,
    };
  }
  let records: TranscriptRecord[] | null = null;
  let reason: string | null = null;
  if (session.transcriptPath === null) reason = 'the transcript of this session is not known yet';
  else {
    try {
      records = readTranscriptRecords(session.transcriptPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === undefined) throw e;
      reason = code === 'ENOENT' ? `transcript not found: ${session.transcriptPath}` : `transcript unreadable (${code}): ${session.transcriptPath}`;
    }
  }
  let reading: ContextReading | null = session.context !== null && session.context.tokens > 0 ? session.context : null;
  if (reading === null && records !== null) {
    const last = lastMeasuredContext(records);
    if (last !== null) reading = { tokens: last.tokens, timeMs: null, source: last.source };
  }
  // Window, level and Used as /session-status shows them (a fresh statusline reading wins there); the
  // breakdown's total is the transcript reading, with its own source.
  const status = contextStatus(reading, session.model, cfg, {
    statusline: session.statusline ?? null,
    growthPerHour: session.contextGrowthPerHour ?? null,
    autoCompact: session.autoCompact,
    slash: slashFor(installedSeeds(rt.paths.stateDir)),
    nowMs,
  });
  if (records === null) return { nowMs, session, chosenBy, status, analysis: null, reason, problem };
  if (reading === null) reason = 'no response with usage in this session yet';
  const analysis = analyzeContext(records, {
    total: reading === null ? null : { tokens: reading.tokens, source: reading.source === 'usage' ? 'measured, last response' : 'measured, after compaction' },
    keepTurns,
    cwd: session.cwd,
  });
  return { nowMs, session, chosenBy, status, analysis, reason, problem };
}
