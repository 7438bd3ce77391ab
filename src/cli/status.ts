import { accountDirs } from '../store/account-dirs.ts';
import { contextStatus } from '../context/context-status.ts';
import { readTranscriptRecords } from '../claude/transcript-records.ts';
import { analyzeContext } from '../context/analysis.ts';
import { readCurrentObjective } from '../plan/queue-store.ts';
import { quotaFromState } from '../quota/quota-from-state.ts';
import { renderSessionStatus, type ContextShares, type SessionStatusView } from '../render/session-status.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { emptySessionTracker, QuotaTrackerSchema, SessionTrackerSchema } from '../store/schemas.ts';
import { trackAll } from '../tracker/track-step.ts';
import { readState } from '../store/update.ts';
import { cannotSave, cannotSaveLine } from '../store/save-error.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';
import type { CommandRun } from './command.ts';
import { pickSession } from './session-pick.ts';
import { parseCommand } from './args.ts';
import { STATUS } from './specs.ts';
import { statusJson } from './status-json.ts';
import { selfCommand } from './self-command.ts';
import { mixedClaudeAccounts, readRegistry, type GoneDir } from '../store/config-dirs-registry.ts';
import { planHint } from '../config/config.ts';
import { NO_PLAN_SOURCE } from '../quota/budget.ts';
import { installedSeeds } from '../claude/seed-commands.ts';
import { slashFor } from '../render/command-names.ts';
import { loadSessionsView } from './sessions.ts';
import { WINDOW_MS } from '../usage/blocks.ts';

/** `cco status [--session <id>] [--json]`: the report as text, or its figures as JSON (StatusJson). */
export const run: CommandRun = async (rt, args, io) => {
  io.stdout(await statusCommand(rt, args, io.cwd, io.stderr));
  return 0;
};

/**
 * What `cco status` prints for `args`: the /session-status report, or with `--json` a StatusJson (see
 * status-json.ts) and a newline. When the catch-up cannot be saved (a full disk, a read-only state dir)
 * the report is still printed, from what was saved before, and `warn` gets one line saying so.
 *
 * @param warn where the one line of a failed save goes (stderr)
 * @throws UsageError for a bad command line; CommandFailure for an unknown `--session` id
 */
export async function statusCommand(
  rt: Runtime,
  args: readonly string[],
  cwd = process.cwd(),
  warn: (line: string) => void = (l) => void process.stderr.write(l),
): Promise<string> {
  const { values } = parseCommand(STATUS, args);
  const { view, notes, saveError } = await statusView(rt, values.session ?? null, cwd);
  if (saveError !== null) warn(cannotSaveLine(rt.paths.stateDir, saveError, 'the report shows the figures saved before'));
  if (values.json === true) return `${JSON.stringify(statusJson(view, notes), null, 1)}\n`;
  return renderSessionStatus(view) + notes.map((n) => `\nNote: ${n}\n`).join('');
}

/** Transcripts modified within this span are caught up before a status report (two windows). */
const CATCH_UP_SPAN_MS = 10 * 3_600_000;

/**
 * Catches up recent transcripts, then gathers what the /session-status report shows from the state
 * files, and the notes to print under it. The session shown is `wanted` (`--session`), else
 * `CLAUDE_CODE_SESSION_ID`, else the most recently seen session in `cwd`, else the most recently seen one.
 *
 * @returns also `saveError`: the error code when the catch-up could not be saved (store/save-error.ts),
 *   else null; the view is then of the state files as they were
 * @throws CommandFailure for an unknown `wanted` id; LockBusyError when the state files stay locked
 */
async function statusView(rt: Runtime, wanted: string | null, cwd: string): Promise<{ view: SessionStatusView; notes: string[]; saveError: string | null }> {
  const loaded = loadConfig(rt);
  const config = loaded.config;
  const notes: string[] = loaded.problem === null ? [] : [loaded.problem];
  const nowMs = rt.now().getTime();
  let saveError: string | null = null;
  try {
    await trackAll(rt, nowMs - CATCH_UP_SPAN_MS, { lockBudgetMs: 5_000 });
  } catch (e) {
    // A status report is read-only at heart: a catch-up it cannot save does not keep it from printing.
    saveError = cannotSave(e);
    if (saveError === null) throw e;
    rt.log('warn', 'status', `catch-up not saved: ${e instanceof Error ? e.message : String(e)}`);
  }
  const sessions = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker);
  const quota = readState(rt.paths.quotaTracker, QuotaTrackerSchema, emptyQuotaTracker);
  const { session, chosenBy } = pickSession(sessions, wanted, rt.env.CLAUDE_CODE_SESSION_ID, cwd);
  if (config.plan === 'custom' && config.customBudget === undefined && quota.blocks.every((b) => !b.final) && quota.calibration.length === 0) {
    notes.push('plan "custom" has no "customBudget" and no past windows yet: estimating against the pro preset');
  }
  const q = quotaFromState(quota, sessions, config, nowMs);
  if (q.budgetSource === NO_PLAN_SOURCE && quota.readings.length === 0) notes.push(planHint(loaded.file).replace(/^cco: /, ''));
  const goneNote = goneDirsNote(accountDirs(rt).gone, nowMs, selfCommand());
  if (goneNote !== null) notes.push(goneNote);
  const mixed = mixedClaudeAccounts(readRegistry(rt.paths.configDirsRegistry), rt.account);
  if (mixed.length > 1)
    notes.push(
      `config dirs ${mixed.join(' and ')} are signed in to different Claude accounts but count as one; set CCO_ACCOUNT in one's settings.json env to keep it apart (${selfCommand()} doctor)`,
    );
  const slash = slashFor(installedSeeds(rt.paths.stateDir));
  const contextShares =
    session === null ? null : contextSummary(session.transcriptPath, session.cwd, session.context?.tokens ?? null, config.context.keepTurns);
  const view: SessionStatusView = {
    nowMs,
    session,
    sessionChosenBy: chosenBy,
    weights: config.quota.weights,
    quota: q,
    sessions: await loadSessionsView(rt, sessions, q, config, nowMs),
    contextShares,
    objective: readCurrentObjective(rt, session?.cwd ?? cwd),
    slash,
    context: contextStatus(session?.context ?? null, session?.model ?? null, config.context, {
      statusline: session?.statusline ?? null,
      growthPerHour: session?.contextGrowthPerHour ?? null,
      autoCompact: session?.autoCompact,
      slash,
      nowMs,
    }),
  };
  return { view, notes, saveError };
}

/**
 * A note on config dirs of the account that were seen within one 5-hour window and no longer exist
 * (usage tracked from them still counts until it leaves the window); null when there are none. Older
 * ones matter no longer and are `cco doctor`'s to list (`self`: how cco is run, selfCommand). One line,
 * whatever their number. Pure.
 */
export function goneDirsNote(gone: readonly GoneDir[], nowMs: number, self = 'cco'): string | null {
  const recent = gone.filter((g) => nowMs - Date.parse(g.lastSeenAt) <= WINDOW_MS);
  if (recent.length === 0) return null;
  const more = recent.length > 1 ? ` (+${recent.length - 1} more, ${self} doctor)` : '';
  return `the config dir ${recent[0]!.dir}${more}, seen within the last 5 hours, no longer exists: usage tracked from it still counts toward this window`;
}

/**
 * The breakdown's parts and the reclaimable tokens of a session's context, for the CONTEXT WINDOW
 * section; null when the transcript is unknown, unreadable or has no measured context yet.
 */
function contextSummary(transcript: string | null, cwd: string | null, total: number | null, keepTurns: number): ContextShares | null {
  if (transcript === null || total === null || total <= 0) return null;
  try {
    const a = analyzeContext(readTranscriptRecords(transcript), { total: { tokens: total, source: 'measured' }, cwd, keepTurns });
    if (a.breakdown === null) return null;
    return { parts: a.breakdown.parts.map((p) => ({ label: p.label, tokens: p.tokens })), total: a.breakdown.total, reclaimable: a.opportunities.totalTokens };
  } catch {
    return null;
  }
}
