import { contextStatus } from '../context/context-status.ts';
import { planBudget } from '../config/config.ts';
import { quotaStatus } from '../quota/quota-status.ts';
import { renderSessionStatus } from '../render/session-status.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { QuotaTrackerSchema, SessionTrackerSchema, type SessionRecord, type SessionTracker } from '../store/schemas.ts';
import { emptySessionTracker, trackAll } from '../store/track.ts';
import { readState } from '../store/update.ts';
import { countedTokens } from '../usage/tokens.ts';
import { emptyQuotaTracker, fromStored } from '../usage/window-ledger.ts';
import type { CommandRun } from './command.ts';
import { UsageError } from './errors.ts';

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
 * @throws UsageError for a bad flag, an unknown `--session` id, or an unusable plan config
 */
export async function statusCommand(rt: Runtime, args: string[], cwd = process.cwd()): Promise<string> {
  const wanted = flagValue(args, '--session');
  const { config, problem } = loadConfig(rt);
  const nowMs = rt.now().getTime();
  await trackAll(rt, nowMs - CATCH_UP_SPAN_MS, { lockBudgetMs: 5_000 });
  const sessions = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker);
  const quota = readState(rt.paths.quotaTracker, QuotaTrackerSchema, emptyQuotaTracker);
  const { session, chosenBy } = pickSession(sessions, wanted, rt.env.CLAUDE_CODE_SESSION_ID, cwd);
  const w = config.quota.weights;
  let budget: number;
  try {
    budget = planBudget(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const sample = Object.values(sessions.sessions).reduce(
    (acc, s) => {
      const calls = Object.values(s.tools).reduce((n, t) => n + t.calls, 0);
      if (calls > 0) { acc.calls += calls; acc.tokens += countedTokens(s.tokens, w); }
      return acc;
    },
    { tokens: 0, calls: 0 },
  );
  const view = {
    nowMs,
    session,
    sessionChosenBy: chosenBy,
    weights: w,
    quota: quotaStatus({
      plan: config.plan, budget, weights: w, thresholds: config.quota.thresholds, nowMs,
      blocks: quota.blocks.map(fromStored),
      recent: Object.values(quota.seen).map((v) => [v[0], { input_tokens: v[1], output_tokens: v[2], cache_creation_input_tokens: v[3], cache_read_input_tokens: v[4] }] as const),
      toolCallSample: sample,
    }),
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
