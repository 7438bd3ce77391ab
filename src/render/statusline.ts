/**
 * The one-line status line: data -> string, no I/O. Example:
 *
 *   5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 1.2k tok/min
 *
 * Marks (the source of the figure before them): `●` official (Claude Code's own figure, current),
 * `◐` official but old or projected (a stored reading, or tokens counted since it), `~` estimate
 * (transcript tokens against a plan budget). A missing figure prints `n/a (why)`. No colours.
 */
import type { QuotaStatus } from '../quota/quota-status.ts';
import { displayText } from './display-text.ts';

const MARK_OFFICIAL = '●';
const MARK_OLD = '◐';
const MARK_ESTIMATE = '~';

/** The parts of the quota picture the line shows (a `QuotaStatus` is one; so is the status line snapshot's). */
export type StatuslineQuota = Pick<QuotaStatus, 'window' | 'usedPct' | 'usedPctSource' | 'burnPerMin'> & {
  weekly: { usedPercentage: number; ageMin: number } | null;
};

/** What the line shows. Percentages 0-100; times epoch ms. */
export interface StatuslineView {
  nowMs: number;
  /** The quota picture (5-hour %, reset, burn rate, 7-day), or null with `quotaWhy`. */
  quota: StatuslineQuota | null;
  quotaWhy?: string;
  /** Why there is no 7-day figure, when `quota.weekly` is null. */
  weeklyWhy?: string;
  /** Context window used (0-100) from the payload, or null with `why`. */
  context: { pct: number; why?: undefined } | { pct: null; why: string };
}

/** The mark of a `QuotaStatus.usedPctSource`: `official` -> ●, `official, ...` -> ◐, anything else -> ~. */
export function sourceMark(source: string): string {
  if (source === 'official') return MARK_OFFICIAL;
  if (source.startsWith('official')) return MARK_OLD;
  return MARK_ESTIMATE;
}

/** The line, without a trailing newline. Pure. */
export function renderStatusline(v: StatuslineView): string {
  const parts: string[] = [];
  const q = v.quota;
  if (q === null) {
    parts.push(`5h ${na(v.quotaWhy ?? 'no quota data')}`);
  } else {
    const reset = q.window === null ? '' : ` ↻${fmtCountdown(q.window.endMs - v.nowMs)}`;
    parts.push(`5h ${fmtPctShort(q.usedPct)}${sourceMark(q.usedPctSource)}${reset}`);
    const w = q.weekly;
    parts.push(w === null ? `7d ${na(v.weeklyWhy ?? 'not reported')}` : `7d ${fmtPctShort(w.usedPercentage)}${w.ageMin === 0 ? MARK_OFFICIAL : MARK_OLD}`);
  }
  parts.push(v.context.pct === null ? `ctx ${na(v.context.why)}` : `ctx ${fmtPctShort(v.context.pct)}${MARK_OFFICIAL}`);
  if (q !== null) parts.push(`${fmtRate(q.burnPerMin)} tok/min`);
  return parts.join(' · ');
}

/**
 * Appends our segment to another status line's output (wrap mode): on the same line as its last
 * non-blank line, after ` | `; their other lines are kept as they are. Empty output gives ours alone. Pure.
 */
export function appendSegment(theirs: string, ours: string): string {
  const lines = theirs.replace(/\s+$/, '').split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  if (last < 0) return ours;
  lines[last] = `${lines[last]!.replace(/\s+$/, '')} | ${ours}`;
  return lines.slice(0, last + 1).join('\n');
}

/** `n/a (why)`, the reason made printable and cut to 40 characters so the line stays short. */
export function na(why: string): string {
  return `n/a (${displayText(why.replace(/\s+/g, ' ').trim(), 40)})`;
}

/** 42.4 -> "42%", 4.5 -> "4.5%", 0 -> "0%" (one decimal only below 10 when not whole). */
export function fmtPctShort(pct: number): string {
  if (!Number.isFinite(pct)) return 'n/a';
  const one = Math.round(pct * 10) / 10;
  return one < 10 && !Number.isInteger(one) ? `${one.toFixed(1)}%` : `${Math.round(pct)}%`;
}

/** A time until something, compact: "1h23m", "45m", "<1m", "2d3h"; "now" when due. */
export function fmtCountdown(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms <= 0) return 'now';
  if (ms < 60_000) return '<1m';
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${min}m`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h}h${String(min % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

/** Tokens per minute, compact: 850 -> "850", 1234 -> "1.2k", 56000 -> "56k", 2.5e6 -> "2.5M". */
export function fmtRate(n: number): string {
  if (!Number.isFinite(n) || n < 0) return 'n/a';
  if (n < 1_000) return String(Math.round(n));
  if (n < 10_000) return `${trimZero((n / 1_000).toFixed(1))}k`;
  if (n < 999_500) return `${Math.round(n / 1_000)}k`;
  return `${trimZero((n / 1_000_000).toFixed(1))}M`;
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}
