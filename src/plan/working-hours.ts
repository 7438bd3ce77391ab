import { zonedParts, zonedToUtcMs } from './zoned-time.ts';

/** Working hours (config `planning.workingHours`): `HH:MM` start and end in the zone, and the days. */
export interface WorkingHours {
  start: string;
  end: string;
  days: readonly ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
}

/** One day's working span, epoch ms [startMs, endMs). */
export interface Span {
  startMs: number;
  endMs: number;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function hm(text: string): [number, number] {
  const [h, m] = text.split(':').map(Number);
  return [h ?? 0, m ?? 0];
}

/** The working span of the calendar day (in `tz`) that contains `ms`, or null when that day is not a working day. Pure. */
export function daySpan(ms: number, wh: WorkingHours, tz: string): Span | null {
  const z = zonedParts(ms, tz);
  return spanOn(z.year, z.month, z.day, z.weekday, wh, tz);
}

function spanOn(year: number, month: number, day: number, weekday: number, wh: WorkingHours, tz: string): Span | null {
  if (!wh.days.includes(DAY_NAMES[weekday]!)) return null;
  const [sh, sm] = hm(wh.start);
  const [eh, em] = hm(wh.end);
  return { startMs: zonedToUtcMs(year, month, day, sh, sm, tz), endMs: zonedToUtcMs(year, month, day, eh, em, tz) };
}

/**
 * The working span that contains `ms`, else the next one to begin after it; null when none begins in the
 * next 8 days (no working day configured). Pure.
 */
export function spanAtOrAfter(ms: number, wh: WorkingHours, tz: string): Span | null {
  const z = zonedParts(ms, tz);
  for (let i = 0; i <= 8; i++) {
    // The calendar date i days on, zone-free (Date.UTC rolls the month and year over). Not date-fns' addDays
    // with `in: tz(zone)`: it sets the wall clock through TZDate, which resolves DST edges by the process's
    // own zone (zoned-time.ts).
    const d = new Date(Date.UTC(z.year, z.month - 1, z.day + i));
    const span = spanOn(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay(), wh, tz);
    if (span !== null && span.endMs > ms) return span;
  }
  return null;
}

/** The first instant at or after `ms` that is within working hours; null when there is none within 8 days. Pure. */
export function nextWorkingStart(ms: number, wh: WorkingHours, tz: string): number | null {
  const span = spanAtOrAfter(ms, wh, tz);
  return span === null ? null : Math.max(ms, span.startMs);
}
