import { DISPLAY_PATH_MAX, displayText } from './display-text.ts';
import type { ContextStatus } from '../context/context-status.ts';
import type { QuotaStatus } from '../quota/quota-status.ts';
import type { SessionRecord } from '../store/schemas.ts';
import { countedTokens, type TokenWeights } from '../usage/tokens.ts';
import type { SessionsView } from '../quota/sessions-view.ts';
import { fillRows, limitText, nextAlertText, usedText, windowText } from './context-figures.ts';
import { bar, fmtDuration, fmtInt, fmtPct, fmtTime } from './format.ts';
import type { PlannedSession } from '../plan/queue-schema.ts';
import { currentObjectiveLines } from './plan.ts';
import { renderSessionsSection } from './sessions.ts';
import { pluginSlash, type Slash } from './command-names.ts';
import { advice } from '../quota/alert-text.ts';
import { kv } from './kv.ts';

/** The context breakdown in brief: parts (tokens, summing to `total`) and reclaimable tokens (estimate). */
export interface ContextShares {
  parts: { label: string; tokens: number }[];
  total: number;
  reclaimable: number;
}

/** Everything the /session-status report shows. */
export interface SessionStatusView {
  nowMs: number;
  session: SessionRecord | null;
  /** How the session was chosen (`--session`, `CLAUDE_CODE_SESSION_ID`, `latest in this directory`, ...). */
  sessionChosenBy: string;
  quota: QuotaStatus;
  context: ContextStatus;
  weights: TokenWeights;
  /** What fills the context (estimate scaled to the measured total) and what could be dropped. */
  contextShares?: ContextShares | null;
  /** The planned session in progress for this project (`cco plan start`), if any. */
  objective?: PlannedSession | null;
  /** SESSIONS ON THIS MACHINE, when loaded. */
  sessions?: SessionsView;
  /** How the person types cco's commands (default `/cco:<name>`). */
  slash?: Slash;
}

const RULE = '─'.repeat(62);

/** Renders the /session-status report: three sections and a verdict, every figure with its source. Pure. */
export function renderSessionStatus(v: SessionStatusView): string {
  const q = v.quota;
  const c = v.context;
  const s = v.session;
  const slash = v.slash ?? pluginSlash;
  const out: string[] = [];
  const row = (label: string, value: string) => out.push(kv(label, value));

  out.push(`CLAUDE CODE SESSION STATUS  ·  ${fmtTime(v.nowMs)}`, RULE, 'SESSION WINDOW');
  if (q.window === null) {
    row('Status', 'NO ACTIVE 5-HOUR WINDOW (your next request starts one)');
  } else {
    const elapsed = v.nowMs - q.window.startMs;
    const total = q.window.endMs - q.window.startMs;
    row('Status', `ACTIVE  (${q.window.source})`);
    row('Started', fmtTime(q.window.startMs));
    row('Expires', `${fmtTime(q.window.endMs)}  (start + 5h)`);
    row('Elapsed', `${fmtDuration(elapsed)} / 5h`);
    row('Remaining', fmtDuration(q.window.endMs - v.nowMs));
    row('Progress', `${bar(elapsed / total)} ${fmtPct(elapsed / total)}`);
  }
  row('Session', s === null ? 'none tracked yet' : `${displayText(s.sessionId)}  (${v.sessionChosenBy})`);
  if (s !== null) {
    row('Session tokens', `${fmtInt(countedTokens(s.tokens, v.weights))} counted · ${fmtInt(s.entries)} response${s.entries === 1 ? '' : 's'}  (measured)`);
    const calls = Object.values(s.tools).reduce((n, t) => n + t.calls, 0);
    row('Tool calls', `${fmtInt(calls)}${calls > 0 ? `  (${topTools(s)})` : ''}  (measured)`);
    row('Agent', s.agentType == null ? 'main' : displayText(s.agentType));
    row('Working dir', s.cwd === null ? 'unknown' : displayText(s.cwd, DISPLAY_PATH_MAX));
  }

  if (v.objective) out.push('', 'CURRENT OBJECTIVE  (planned session in progress)', ...currentObjectiveLines(v.objective, q.budget).map((l) => `  ${l}`));

  out.push('', 'TOKEN QUOTA  (rolling 5-hour window)');
  row('Plan', `${q.plan}: ${fmtInt(q.budget)} tokens / 5h  (${q.budgetSource})`);
  row('Used', `${fmtPct(q.usedFraction)}  (${q.usedPctSource}) · ${fmtInt(q.used)} tokens counted in the window (measured)`);
  row('Remaining', `${fmtInt(q.remaining)} tokens  (${q.budgetSource})`);
  row('Usage', `${bar(q.usedFraction)} ${fmtPct(q.usedFraction)}`);
  row('Burn rate', `${fmtInt(q.burnPerMin)} tokens/min over the last 30 min, all sessions  (measured)`);
  row('Runway', runway(q, v.nowMs));
  row('Reset', q.window === null ? 'no window open' : `${fmtTime(q.window.endMs)}  (in ${fmtDuration(q.window.endMs - v.nowMs)}; ${q.window.source})`);
  row('Status', `${q.level.name}: ${advice(q.level.recommendation, slash)}`);
  row('Next alert', q.nextAlertPct === null ? 'none left in this window' : `at ${q.nextAlertPct}% (~${fmtInt(q.tokensToNextAlert ?? 0)} tokens away)`);
  row('7-day', weekly(q, v.nowMs));

  out.push('', 'CONTEXT WINDOW');
  row('Model', c.model === null ? 'unknown' : displayText(c.model));
  row('Window', windowText(c));
  row('Limit', limitText(c));
  row('Used', usedText(c));
  for (const [label, value] of fillRows(c)) row(label, value);
  if (v.contextShares) {
    const cs = v.contextShares;
    row(
      'Breakdown',
      `${cs.parts
        .filter((p) => p.tokens > 0)
        .sort((a, b) => b.tokens - a.tokens)
        .slice(0, 4)
        .map((p) => `${p.label} ${fmtPct(p.tokens / cs.total)}`)
        .join(' · ')}  (estimate, scaled to the measured total)`,
    );
    row('Reclaimable', `~${fmtInt(cs.reclaimable)} tokens  (estimate; ${slash('compact-context')} shows what and the /compact line)`);
  }
  row(
    'Growth',
    c.growthPerHour === null
      ? 'n/a (needs 5+ min of this session since its last compaction)'
      : `~${fmtInt(c.growthPerHour)} tokens/h  (estimate, last hour)${c.hoursLeft === null ? '' : ` · usable limit in ~${fmtDuration(c.hoursLeft * 3_600_000)}`}`,
  );
  row('Status', c.level === null ? 'n/a' : `${c.level.name}: ${c.level.recommendation}`);
  row('Next alert', nextAlertText(c));

  if (v.sessions !== undefined) out.push('', ...renderSessionsSection(v.sessions, { maxRecent: 5 }));

  const h = health(q, c, slash);
  out.push('', 'COMBINED HEALTH', `  ${h.word}: ${h.sentence}`);
  return out.join('\n') + '\n';
}

function weekly(q: QuotaStatus, nowMs: number): string {
  const w = q.weekly;
  if (w === null) return "n/a (Claude Code reports it to the status line for subscribers; none captured yet: /cco:setup sets cco's)";
  const src = w.ageMin === 0 ? 'official' : `official, ${w.ageMin} min old`;
  const head = `${w.usedPercentage.toFixed(1)}% used  (${src}) · resets ${fmtTime(w.resetsAtMs)} (in ${fmtDuration(w.resetsAtMs - nowMs)})`;
  if (w.pctPerHour === null) return `${head} · pace: needs a reading at least 1 h older`;
  if (w.fullAtMs === null) return `${head} · pace: flat over the last ${w.spanHours!.toFixed(0)} h`;
  const verdict = w.fullBeforeReset ? `reaches 100% at ${fmtTime(w.fullAtMs)}, BEFORE the reset` : 'stays under 100% until the reset';
  return `${head} · at ${w.pctPerHour.toFixed(2)}%/h (last ${w.spanHours!.toFixed(0)} h) it ${verdict}`;
}

function runway(q: QuotaStatus, nowMs: number): string {
  const calls =
    q.runwayToolCalls === null
      ? ''
      : `~${fmtInt(q.runwayToolCalls)} tool calls at ${fmtInt(q.perToolCall.perCall ?? 0)} tokens per tool call (measured, counted tokens / tool calls of your sessions)`;
  if (q.runwayMin === null) return `idle (no usage in the last 30 min)${calls === '' ? '' : `; ${calls}`}`;
  const capped = q.window !== null && q.runwayMin * 60_000 > q.window.endMs - nowMs ? ' (outlasts the window)' : '';
  return `~${fmtDuration(q.runwayMin * 60_000)}${capped}  (estimate, at the current burn rate)${calls === '' ? '' : ` · ${calls}`}`;
}

/** Most used first (then by name), every tool named up to `max`, the rest as `+N more` (N tools). Pure. */
function topTools(s: Pick<SessionRecord, 'tools'>, max = 8): string {
  const used = Object.entries(s.tools)
    .filter(([, t]) => t.calls > 0)
    .sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const shown = used.length <= max ? used : used.slice(0, max - 1);
  const rest = used.length - shown.length;
  return [...shown.map(([n, t]) => `${displayText(n)} ${fmtInt(t.calls)}`), ...(rest > 0 ? [`+${rest} more`] : [])].join(', ');
}

const QUOTA_RANK: Record<string, number> = { FRESH: 0, EXCELLENT: 0, GOOD: 0, MODERATE: 1, 'HIGH USAGE': 2, DANGER: 3, CRITICAL: 3 };
const CONTEXT_RANK: Record<string, number> = { FRESH: 0, HEALTHY: 0, MODERATE: 1, WARNING: 2, DANGER: 3, CRITICAL: 3 };

function health(q: QuotaStatus, c: ContextStatus, slash: Slash): { word: string; sentence: string } {
  const qr = QUOTA_RANK[q.level.name] ?? 0;
  const cr = c.level === null ? 0 : (CONTEXT_RANK[c.level.name] ?? 0);
  const worst = Math.max(qr, cr);
  const what = qr >= cr ? `quota is ${q.level.name}` : `context is ${c.level!.name}`;
  switch (worst) {
    case 0:
      return { word: 'HEALTHY', sentence: 'quota and context both have room; carry on.' };
    case 1:
      return { word: 'CAUTION', sentence: `${what}; prefer focused tasks.` };
    case 2:
      return { word: 'AT RISK', sentence: `${what}; keep steps small and plan a handoff.` };
    default:
      return { word: 'CRITICAL', sentence: `${what}; save a handoff now (${slash('save-and-restart')}).` };
  }
}
