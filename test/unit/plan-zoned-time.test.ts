import { TZDate, tzOffset, tzScan } from '@date-fns/tz';
import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { renderIcs, stampCalendar } from '../../src/plan/calendar.ts';
import { scheduleSession } from '../../src/plan/queue-ops.ts';
import { vtimezone } from '../../src/plan/vtimezone.ts';
import { daySpan, nextWorkingStart, spanAtOrAfter, type WorkingHours } from '../../src/plan/working-hours.ts';
import { offsetMinutes, zonedParts, zonedToUtcMs } from '../../src/plan/zoned-time.ts';
import { H, NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

/**
 * Zoned time on @date-fns/tz at the edges the library could move: DST gaps and overlaps (also with a
 * 30-minute shift and with no DST at all), whatever zone the process itself runs in, the VTIMEZONE of an
 * export against tzScan, and unknown zones.
 */

const M = 60_000;
const hhmm = (ms: number, tz: string) => {
  const z = zonedParts(ms, tz);
  return `${z.year}-${String(z.month).padStart(2, '0')}-${String(z.day).padStart(2, '0')} ${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}`;
};

/** [zone, wall time, the instant it maps to, why]: gaps map past the gap, repeated times to the first. */
const EDGES: [string, [number, number, number, number, number], number, string][] = [
  ['America/New_York', [2026, 3, 8, 2, 30], Date.UTC(2026, 2, 8, 7, 30), 'gap 02:00-03:00: 03:30 EDT'],
  ['America/New_York', [2026, 11, 1, 1, 30], Date.UTC(2026, 10, 1, 5, 30), 'repeated 01:00-02:00: the first, EDT'],
  ['Europe/London', [2026, 3, 29, 1, 30], Date.UTC(2026, 2, 29, 1, 30), 'gap 01:00-02:00: 02:30 BST'],
  ['Europe/London', [2026, 10, 25, 1, 30], Date.UTC(2026, 9, 25, 0, 30), 'repeated 01:00-02:00: the first, BST'],
  ['Australia/Lord_Howe', [2026, 10, 4, 2, 15], Date.UTC(2026, 9, 3, 15, 45), 'gap 02:00-02:30 (+10:30 -> +11): 02:45'],
  ['Australia/Lord_Howe', [2026, 4, 5, 1, 45], Date.UTC(2026, 3, 4, 14, 45), 'repeated 01:30-02:00: the first, +11'],
  ['Asia/Kolkata', [2026, 3, 8, 2, 30], Date.UTC(2026, 2, 7, 21, 0), 'no DST: always +05:30'],
];

describe('DST gaps and overlaps', () => {
  const tzBefore = process.env.TZ;
  afterEach(() => {
    if (tzBefore === undefined) delete process.env.TZ;
    else process.env.TZ = tzBefore;
  });

  it('a skipped wall time maps past the gap, a repeated one to its first instant (New York, London, Lord Howe 30 min, Kolkata)', () => {
    for (const [tz, [y, mo, d, h, mi], want, why] of EDGES) {
      expect(new Date(zonedToUtcMs(y, mo, d, h, mi, tz)).toISOString(), `${tz} ${why}`).toBe(new Date(want).toISOString());
    }
    // The repeated hour reads the same wall time twice, an hour (Lord Howe: 30 min) apart.
    expect(hhmm(Date.UTC(2026, 10, 1, 5, 30), 'America/New_York')).toBe('2026-11-01 01:30');
    expect(hhmm(Date.UTC(2026, 10, 1, 6, 30), 'America/New_York')).toBe('2026-11-01 01:30');
    expect(hhmm(Date.UTC(2026, 3, 4, 14, 45), 'Australia/Lord_Howe')).toBe('2026-04-05 01:45');
    expect(hhmm(Date.UTC(2026, 3, 4, 15, 15), 'Australia/Lord_Howe')).toBe('2026-04-05 01:45');
    expect(hhmm(Date.UTC(2026, 9, 3, 15, 45), 'Australia/Lord_Howe')).toBe('2026-10-04 02:45');
    expect([offsetMinutes(Date.UTC(2026, 9, 3, 15, 29), 'Australia/Lord_Howe'), offsetMinutes(Date.UTC(2026, 9, 3, 15, 30), 'Australia/Lord_Howe')]).toEqual([
      630, 660,
    ]);
    for (const month of [0, 3, 6, 9]) expect(offsetMinutes(Date.UTC(2026, month, 15), 'Asia/Kolkata')).toBe(330);
  });

  it("gives the same instants whatever zone the process runs in (TZDate's own constructor does not: date-fns/tz#25)", () => {
    const instants = () => EDGES.map(([tz, [y, mo, d, h, mi]]) => zonedToUtcMs(y, mo, d, h, mi, tz));
    const want = EDGES.map((e) => e[2]);
    const tzDates: Record<string, number> = {};
    for (const system of ['UTC', 'Europe/London', 'America/Santiago', 'Australia/Lord_Howe']) {
      process.env.TZ = system;
      // The switch took effect: the process's own offset on 2026-01-15 is the zone's.
      expect(0 - new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset(), system).toBe(Math.round(tzOffset(system, new Date(Date.UTC(2026, 0, 15)))));
      expect(instants(), system).toEqual(want);
      tzDates[system] = new TZDate(2026, 9, 25, 1, 30, 'Europe/London').getTime();
    }
    // Why zonedToUtcMs does not build on it: London's repeated 01:30 is BST or GMT depending on the process's zone.
    expect(new Set(Object.values(tzDates)).size).toBeGreaterThan(1);
  });

  it('working hours across the New York spring-forward and London fall-back nights keep their wall times', () => {
    const night: WorkingHours = { start: '02:30', end: '04:00', days: ['sun'] };
    // 02:30 does not exist on 2026-03-08 in New York: the span starts at 03:30 EDT and ends at 04:00 EDT.
    expect(daySpan(Date.UTC(2026, 2, 8, 12), night, 'America/New_York')).toEqual({ startMs: Date.UTC(2026, 2, 8, 7, 30), endMs: Date.UTC(2026, 2, 8, 8, 0) });
    const early: WorkingHours = { start: '01:30', end: '09:00', days: ['sun'] };
    // From Saturday noon, the next span is Sunday's; 01:30 happens twice in London that night: the first (BST).
    expect(spanAtOrAfter(Date.UTC(2026, 9, 24, 12), early, 'Europe/London')).toEqual({
      startMs: Date.UTC(2026, 9, 25, 0, 30),
      endMs: Date.UTC(2026, 9, 25, 9, 0),
    });
    // Kolkata: Friday 17:30 IST is past the end; Monday 09:00 IST is 03:30 UTC.
    const week: WorkingHours = { start: '09:00', end: '17:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
    expect(nextWorkingStart(Date.UTC(2026, 10, 20, 12, 0), week, 'Asia/Kolkata')).toBe(Date.UTC(2026, 10, 23, 3, 30));
  });
});

/** Parses .ics text with ical.js, registering its VTIMEZONEs so TZID times resolve to instants. */
function parseIcs(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  const vtz = cal.getAllSubcomponents('vtimezone');
  for (const tz of vtz) ICAL.TimezoneService.register(tz);
  const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  return { cal, vtz, events };
}

describe('the VTIMEZONE of an export, read back with ical.js', () => {
  for (const tz of ['America/New_York', 'Australia/Lord_Howe', 'Europe/London', 'Asia/Kolkata']) {
    it(`${tz}: one observance per tzScan change over the span; every instant reads back to the wall time cco prints`, async () => {
      // One session before a spring-forward / fall-back of 2026 and one after it.
      const q = queueOf(
        sess('s1', { status: 'scheduled', scheduledAt: new Date(Date.UTC(2026, 2, 1, 15)).toISOString(), hours: 1 }),
        sess('s2', { status: 'scheduled', scheduledAt: new Date(Date.UTC(2026, 10, 20, 12)).toISOString(), hours: 2 }),
      );
      const { events } = stampCalendar(q, 200_000, NOW);
      const { vtz, events: parsed } = parseIcs(await renderIcs(events, tz, NOW, 'x'));
      expect(vtz).toHaveLength(1);
      expect(parsed.map((e) => [e.startDate.toJSDate().getTime(), e.endDate.toJSDate().getTime()])).toEqual(events.map((e) => [e.startMs, e.endMs]));

      // renderIcs covers the events' span plus 31 days either side.
      const from = Date.UTC(2026, 2, 1, 15) - 31 * 24 * H;
      const to = Date.UTC(2026, 10, 20, 14) + 31 * 24 * H;
      const scanned = tzScan(tz, { start: new Date(from), end: new Date(to) });
      const observances = vtz[0]!.getAllSubcomponents().filter((c) => c.name === 'daylight' || c.name === 'standard');
      expect(observances).toHaveLength(1 + scanned.length);
      const offset = (c: ICAL.Component, key: string) => (c.getFirstPropertyValue(key) as ICAL.UtcOffset).toSeconds() / 60;
      scanned.forEach((change, i) => {
        const o = observances[i + 1]!;
        expect([offset(o, 'tzoffsetfrom'), offset(o, 'tzoffsetto')]).toEqual([change.offset - change.change, change.offset]);
        // DTSTART is the local time before the change; tzScan reports the first whole UTC hour after it.
        const local = o.getFirstPropertyValue('dtstart') as ICAL.Time;
        const atMs = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) - offset(o, 'tzoffsetfrom') * M;
        expect(change.date.getTime() - atMs).toBeGreaterThanOrEqual(0);
        expect(change.date.getTime() - atMs).toBeLessThan(H);
        expect([tzOffset(tz, new Date(atMs - M)), tzOffset(tz, new Date(atMs))]).toEqual([change.offset - change.change, change.offset]);
      });

      // Every half hour of the span, and each minute around a change: the wall time cco prints (from the
      // runtime's zone data) resolves, through the VTIMEZONE in ical.js, back to the same instant; a wall
      // time the fall-back repeats may resolve to its other instant, which reads the same.
      const zone = ICAL.TimezoneService.get(tz)!;
      const probes: number[] = [];
      for (let t = from; t <= to; t += H / 2) probes.push(t);
      for (const c of scanned) for (let t = c.date.getTime() - 2 * H; t <= c.date.getTime() + H; t += M) probes.push(t);
      const fallBacks = scanned.filter((c) => c.change < 0).map((c) => -c.change * M);
      const differ = probes.filter((t) => {
        const z = zonedParts(t, tz);
        const local = new ICAL.Time({ year: z.year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second, isDate: false }, zone);
        const back = local.toJSDate().getTime();
        return back !== t && !(fallBacks.includes(Math.abs(back - t)) && hhmm(back, tz) === hhmm(t, tz));
      });
      expect(probes.length).toBeGreaterThan(12_000);
      expect(differ.map((t) => `${new Date(t).toISOString()} (${hhmm(t, tz)})`)).toEqual([]);
    });
  }

  it('an event across the New York spring-forward: DTSTART in EST, DTEND in EDT, the UTC instants exact', async () => {
    // 01:30 EST (06:30 UTC) for 2 h: ends 08:30 UTC, which is 04:30 EDT.
    const start = Date.UTC(2026, 2, 8, 6, 30);
    const q = scheduleSession(queueOf(sess('s1', { hours: 2 })), 's1', start, 'manual', NOW - 300 * 24 * H).queue;
    const { events } = stampCalendar(q, 200_000, NOW);
    const text = await renderIcs(events, 'America/New_York', NOW, 'x');
    expect(text).toContain('DTSTART;TZID=America/New_York:20260308T013000');
    expect(text).toContain('DTEND;TZID=America/New_York:20260308T043000');
    expect(text).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT');
    const [e] = parseIcs(text).events;
    expect([e!.startDate.toJSDate().toISOString(), e!.endDate.toJSDate().toISOString()]).toEqual(['2026-03-08T06:30:00.000Z', '2026-03-08T08:30:00.000Z']);
  });

  it('a span starting on the 31st still holds the change a day later (New York, session on 1 Dec: from 31 Oct), and none after its end', async () => {
    // tzScan from 2026-10-31 12:00 UTC steps a month to 1 Dec, then searches days from 1 Nov 12:00 on,
    // after New York's change (1 Nov 06:00 UTC): offsetChanges scans from the 1st of the month.
    const start = Date.UTC(2026, 11, 1, 12);
    const { events } = stampCalendar(queueOf(sess('s1', { status: 'scheduled', scheduledAt: new Date(start).toISOString() })), 200_000, NOW);
    const text = await renderIcs(events, 'America/New_York', NOW, 'x');
    expect(text).toContain('BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500');
    expect(text).toContain('DTSTART;TZID=America/New_York:20261201T070000');
    expect(parseIcs(text).events[0]!.startDate.toJSDate().getTime()).toBe(start);
    // tzScan also reports changes after the interval's end (date-fns/tz#35): London's of 25 Oct is not in 1-2 Oct.
    expect(vtimezone('Europe/London', Date.UTC(2025, 9, 1), Date.UTC(2025, 9, 2))).not.toContain('TZOFFSETTO:+0000');
  });

  it('zone abbreviations: EDT/EST from tzName, BST where en-US only says GMT+1, none for a GMT+n-only zone', () => {
    const ny = vtimezone('America/New_York', Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 31))!;
    expect(ny.match(/TZNAME:\w+/g)).toEqual(['TZNAME:EST', 'TZNAME:EDT', 'TZNAME:EST']);
    const london = vtimezone('Europe/London', Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 31))!;
    expect(london).toContain('DTSTART:20260329T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST');
    expect(london.match(/TZNAME:\w+/g)).toEqual(['TZNAME:BST']); // GMT itself is not written
    const gmt4 = vtimezone('Etc/GMT-4', Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 31))!;
    expect(gmt4).not.toContain('TZNAME');
    expect(gmt4).toContain('TZOFFSETTO:+0400');
  });
});

describe('an unknown zone', () => {
  it('throws RangeError as before, also for a name tzOffset would read an offset from ("Bad+01")', async () => {
    const wh: WorkingHours = { start: '09:00', end: '17:00', days: ['mon'] };
    for (const tz of ['Mars/Olympus', 'Bad+01']) {
      expect(() => zonedParts(NOW, tz), tz).toThrow(RangeError);
      expect(() => zonedParts(NOW, tz), tz).toThrow(/Invalid time zone/);
      expect(() => offsetMinutes(NOW, tz), tz).toThrow(RangeError);
      expect(() => zonedToUtcMs(2026, 11, 20, 9, 0, tz), tz).toThrow(RangeError);
      expect(() => daySpan(NOW, wh, tz), tz).toThrow(RangeError);
      expect(() => nextWorkingStart(NOW, wh, tz), tz).toThrow(RangeError);
      expect(() => vtimezone(tz, NOW, NOW + H), tz).toThrow(RangeError);
      const { events } = stampCalendar(queueOf(sess('s1', { status: 'scheduled', scheduledAt: new Date(NOW).toISOString() })), 200_000, NOW);
      await expect(renderIcs(events, tz, NOW, 'x'), tz).rejects.toThrow(RangeError);
    }
    // What makes the second name a trap: the library alone would not throw.
    expect(tzOffset('Bad+01', new Date(NOW))).toBe(60);
  });
});
