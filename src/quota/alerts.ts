import { fmtDuration, fmtTime } from '../render/format.ts';
import type { Alert } from '../store/schema-alerts.ts';
import { quotaLevel } from './levels.ts';
import type { QuotaStatus } from './quota-status.ts';

/** When alerts fire. Thresholds in % used; reset marks in minutes before the window resets. */
export interface AlertPolicy {
  thresholds: readonly number[];
  resetMarksMin: readonly number[];
  /** From this % on, the model is told too (additionalContext), so it plans smaller steps. */
  modelNoteFromPct: number;
}

export const DEFAULT_RESET_MARKS_MIN = [60, 30, 5] as const;
/** Alerts older than this are pruned (ms). */
const KEEP_MS = 24 * 3_600_000;

/**
 * Decides which alerts the current quota picture crosses that were not decided yet for this window:
 * each % threshold at or below the used %, each reset mark the window is within (when it has usage).
 * Call under the quota tracker's lock, so that one crossing is recorded once however many sessions see
 * it. Pure: returns the new list (the same array when nothing was created) and the alerts created now.
 */
export function decideAlerts(existing: readonly Alert[], q: QuotaStatus, nowMs: number, policy: AlertPolicy): { alerts: Alert[]; created: Alert[] } {
  const kept = existing.filter((a) => nowMs - Date.parse(a.createdAt) <= KEEP_MS);
  const pruned = kept.length !== existing.length;
  if (q.window === null) return { alerts: pruned ? kept : (existing as Alert[]), created: [] };
  const windowStart = new Date(q.window.startMs).toISOString();
  const has = new Set(kept.map((a) => a.id));
  const created: Alert[] = [];
  const at = new Date(nowMs).toISOString();
  const resetIn = q.window.endMs - nowMs;
  const resetText = `resets ${fmtTime(q.window.endMs)} (in ${fmtDuration(resetIn)})`;
  for (const t of [...policy.thresholds].sort((a, b) => a - b)) {
    const id = `quota-${t}@${windowStart}`;
    if (q.usedPct < t || has.has(id)) continue;
    const level = quotaLevel(q.usedPct);
    created.push({
      id, kind: 'quota', threshold: t, windowStart, createdAt: at, level: level.name, deliveredTo: [],
      message: `cco: ${t}% of the 5-hour quota reached: ${q.usedPct.toFixed(1)}% used (${q.usedPctSource}); ${resetText}. ${level.name}: ${level.recommendation}`,
      modelNote: t >= policy.modelNoteFromPct
        ? `The user's Claude Code 5-hour usage window is ${q.usedPct.toFixed(0)}% used and ${resetText}. Plan smaller steps: targeted edits, minimal file reads and tool output, no broad exploration; suggest saving a handoff (/save-and-restart) before any large task.`
        : null,
    });
  }
  if (q.used > 0 && resetIn > 0) {
    for (const m of [...policy.resetMarksMin].sort((a, b) => b - a)) {
      const id = `reset-${m}m@${windowStart}`;
      if (resetIn > m * 60_000 || has.has(id)) continue;
      created.push({
        id, kind: 'reset', threshold: m, windowStart, createdAt: at, level: quotaLevel(q.usedPct).name, deliveredTo: [], modelNote: null,
        message: `cco: the 5-hour window ${resetText}; ${q.usedPct.toFixed(1)}% used (${q.usedPctSource}).`,
      });
    }
  }
  if (created.length === 0) return { alerts: pruned ? kept : (existing as Alert[]), created };
  return { alerts: [...kept, ...created], created };
}

/** What one session is shown now: one message for the person, and maybe one note for the model. */
export interface Delivery {
  systemMessage: string;
  modelNote: string | null;
  alertIds: string[];
}

/**
 * Takes the alerts of the current window that `sessionId` has not shown yet and marks them delivered to
 * it. Several pending alerts become one delivery: the most severe quota alert and the most urgent reset
 * alert. Pure: returns the new list (the same array when nothing was pending).
 */
export function takeDelivery(alerts: readonly Alert[], sessionId: string, windowStartMs: number | null): { alerts: Alert[]; delivery: Delivery | null } {
  if (windowStartMs === null) return { alerts: alerts as Alert[], delivery: null };
  const windowStart = new Date(windowStartMs).toISOString();
  const pending = alerts.filter((a) => a.windowStart === windowStart && !a.deliveredTo.includes(sessionId));
  if (pending.length === 0) return { alerts: alerts as Alert[], delivery: null };
  const quota = pending.filter((a) => a.kind === 'quota').sort((a, b) => b.threshold - a.threshold)[0];
  const reset = pending.filter((a) => a.kind === 'reset').sort((a, b) => a.threshold - b.threshold)[0];
  const shown = [quota, reset].filter((a): a is Alert => a !== undefined);
  const ids = new Set(pending.map((a) => a.id));
  return {
    alerts: alerts.map((a) => (ids.has(a.id) ? { ...a, deliveredTo: [...a.deliveredTo, sessionId] } : a)),
    delivery: { systemMessage: shown.map((a) => a.message).join('\n'), modelNote: quota?.modelNote ?? null, alertIds: pending.map((a) => a.id) },
  };
}
