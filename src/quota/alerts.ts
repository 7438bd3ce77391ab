import { MAX_QUOTA_PCT } from '../claude/figure-bounds.ts';
import { pluginSlash, slashFor, type Slash } from '../render/command-names.ts';
import type { Alert } from '../store/schema-alerts.ts';
import { crossingText, modelNoteText, stateText, type Crossing, type QuotaFigure } from './alert-text.ts';
import { quotaLevel } from './levels.ts';
import type { QuotaStatus } from './quota-status.ts';

/** When alerts fire. Thresholds in % used; reset marks in minutes before the window resets. */
export interface AlertPolicy {
  thresholds: readonly number[];
  resetMarksMin: readonly number[];
  /** From this % on, the model is told too (additionalContext), so it plans smaller steps. */
  modelNoteFromPct: number;
}

/** Alerts older than this are pruned (ms). */
const KEEP_MS = 24 * 3_600_000;

/**
 * Decides which alerts the current quota picture crosses that were not decided yet for this window:
 * each % threshold at or below the used %, each reset mark the window is within (when it has usage).
 * Call under the quota tracker's lock, so that one crossing is recorded once however many sessions see
 * it. `message` and `modelNote` are the words at the crossing (for the desktop notification and the
 * log); what a session is shown is composed when it is shown (takeDelivery, src/quota/alert-text.ts).
 * Pure: returns the new list (the same array when nothing was created) and the alerts created now.
 */
export function decideAlerts(
  existing: readonly Alert[],
  q: QuotaStatus,
  nowMs: number,
  policy: AlertPolicy,
  slash: Slash = pluginSlash,
): { alerts: Alert[]; created: Alert[] } {
  const kept = existing.filter((a) => nowMs - Date.parse(a.createdAt) <= KEEP_MS);
  const pruned = kept.length !== existing.length;
  if (q.window === null) return { alerts: pruned ? kept : (existing as Alert[]), created: [] };
  const windowStart = new Date(q.window.startMs).toISOString();
  const has = new Set(kept.map((a) => a.id));
  const created: Alert[] = [];
  const at = new Date(nowMs).toISOString();
  const figure = figureOf(q)!;
  const resetIn = q.window.endMs - nowMs;
  for (const t of [...policy.thresholds].sort((a, b) => a - b)) {
    const id = `quota-${t}@${windowStart}`;
    if (q.usedPct < t || has.has(id)) continue;
    created.push({
      id,
      kind: 'quota',
      threshold: t,
      windowStart,
      createdAt: at,
      level: quotaLevel(q.usedPct).name,
      deliveredTo: [],
      message: crossingText({ kind: 'quota', threshold: t, crossedAtMs: nowMs }, figure, nowMs, slash),
      modelNote: t >= policy.modelNoteFromPct ? modelNoteText(figure, nowMs, 0, slash) : null,
    });
  }
  if (q.used > 0 && resetIn > 0) {
    for (const m of [...policy.resetMarksMin].sort((a, b) => b - a)) {
      const id = `reset-${m}m@${windowStart}`;
      if (resetIn > m * 60_000 || has.has(id)) continue;
      created.push({
        id,
        kind: 'reset',
        threshold: m,
        windowStart,
        createdAt: at,
        level: quotaLevel(q.usedPct).name,
        deliveredTo: [],
        modelNote: null,
        message: crossingText({ kind: 'reset', threshold: m, crossedAtMs: nowMs }, figure, nowMs, slash),
      });
    }
  }
  if (created.length === 0) return { alerts: pruned ? kept : (existing as Alert[]), created };
  return { alerts: [...kept, ...created], created };
}

/**
 * The figure alerts quote from a quota picture; null without a window. Its % is clamped to
 * [0, MAX_QUOTA_PCT], the bound the hook fronts' reader of a notice holds it to (readQuotaNoticeData):
 * an estimate from astronomical (still valid) token counts would otherwise make a notice whose quota
 * part the front drops. Pure.
 */
export function figureOf(q: Pick<QuotaStatus, 'usedPct' | 'usedPctSource' | 'window'>): QuotaFigure | null {
  return q.window === null ? null : { usedPct: Math.min(Math.max(q.usedPct, 0), MAX_QUOTA_PCT), usedPctSource: q.usedPctSource, windowEndMs: q.window.endMs };
}

/**
 * What a notice needs so that a hook can compose it again with the figure current when it shows it (the
 * status line snapshot's, src/front/outbox.ts): the crossings it reports (null: the window's state, for
 * a session that came after them), the window they belong to, the figure it was composed with (epoch ms)
 * and how commands are named.
 */
export interface QuotaNoticeData {
  crossings: Crossing[] | null;
  windowEndMs: number;
  /** The figure the notice was composed with, and when (epoch ms). */
  figure: QuotaFigure;
  figureAtMs: number;
  modelNoteFromPct: number;
  /** Seed commands installed as user-level commands (src/render/command-names.ts). */
  seeds: string[];
}

/** What one session is shown now: one message for the person, maybe one note for the model, and how to recompose them. */
export interface Delivery {
  systemMessage: string;
  modelNote: string | null;
  alertIds: string[];
  quota: QuotaNoticeData;
}

/** What `takeDelivery` needs beyond the alerts. Times in epoch ms. */
export interface DeliveryContext {
  /** Start of the current 5-hour window, or null when none is open. */
  windowStartMs: number | null;
  /** When the session last started or resumed (null: unknown, every pending alert is new to it). */
  liveSinceMs: number | null;
  /** The current figure (figureOf of the picture just computed). */
  figure: QuotaFigure | null;
  nowMs: number;
  modelNoteFromPct: number;
  seeds: ReadonlySet<string>;
}

/**
 * Takes the alerts of the current window that `sessionId` has not shown yet and marks them delivered to
 * it, with words composed from the current figure. Alerts decided while the session was live become one
 * delivery: the most severe quota crossing and the most urgent reset mark. Alerts decided before it
 * started (or resumed) are not replayed: it gets where the window stands now, once. Pure: returns the
 * new list (the same array when nothing was pending).
 */
export function takeDelivery(alerts: readonly Alert[], sessionId: string, ctx: DeliveryContext): { alerts: Alert[]; delivery: Delivery | null } {
  if (ctx.windowStartMs === null || ctx.figure === null) return { alerts: alerts as Alert[], delivery: null };
  const windowStart = new Date(ctx.windowStartMs).toISOString();
  const pending = alerts.filter((a) => a.windowStart === windowStart && !a.deliveredTo.includes(sessionId));
  if (pending.length === 0) return { alerts: alerts as Alert[], delivery: null };
  const fresh = pending.filter((a) => ctx.liveSinceMs === null || Date.parse(a.createdAt) >= ctx.liveSinceMs);
  const quota = fresh.filter((a) => a.kind === 'quota').sort((a, b) => b.threshold - a.threshold)[0];
  const reset = fresh.filter((a) => a.kind === 'reset').sort((a, b) => a.threshold - b.threshold)[0];
  const shown = [quota, reset].filter((a): a is Alert => a !== undefined);
  const data: QuotaNoticeData = {
    crossings: shown.length === 0 ? null : shown.map((a) => ({ kind: a.kind, threshold: a.threshold, crossedAtMs: Date.parse(a.createdAt) })),
    windowEndMs: ctx.figure.windowEndMs,
    figure: ctx.figure,
    figureAtMs: ctx.nowMs,
    modelNoteFromPct: ctx.modelNoteFromPct,
    seeds: [...ctx.seeds].sort(),
  };
  const ids = new Set(pending.map((a) => a.id));
  return {
    alerts: alerts.map((a) => (ids.has(a.id) ? { ...a, deliveredTo: [...a.deliveredTo, sessionId] } : a)),
    delivery: { ...quotaNoticeText(data, ctx.figure, ctx.nowMs), alertIds: pending.map((a) => a.id), quota: data },
  };
}

/**
 * The words of a quota notice with figure `f` at `nowMs`: one line per crossing (or the window's state),
 * and the model note when a quota crossing or the state is shown and `f` is at or above the policy's
 * `modelNoteFromPct`. Pure.
 */
export function quotaNoticeText(d: QuotaNoticeData, f: QuotaFigure, nowMs: number): { systemMessage: string; modelNote: string | null } {
  const slash = slashFor(new Set(d.seeds));
  const lines = d.crossings === null ? [stateText(f, nowMs, slash)] : d.crossings.map((c) => crossingText(c, f, nowMs, slash));
  const aboutQuota = d.crossings === null || d.crossings.some((c) => c.kind === 'quota');
  return { systemMessage: lines.join('\n'), modelNote: aboutQuota ? modelNoteText(f, nowMs, d.modelNoteFromPct, slash) : null };
}
