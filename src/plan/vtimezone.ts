import { tzName, tzScan } from '@date-fns/tz';
import { checkZone, offsetMinutes } from './zoned-time.ts';

/** One change of a zone's UTC offset (minutes, east positive) at `atMs`. */
export interface OffsetChange {
  atMs: number;
  fromMin: number;
  toMin: number;
}

/**
 * The offset changes of `tz` in (fromMs, toMs], from tzScan, each at the first minute of the new offset.
 * tzScan steps by calendar month, then day, then hour, so: the scan starts on the 1st of `fromMs`'s UTC
 * month (from the 29th-31st a month step overflows and the day search starts too late: from 31 Oct 12:00
 * UTC it misses New York's change of 1 Nov); a change off the whole UTC hour (Adelaide, Lord_Howe,
 * St_Johns: xx:30) is narrowed from the hour tzScan reports to the minute; changes after `toMs`, which
 * tzScan also reports (date-fns/tz#35), are dropped. Pure. @throws RangeError for an unknown zone
 */
export function offsetChanges(tz: string, fromMs: number, toMs: number): OffsetChange[] {
  checkZone(tz);
  const from = new Date(fromMs);
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  const out: OffsetChange[] = [];
  for (const c of tzScan(tz, { start, end: new Date(toMs) })) {
    const toMin = Math.round(c.offset);
    const fromMin = Math.round(c.offset - c.change);
    let lo = c.date.getTime() - 3_600_000;
    let hi = c.date.getTime();
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
      if (mid <= lo) break;
      if (offsetMinutes(mid, tz) === fromMin) lo = mid;
      else hi = mid;
    }
    if (hi > fromMs && hi <= toMs) out.push({ atMs: hi, fromMin, toMin });
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

/**
 * The zone's abbreviation at `ms` (`CEST`, `EDT`): tzName's (en-US), else en-GB's, which names European
 * zones (`BST`, `CET`) that en-US shows as `GMT+1`; null when both only give `GMT+n`.
 */
function zoneName(ms: number, tz: string): string | null {
  const us = tzName(tz, new Date(ms), 'short');
  if (!/^(GMT|UTC)/.test(us)) return us;
  const gb = new Intl.DateTimeFormat('en-GB', { timeZone: tz, timeZoneName: 'short' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName');
  return gb !== undefined && !/^(GMT|UTC)/.test(gb.value) ? gb.value : null;
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
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localStamp(atMs, from)}`,
      `TZOFFSETFROM:${fmtOffset(from)}`,
      `TZOFFSETTO:${fmtOffset(to)}`,
      ...(name === null ? [] : [`TZNAME:${name}`]),
      `END:${kind}`,
    );
  };
  observance(changes[0] !== undefined && changes[0].toMin < first ? 'DAYLIGHT' : 'STANDARD', start, first, first);
  for (const c of changes) observance(c.toMin > c.fromMin ? 'DAYLIGHT' : 'STANDARD', c.atMs, c.fromMin, c.toMin);
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}
