/**
 * Wall-clock time in an IANA time zone, from the runtime's time-zone database (Intl). Pure (no clock);
 * times are epoch ms. Used for working hours and calendar events.
 */

/** Wall-clock fields of an instant in a zone. `weekday` 0 = Sunday ... 6 = Saturday. */
export interface ZonedParts {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', weekday: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock fields of `ms` in `tz`. @throws RangeError for an unknown zone */
export function zonedParts(ms: number, tz: string): ZonedParts {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) p[part.type] = part.value;
  return {
    year: Number(p.year), month: Number(p.month), day: Number(p.day),
    hour: Number(p.hour) % 24, minute: Number(p.minute), second: Number(p.second),
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 0,
  };
}

/** The zone's offset from UTC at `ms`, in minutes (east positive: Europe/Berlin in winter = 60). */
export function offsetMinutes(ms: number, tz: string): number {
  const z = zonedParts(ms, tz);
  const asUtc = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * The instant at which the wall clock in `tz` shows the given date and time. A time skipped by a DST
 * change (e.g. 02:30 on a spring-forward night) maps to the same distance after the gap starts; a time
 * that happens twice maps to the first.
 */
export function zonedToUtcMs(year: number, month: number, day: number, hour: number, minute: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The answer is wall - offset(answer); try the offsets in force a day before and after.
  const candidates = [offsetMinutes(wall - 86_400_000, tz), offsetMinutes(wall + 86_400_000, tz), offsetMinutes(wall, tz)];
  const hits = [...new Set(candidates)].map((off) => wall - off * 60_000).filter((ms) => offsetMinutes(ms, tz) * 60_000 === wall - ms);
  if (hits.length > 0) return Math.min(...hits);
  // In a gap: use the offset before the change.
  return wall - candidates[0]! * 60_000;
}

/** The calendar date `days` after the given one (month and year roll over). */
export function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** This runtime's time zone (the shell's default for `planning.timeZone`). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
