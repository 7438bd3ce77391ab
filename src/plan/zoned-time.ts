import { TZDate, tzOffset } from '@date-fns/tz';

/**
 * Wall-clock time in an IANA time zone, on @date-fns/tz (the runtime's zone data through Intl). Pure (no
 * clock); times are epoch ms. Used for working hours, calendar events and the times cco prints.
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

const DAY_MS = 86_400_000;
const knownZones = new Set<string>();

/**
 * Throws for a zone this runtime does not know. @date-fns/tz returns NaN (tzOffset) or an Invalid Date
 * (TZDate) instead, and tzOffset reads an offset out of any name holding one ("Bad+01" is +60 there), so
 * Intl decides, as config validation does. @throws RangeError ("Invalid time zone specified: <tz>")
 */
export function checkZone(tz: string): void {
  if (knownZones.has(tz)) return;
  new Intl.DateTimeFormat('en-US', { timeZone: tz });
  knownZones.add(tz);
}

/**
 * `ms` as a TZDate in `tz`: its getters (getHours, getDay...) read the wall clock there; the instant is
 * unchanged. Read it only: TZDate's setters, and date-fns functions that build a new wall time with it
 * (set, startOfDay, addDays with `in: tz(zone)`), resolve a time skipped or repeated by a DST change
 * differently depending on the zone the process runs in (date-fns/tz#25); zonedToUtcMs does not.
 * @throws RangeError for an unknown zone
 */
export function zoned(ms: number, tz: string): TZDate {
  checkZone(tz);
  return new TZDate(ms, tz);
}

/** The wall-clock fields of `ms` in `tz`. @throws RangeError for an unknown zone */
export function zonedParts(ms: number, tz: string): ZonedParts {
  const d = zoned(ms, tz);
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    weekday: d.getDay(),
  };
}

/**
 * The zone's offset from UTC at `ms`, in whole minutes (east positive: Europe/Berlin in winter = 60), from
 * tzOffset; a historical offset with seconds (local mean time) is rounded. @throws RangeError for an unknown zone
 */
export function offsetMinutes(ms: number, tz: string): number {
  checkZone(tz);
  return Math.round(tzOffset(tz, new Date(ms)));
}

/**
 * The instant at which the wall clock in `tz` shows the given date and time. A time skipped by a DST
 * change (e.g. 02:30 on a spring-forward night) maps to the same distance after the gap starts; a time
 * that happens twice maps to the first. Not `new TZDate(y, m, d, h, min, tz)`: that resolves both cases
 * through the process's own zone, so the answer would change with the machine (see `zoned`).
 * @throws RangeError for an unknown zone
 */
export function zonedToUtcMs(year: number, month: number, day: number, hour: number, minute: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The answer is wall - offset(answer); try the offsets in force a day before and after.
  const candidates = [offsetMinutes(wall - DAY_MS, tz), offsetMinutes(wall + DAY_MS, tz), offsetMinutes(wall, tz)];
  const hits = [...new Set(candidates)].map((off) => wall - off * 60_000).filter((ms) => offsetMinutes(ms, tz) * 60_000 === wall - ms);
  if (hits.length > 0) return Math.min(...hits);
  // In a gap: use the offset before the change.
  return wall - candidates[0]! * 60_000;
}

/** This runtime's time zone (the shell's default for `planning.timeZone`). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
