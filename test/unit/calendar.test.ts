import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { renderIcs, stampCalendar } from '../../src/plan/calendar.ts';
import { scheduleSession } from '../../src/plan/queue-ops.ts';
import { vtimezone } from '../../src/plan/vtimezone.ts';
import { H, NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

const iso = (ms: number) => new Date(ms).toISOString();
// 09:00 in Berlin on a summer day (CEST, 07:00 UTC) and on a winter day (CET, 08:00 UTC).
const SUMMER_9 = Date.UTC(2026, 6, 1, 7, 0);
const WINTER_9 = Date.UTC(2026, 11, 1, 8, 0);

const queue = () =>
  queueOf(
    sess('s1', {
      status: 'scheduled',
      scheduledAt: iso(SUMMER_9),
      title: 'Implementation - Part 1/3',
      hours: 2,
      tokens: 80_000,
      agent: 'code-reviewer',
      objectives: ['Write the parser', 'Unit tests; edge cases, too'],
      projectDir: '/w/my project',
    }),
    sess('s2', { status: 'ready' }),
    sess('s3', { status: 'scheduled', scheduledAt: iso(WINTER_9), title: 'Docs', hours: 2.5, tokens: null, windowShare: 0.25 }),
  );

interface Parsed {
  uid: string;
  summary: string;
  description: string;
  location: string;
  sequence: number;
  startMs: number;
  endMs: number;
  tzid: string | null;
  alarms: { action: string; triggerSec: number }[];
}

/** Parses .ics text with ical.js, registering its VTIMEZONEs so TZID times resolve to instants. */
function parse(text: string): { events: Parsed[]; cal: ICAL.Component } {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = cal.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      location: e.location,
      sequence: e.sequence,
      startMs: e.startDate.toJSDate().getTime(),
      endMs: e.endDate.toJSDate().getTime(),
      tzid: (c.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined) ?? null,
      alarms: c.getAllSubcomponents('valarm').map((a) => ({
        action: String(a.getFirstPropertyValue('action')),
        triggerSec: (a.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds(),
      })),
    };
  });
  return { events, cal };
}

describe('calendar export, read back with ical.js', () => {
  it('one event per scheduled session: summary, description, location, times in the zone (DST right), alarms, stable UIDs', async () => {
    const { events } = stampCalendar(queue(), 200_000, NOW);
    expect(events.map((e) => e.id)).toEqual(['s1', 's3']);
    const text = await renderIcs(events, 'Europe/Berlin', NOW, 'Claude Code sessions');
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260701T090000');
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20261201T090000');
    const { events: parsed, cal } = parse(text);
    expect(cal.getFirstPropertyValue('x-wr-timezone')).toBe('Europe/Berlin');
    expect(parsed).toHaveLength(2);
    const [a, b] = parsed as [Parsed, Parsed];
    expect(a).toMatchObject({
      uid: 'q-test-s1@claude-code-optimizer',
      summary: 'Claude Session: Implementation - Part 1/3',
      location: '/w/my project',
      sequence: 0,
      startMs: SUMMER_9,
      endMs: SUMMER_9 + 2 * H,
      tzid: 'Europe/Berlin',
    });
    expect(a.description).toContain('Objectives:\n- Write the parser\n- Unit tests; edge cases, too');
    expect(a.description).toContain('Token budget: 80,000 tokens (estimate; one 5-hour window holds 200,000)');
    expect(a.description).toContain('Agent: code-reviewer');
    expect(a.alarms).toEqual([
      { action: 'DISPLAY', triggerSec: -1800 },
      { action: 'DISPLAY', triggerSec: -300 },
    ]);
    expect(b).toMatchObject({
      uid: 'q-test-s3@claude-code-optimizer',
      summary: 'Claude Session: Docs',
      startMs: WINTER_9,
      endMs: WINTER_9 + 2.5 * H,
      tzid: 'Europe/Berlin',
    });
    expect(b.description).toContain('Token budget: 25% of a window = 50,000 tokens');
    expect(b.description).toContain('Agent: (none)');
  });

  it('a re-export keeps the UIDs; SEQUENCE grows only for the event that changed', async () => {
    const first = stampCalendar(queue(), 200_000, NOW);
    const same = stampCalendar(first.queue, 200_000, NOW + H);
    expect(same.events.map((e) => [e.uid, e.sequence])).toEqual([
      ['q-test-s1@claude-code-optimizer', 0],
      ['q-test-s3@claude-code-optimizer', 0],
    ]);
    const moved = scheduleSession(same.queue, 's1', SUMMER_9 + 24 * H, 'manual', NOW + 2 * H).queue;
    const second = stampCalendar(moved, 200_000, NOW + 2 * H);
    const third = stampCalendar(scheduleSession(second.queue, 's1', SUMMER_9 + 48 * H, 'manual', NOW + 3 * H).queue, 200_000, NOW + 3 * H);
    const { events } = parse(await renderIcs(third.events, 'Europe/Berlin', NOW + 3 * H, 'x'));
    expect(events.map((e) => [e.uid, e.sequence, e.startMs])).toEqual([
      ['q-test-s1@claude-code-optimizer', 2, SUMMER_9 + 48 * H],
      ['q-test-s3@claude-code-optimizer', 0, WINTER_9],
    ]);
    expect(third.queue.sessions[0]!.calendar).toMatchObject({ sequence: 2, exportedAt: iso(NOW + 3 * H) });
  });

  it('times on whole minutes, rounded down (the HH:MM cco prints): 12:29:46 starts 12:29; alarms stay 30 and 5 minutes before', async () => {
    const at = Date.UTC(2026, 10, 20, 12, 29, 46, 500);
    const q = queueOf(sess('s1', { status: 'scheduled', scheduledAt: iso(at), hours: 1.01 }));
    const { events } = stampCalendar(q, 200_000, NOW);
    // 12:29:46.5 + 1 h 0.6 min = 13:30:22.5: 13:30.
    expect(events.map((e) => [iso(e.startMs), iso(e.endMs)])).toEqual([['2026-11-20T12:29:00.000Z', '2026-11-20T13:30:00.000Z']]);
    const utc = await renderIcs(events, 'UTC', NOW, 'x');
    expect(utc).toContain('DTSTART:20261120T122900Z');
    expect(utc).toContain('DTEND:20261120T133000Z');
    const berlin = await renderIcs(events, 'Europe/Berlin', NOW, 'x');
    expect(berlin).toContain('DTSTART;TZID=Europe/Berlin:20261120T132900');
    expect(berlin).toContain('DTEND;TZID=Europe/Berlin:20261120T143000');
    expect(parse(berlin).events[0]!.alarms).toEqual([
      { action: 'DISPLAY', triggerSec: -1800 },
      { action: 'DISPLAY', triggerSec: -300 },
    ]);
    // renderIcs holds to whole minutes even for events built elsewhere.
    const raw = await renderIcs([{ ...events[0]!, startMs: at, endMs: at + H }], 'UTC', NOW, 'x');
    expect(raw).toContain('DTSTART:20261120T122900Z');
    expect(raw).toContain('DTEND:20261120T132900Z');
  });

  it('UTC: plain UTC times, no VTIMEZONE', async () => {
    const { events } = stampCalendar(queue(), 200_000, NOW);
    const text = await renderIcs(events.slice(0, 1), 'UTC', NOW, 'x');
    expect(text).toContain('DTSTART:20260701T070000Z');
    expect(text).not.toContain('BEGIN:VTIMEZONE');
    expect(parse(text).events[0]).toMatchObject({ startMs: SUMMER_9, endMs: SUMMER_9 + 2 * H, tzid: null });
  });

  it('the VTIMEZONE holds the offset changes of the span (Berlin: +0200 until 25 Oct 2026 03:00, then +0100)', () => {
    const vtz = vtimezone('America/New_York', Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 31))!;
    expect(vtz).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT');
    expect(vtz).toContain('BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD');
    const berlin = vtimezone('Europe/Berlin', SUMMER_9, WINTER_9)!;
    expect(berlin).toContain('DTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100');
    expect(vtimezone('UTC', 0, 1)).toBeNull();
  });
});
