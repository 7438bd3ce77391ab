import { fillFraction } from '../render/context-figures.ts';
import type { SessionStatusView } from '../render/session-status.ts';
import type { SessionsView } from '../quota/sessions-view.ts';
import { countedTokens } from '../usage/tokens.ts';

/**
 * `cco status --json`: the figures the /session-status report shows, each with the label of where it
 * comes from where the report prints one. Times are epoch ms, durations ms (or the unit in the name),
 * token figures counted tokens (input + output + cache creation, weighted as configured), percentages
 * 0-100 (a fill or usage may pass 100).
 */
export interface StatusJson {
  nowMs: number;
  /** The current 5-hour window; null when none is open (the next request starts one). */
  window: {
    startMs: number;
    endMs: number;
    /** `official` (Claude Code's reset time) or how it was estimated. */
    source: string;
    elapsedMs: number;
    remainingMs: number;
  } | null;
  quota: {
    /** The plan (`pro`, `max5`, `custom`, ...) and its budget per window with the budget's source label. */
    plan: string;
    budgetTokens: number;
    budgetSource: string;
    /** Counted tokens in the window so far (measured from the transcripts). */
    usedTokens: number;
    usedPct: number;
    /** `official`, `official, N min old[, projected]`, or the budget's label (an estimate). */
    usedPctSource: string;
    /** Tokens left before 100 % (an estimate against the budget: its source is budgetSource). */
    remainingTokens: number;
    level: string;
    recommendation: string;
    /** Counted tokens per minute over the last 30 min, all sessions (measured). */
    burnPerMin: number;
    /** Minutes to 100 % at that rate (estimate); null when idle. */
    runwayMin: number | null;
    runwayToolCalls: number | null;
    /** Counted tokens per tool call of the tracked sessions (measured); null without tool calls. */
    tokensPerToolCall: number | null;
    nextAlertPct: number | null;
    tokensToNextAlert: number | null;
    /** The 7-day utilization Claude Code reported (official), with its pace; null when none was captured. */
    weekly: {
      usedPct: number;
      /** `official` or `official, N min old`. */
      source: string;
      resetsAtMs: number;
      pctPerHour: number | null;
      fullAtMs: number | null;
      fullBeforeReset: boolean;
    } | null;
  };
  /** The session shown and how it was chosen; null when none is tracked yet. */
  session: {
    id: string;
    chosenBy: string;
    model: string | null;
    cwd: string | null;
    agent: string;
    /** Counted tokens of the session (measured). */
    countedTokens: number;
    responses: number;
    /** Tool calls by tool name, and their total (measured). */
    toolCalls: number;
    tools: Record<string, number>;
  } | null;
  /** The session's context window. Each figure null while unknown, with the label saying why. */
  context: {
    model: string | null;
    windowTokens: number | null;
    windowSource: string;
    usableLimitTokens: number | null;
    usableSource: string;
    usedTokens: number | null;
    usedSource: string;
    /** usedTokens as % of the usable limit. */
    usedPctOfUsable: number | null;
    level: string | null;
    recommendation: string | null;
    nextAlertPct: number | null;
    tokensToNextAlert: number | null;
    /** Growth (tokens/h, estimate) and the hours until the usable limit at that pace. */
    growthPerHour: number | null;
    hoursLeft: number | null;
    /** What fills it (estimate scaled to the measured total) and the tokens that could go; null when not analysed. */
    breakdown: { parts: { label: string; tokens: number }[]; total: number; reclaimableTokens: number } | null;
  };
  /** The planned session in progress for the project, if any. */
  objective: { id: string; title: string } | null;
  /** SESSIONS ON THIS MACHINE (as `cco sessions --json`), when loaded. */
  sessions: SessionsView | null;
  /** The Note lines under the report (config problems, plan hints). */
  notes: string[];
}

/** The StatusJson of a /session-status view and its notes. Pure. */
export function statusJson(v: SessionStatusView, notes: readonly string[]): StatusJson {
  const q = v.quota;
  const c = v.context;
  const s = v.session;
  const w = q.weekly;
  const fill = fillFraction(c);
  return {
    nowMs: v.nowMs,
    window: q.window === null ? null : { ...q.window, elapsedMs: v.nowMs - q.window.startMs, remainingMs: q.window.endMs - v.nowMs },
    quota: {
      plan: q.plan,
      budgetTokens: q.budget,
      budgetSource: q.budgetSource,
      usedTokens: q.used,
      usedPct: q.usedPct,
      usedPctSource: q.usedPctSource,
      remainingTokens: q.remaining,
      level: q.level.name,
      recommendation: q.level.recommendation,
      burnPerMin: q.burnPerMin,
      runwayMin: q.runwayMin,
      runwayToolCalls: q.runwayToolCalls,
      tokensPerToolCall: q.perToolCall.perCall,
      nextAlertPct: q.nextAlertPct,
      tokensToNextAlert: q.tokensToNextAlert,
      weekly:
        w === null
          ? null
          : {
              usedPct: w.usedPercentage,
              source: w.ageMin === 0 ? 'official' : `official, ${w.ageMin} min old`,
              resetsAtMs: w.resetsAtMs,
              pctPerHour: w.pctPerHour,
              fullAtMs: w.fullAtMs,
              fullBeforeReset: w.fullBeforeReset,
            },
    },
    session:
      s === null
        ? null
        : {
            id: s.sessionId,
            chosenBy: v.sessionChosenBy,
            model: s.model,
            cwd: s.cwd,
            agent: s.agentType ?? 'main',
            countedTokens: countedTokens(s.tokens, v.weights),
            responses: s.entries,
            toolCalls: Object.values(s.tools).reduce((n, t) => n + t.calls, 0),
            tools: Object.fromEntries(
              Object.entries(s.tools)
                .filter(([, t]) => t.calls > 0)
                .map(([name, t]) => [name, t.calls]),
            ),
          },
    context: {
      model: c.model,
      windowTokens: c.windowSize,
      windowSource: c.windowSource,
      usableLimitTokens: c.usableLimit,
      usableSource: c.usableSource,
      usedTokens: c.used,
      usedSource: c.usedSource,
      usedPctOfUsable: fill === null ? null : fill * 100,
      level: c.level?.name ?? null,
      recommendation: c.level?.recommendation ?? null,
      nextAlertPct: c.nextAlertPct,
      tokensToNextAlert: c.tokensToNextAlert,
      growthPerHour: c.growthPerHour,
      hoursLeft: c.hoursLeft,
      breakdown:
        v.contextShares == null ? null : { parts: v.contextShares.parts, total: v.contextShares.total, reclaimableTokens: v.contextShares.reclaimable },
    },
    objective: v.objective == null ? null : { id: v.objective.id, title: v.objective.title },
    sessions: v.sessions ?? null,
    notes: [...notes],
  };
}
