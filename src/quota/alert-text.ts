import { fmtDuration, fmtPctDown, fmtTime } from '../render/format.ts';
import { pluginSlash, type Slash } from '../render/command-names.ts';
import { quotaLevel } from './levels.ts';

/**
 * The words of quota alerts, composed from the quota figure at the moment a hook shows them (not when
 * the crossing was decided): the tracker composes them as it hands a notice over, and the hook front
 * composes them again from the status line snapshot (the newest figure it has) just before printing.
 * Percentages are rounded down (`fmtPctDown`), so a figure just under a threshold never reads as it.
 * Pure, and light enough for the hook fronts (no schema library).
 */

/** The 5-hour figure an alert quotes: % used and its provenance, and when the window resets (epoch ms). */
export interface QuotaFigure {
  usedPct: number;
  usedPctSource: string;
  windowEndMs: number;
}

/** What was crossed: a % threshold or a reset mark (minutes before the reset), and when (epoch ms). */
export interface Crossing {
  kind: 'quota' | 'reset';
  threshold: number;
  crossedAtMs: number;
}

/** A crossing older than this (ms) at delivery is dated ("crossed 10:14 UTC"); a fresher one is not. */
const DATE_CROSSING_AFTER_MS = 60_000;

function resetText(f: QuotaFigure, nowMs: number): string {
  return `resets ${fmtTime(f.windowEndMs)} (in ${fmtDuration(f.windowEndMs - nowMs)})`;
}

function used(f: QuotaFigure): string {
  return `${fmtPctDown(f.usedPct, 1)}% used (${f.usedPctSource})`;
}

/**
 * The person's line for a crossing, with the figure of `f`:
 * `cco: 25% of the 5-hour quota reached: 32.0% used now (official); crossed 10:14 UTC; resets ... GOOD: ...`
 * or, for a reset mark, `cco: the 5-hour window resets 15:00 UTC (in 28m); 41.0% used (official).`
 */
export function crossingText(c: Crossing, f: QuotaFigure, nowMs: number, slash: Slash = pluginSlash): string {
  if (c.kind === 'reset') return `cco: the 5-hour window ${resetText(f, nowMs)}; ${used(f)}.`;
  const level = quotaLevel(f.usedPct);
  const when = nowMs - c.crossedAtMs >= DATE_CROSSING_AFTER_MS ? `; crossed ${fmtTime(c.crossedAtMs)}` : '';
  return `cco: ${c.threshold}% of the 5-hour quota reached: ${fmtPctDown(f.usedPct, 1)}% used now (${f.usedPctSource})${when}; ${resetText(f, nowMs)}. ${level.name}: ${advice(level.recommendation, slash)}`;
}

/**
 * The line for a session that starts (or resumes) after the window's alerts were given: where the window
 * stands now, once, instead of each threshold crossed before it was there.
 */
export function stateText(f: QuotaFigure, nowMs: number, slash: Slash = pluginSlash): string {
  const level = quotaLevel(f.usedPct);
  return `cco: this 5-hour window is at ${used(f)}; ${resetText(f, nowMs)}. ${level.name}: ${advice(level.recommendation, slash)}`;
}

/** The note for the model at or above the policy's `modelNoteFromPct`, else null. */
export function modelNoteText(f: QuotaFigure, nowMs: number, modelNoteFromPct: number, slash: Slash = pluginSlash): string | null {
  if (f.usedPct < modelNoteFromPct) return null;
  return `The user's Claude Code 5-hour usage window is ${fmtPctDown(f.usedPct)}% used and ${resetText(f, nowMs)}. Plan smaller steps: targeted edits, minimal file reads and tool output, no broad exploration; suggest saving a handoff (${slash('save-and-restart')}) before any large task.`;
}

/** A level's recommendation, naming the handoff command in the form that works for the person. */
export function advice(recommendation: string, slash: Slash = pluginSlash): string {
  return recommendation.replaceAll('/save-and-restart', slash('save-and-restart'));
}

/**
 * A figure's provenance `ageMs` later: `official` becomes `official, N min old`, and an age already
 * stated grows (`official, 2 min old, projected` 3 min later is `official, 5 min old, projected`); an
 * estimate keeps its tag (it is recomputed with every tracked event). Pure.
 */
export function agedSource(source: string, ageMs: number): string {
  const add = Math.floor(Math.max(0, ageMs) / 60_000);
  if (add === 0 || !source.startsWith('official')) return source;
  const m = /^official, (\d+) min old(.*)$/.exec(source);
  if (m !== null) return `official, ${Number(m[1]) + add} min old${m[2]}`;
  return source === 'official' ? `official, ${add} min old` : source.replace(/^official/, `official, ${add} min old`);
}
