import { offsetMinutes } from './zoned-time.ts';

/** One change of a zone's UTC offset (minutes, east positive) at `atMs`. */
export interface OffsetChange {
  atMs: number;
  fromMin: number;
  toMin: number;
}

const DAY_MS = 86_400_000;

/**
 * The offset changes of `tz` in [fromMs, toMs], found by sampling the runtime's zone data (Intl) every
 * 12 hours and narrowing each change to the minute. Pure.
 */
export function offsetChanges(tz: string, fromMs: number, toMs: number): OffsetChange[] {
  const out: OffsetChange[] = [];
  const step = DAY_MS / 2;
  let t = fromMs;
  let off = offsetMinutes(t, tz);
  while (t < toMs) {
    const next = Math.min(t + step, toMs);
    const nextOff = offsetMinutes(next, tz);
    if (nextOff !== off) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
        if (mid <= lo) break;
        if (offsetMinutes(mid, tz) === off) lo = mid;
        else hi = mid;
      }
      out.push({ atMs: hi, fromMin: off, toMin: nextOff });
    }
    t = next;
    off = nextOff;
  }
  return out;
}

function fmtOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
}

/** Epoch ms shifted by `offsetMin`, as an iCalendar local date-time (`20261025T030000`). */
function localStamp(ms: number, offsetMin: number): string {
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19).replace(/[-:]/g, '');
}

/** The zone's abbreviation at `ms` (`CEST`, `EDT`), from en-US or en-GB names; null when both only give `GMT+n`. */
function zoneName(ms: number, tz: string): string | null {
  for (const locale of ['en-US', 'en-GB']) {
    const part = new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: 'short' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName');
    if (part !== undefined && !/^(GMT|UTC)/.test(part.value)) return part.value;
  }
  return null;
}

/**
 * A VTIMEZONE component (RFC 5545 3.6.5) for `tz` covering [fromMs, toMs]: one observance in force at
 * `fromMs` and one per offset change after it (DAYLIGHT when the offset grows, else STANDARD), each with
 * DTSTART in the local time before the change. No RRULEs: exact for the span, from the runtime's zone
 * data. Null for UTC (times are written in UTC then). Pure.
 */
export function vtimezone(tz: string, fromMs: number, toMs: number): string | null {
  if (tz === 'UTC' || tz === 'Etc/UTC') return null;
  const start = Math.floor(fromMs / 60_000) * 60_000;
  const first = offsetMinutes(start, tz);
  const changes = offsetChanges(tz, start, toMs);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tz}`];
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', atMs: number, from: number, to: number) => {
    const name = zoneName(atMs, tz);
    lines.push(`BEGIN:${kind}`, `DTSTART:${localStamp(atMs, from)}`, `TZOFFSETFROM:${fmtOffset(from)}`, `TZOFFSETTO:${fmtOffset(to)}`, ...(name === null ? [] : [`TZNAME:${name}`]), `END:${kind}`);
  };
  observance(changes[0] !== undefined && changes[0].toMin < first ? 'DAYLIGHT' : 'STANDARD', start, first, first);
  for (const c of changes) observance(c.toMin > c.fromMin ? 'DAYLIGHT' : 'STANDARD', c.atMs, c.fromMin, c.toMin);
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}
