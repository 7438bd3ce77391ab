import { displayLabel } from './display-text.ts';
import type { ContextStatus } from '../context/context-status.ts';
import { bar, fmtInt, fmtPct } from './format.ts';

/**
 * The context figures every report shows alike, from a `ContextStatus`. Each figure carries one
 * provenance tag in parentheses, printed through `displayLabel` (a label may embed the model id, which
 * comes from the transcript or a payload). Pure.
 */

/** A label of `c` as it may be printed (the model id in it shortened and cleaned). */
function tag(c: ContextStatus, label: string): string {
  return displayLabel(label, [c.model]);
}

/** `967,000 usable of 1,000,000  (Claude Code auto-compacts ...)`, or `unknown  (window unknown for x)`. */
export function limitText(c: ContextStatus): string {
  if (c.usableLimit === null || c.windowSize === null) return `unknown  (${tag(c, c.windowSource)}; no context level or alert until it is known)`;
  return `${fmtInt(c.usableLimit)} usable of ${fmtInt(c.windowSize)}  (${tag(c, c.usableSource)})`;
}

/** `1,000,000 tokens  (model table of Claude Code 2.1.329, claude-opus-5-5)`, or `unknown  (why)`. */
export function windowText(c: ContextStatus): string {
  return c.windowSize === null ? `unknown  (${tag(c, c.windowSource)})` : `${fmtInt(c.windowSize)} tokens  (${tag(c, c.windowSource)})`;
}

/** The fill as a fraction of the usable limit; null when either is unknown. */
export function fillFraction(c: ContextStatus): number | null {
  return c.used === null || c.usableLimit === null || c.usableLimit <= 0 ? null : c.used / c.usableLimit;
}

/** `131,000 tokens · 13.5%  (measured, last response)`; `131,000 tokens  (...)` while the limit is unknown. */
export function usedText(c: ContextStatus, reason: string | null = null): string {
  if (c.used === null) return `n/a  (${tag(c, reason ?? c.usedSource)})`;
  const f = fillFraction(c);
  return f === null ? `${fmtInt(c.used)} tokens  (${tag(c, c.usedSource)})` : `${fmtInt(c.used)} tokens · ${fmtPct(f)} of usable  (${tag(c, c.usedSource)})`;
}

/** The rows after Used: Remaining and Fill; none while the limit or the fill is unknown. */
export function fillRows(c: ContextStatus): [string, string][] {
  const f = fillFraction(c);
  if (f === null) return [];
  return [
    ['Remaining', `${fmtInt(Math.max(0, c.usableLimit! - c.used!))} tokens`],
    ['Fill', `${bar(f)} ${fmtPct(f)}`],
  ];
}

/** `Next alert` value: `at 80% (~12,000 tokens away)`, `none left`, or `n/a`. */
export function nextAlertText(c: ContextStatus): string {
  if (c.nextAlertPct !== null) return `at ${c.nextAlertPct}% (~${fmtInt(c.tokensToNextAlert ?? 0)} tokens away)`;
  return c.used === null || c.level === null ? 'n/a' : 'none left';
}
