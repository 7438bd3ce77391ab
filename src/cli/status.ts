import { contextStatus } from '../context/context-status.ts';
import { quotaFromState } from '../quota/quota-from-state.ts';
import { renderSessionStatus } from '../render/session-status.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { QuotaTrackerSchema, SessionTrackerSchema, type SessionRecord, type SessionTracker } from '../store/schemas.ts';
import { emptySessionTracker, trackAll } from '../store/track.ts';
import { readState } from '../store/update.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';
import type { CommandRun } from './command.ts';
import { UsageError } from './errors.ts';
import { loadSessionsView } from './sessions.ts';

/** `cco status [--session <id>]`. */
export const run: CommandRun = async (rt, args, io) => {
  io.stdout(await statusCommand(rt, args, io.cwd));
  return 0;
};

/** Transcripts modified within this span are caught up before a status report (two windows). */
const CATCH_UP_SPAN_MS = 10 * 3_600_000;

/**
 * `cco status [--session <id>]`: catches up recent transcripts, then renders the /session-status report
 * from the state files. The session shown is `--session`, else `CLAUDE_CODE_SESSION_ID`, else the most
 * recently seen session in the current directory, else the most recently seen one.
 *
 * @throws UsageError for a bad flag or an unknown `--session` id
 */
export async function statusCommand(rt: Runtime, args: string[], cwd = process.cwd()): Promise<string> {
  const wanted = flagValue(args, '--session');
  const loaded = loadConfig(rt);
  const config = loaded.config;
  let problem = loaded.problem;
  const nowMs = rt.now().getTime();
  await trackAll(rt, nowMs - CATCH_UP_SPAN_MS, { lockBudgetMs: 5_000 });
  const sessions = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker);
  const quota = readState(rt.paths.quotaTracker, QuotaTrackerSchema, emptyQuotaTracker);
  const { session, chosenBy } = pickSession(sessions, wanted, rt.env.CLAUDE_CODE_SESSION_ID, cwd);
  if (config.plan === 'custom' && config.customBudget === undefined && quota.blocks.every((b) => !b.final) && quota.calibration.length === 0) {
    problem ??= 'plan "custom" has no "customBudget" and no past windows yet: estimating against the pro preset';
  }
  const q = quotaFromState(quota, sessions, config, nowMs);
  const view = {
    nowMs,
    session,
    sessionChosenBy: chosenBy,
    weights: config.quota.weights,
    quota: q,
    sessions: await loadSessionsView(rt, sessions, q, config, nowMs),
    context: contextStatus(session?.context ?? null, session?.model ?? null, config.context),
  };
  return renderSessionStatus(view) + (problem === null ? '' : `\nNote: ${problem}\n`);
}

function pickSession(t: SessionTracker, wanted: string | null, envId: string | undefined, cwd: string): { session: SessionRecord | null; chosenBy: string } {
  if (wanted !== null) {
    const s = t.sessions[wanted];
    if (s === undefined) throw new UsageError(`no tracked session with id ${wanted}`);
    return { session: s, chosenBy: '--session' };
  }
  if (envId !== undefined && t.sessions[envId] !== undefined) return { session: t.sessions[envId]!, chosenBy: 'this session' };
  const all = Object.values(t.sessions).sort((a, b) => Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt) || Date.parse(b.lastUsageAt ?? '0') - Date.parse(a.lastUsageAt ?? '0'));
  const here = all.find((s) => s.cwd === cwd);
  if (here !== undefined) return { session: here, chosenBy: 'latest in this directory' };
  return { session: all[0] ?? null, chosenBy: 'latest on this machine' };
}

function flagValue(args: string[], flag: string): string | null {
  const i = args.indexOf(flag);
  if (i < 0) return null;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return v;
}
