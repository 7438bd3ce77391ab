import { pluginSlash, type Slash } from '../render/command-names.ts';
import { createHash } from 'node:crypto';
import { fmtInt } from '../render/format.ts';
import { fmtEstimate, fmtHours } from '../render/plan.ts';
import { idNumber, type PlannedSession, type SessionQueue } from './queue-schema.ts';
import { vtimezone } from './vtimezone.ts';
import { floorToMinute } from './whole-minute.ts';
import { zoned } from './zoned-time.ts';

/**
 * Calendar export of scheduled sessions (/create-calendar-events, `cco calendar`). `calendarEvents` and
 * `stampCalendar` are pure; `renderIcs` builds the iCalendar text with ical-generator, imported lazily so
 * that no other command loads it.
 */

/** One event, ready to render. Times in epoch ms. */
export interface CalendarEvent {
  id: string;
  /** The number of the id (`s3` -> 3): the file is `session-<n>.ics`. */
  n: number;
  /** Stable across exports: `<queue id>-<session id>@claude-code-optimizer`. */
  uid: string;
  summary: string;
  description: string;
  /** The project directory. */
  location: string;
  /** The scheduled time, rounded down to a whole minute (the HH:MM cco prints for it). */
  startMs: number;
  /** The scheduled time + the estimated hours, rounded down to a whole minute. */
  endMs: number;
  /** Grows by one on each export whose content differs from the last one. */
  sequence: number;
  fingerprint: string;
}

/** Alarms, minutes before the start. */
export const ALARM_MINUTES = [30, 5] as const;

/**
 * The event for a scheduled session, before sequencing (sequence 0, fingerprint of its content). Times are
 * whole minutes, rounded down (see whole-minute.ts): a time with seconds (typed with `--at`, or planned by
 * an older build) shows as the HH:MM cco prints for it. Pure.
 */
export function eventOf(s: PlannedSession, queueId: string, budget: number, slash: Slash = pluginSlash): CalendarEvent {
  const at = Date.parse(s.scheduledAt!);
  const startMs = floorToMinute(at);
  const endMs = floorToMinute(at + Math.round(s.hours * 3_600_000));
  const description = [
    'Objectives:',
    ...(s.objectives.length === 0 ? ['- (none listed)'] : s.objectives.map((o) => `- ${o}`)),
    '',
    `Token budget: ${fmtEstimate(s, budget)} (estimate; one 5-hour window holds ${fmtInt(budget)})`,
    `Estimated time: ${fmtHours(s.hours)}`,
    `Agent: ${s.agent ?? '(none)'}`,
    `Planned session ${s.id} (claude-code-optimizer). In Claude Code: ${slash('start-next-session')}`,
  ].join('\n');
  const ev = {
    id: s.id,
    n: idNumber(s.id),
    uid: `${queueId}-${s.id}@claude-code-optimizer`,
    summary: `Claude Session: ${s.title}`,
    description,
    location: s.projectDir,
    startMs,
    endMs,
  };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([ev.summary, ev.description, ev.location, startMs, endMs]))
    .digest('hex')
    .slice(0, 16);
  return { ...ev, sequence: 0, fingerprint };
}

/**
 * The events of every scheduled session, in id order, with SEQUENCE from the last export: unchanged
 * content keeps it, changed content adds one. Also returns the queue with the new calendar stamps. Pure.
 */
export function stampCalendar(q: SessionQueue, budget: number, nowMs: number, slash: Slash = pluginSlash): { queue: SessionQueue; events: CalendarEvent[] } {
  const events: CalendarEvent[] = [];
  const at = new Date(nowMs).toISOString();
  const sessions = q.sessions.map((s): PlannedSession => {
    if (s.status !== 'scheduled' || s.scheduledAt === null) return s;
    const ev = eventOf(s, q.queueId, budget, slash);
    const prev = s.calendar ?? null;
    const sequence = prev === null ? 0 : prev.fingerprint === ev.fingerprint ? prev.sequence : prev.sequence + 1;
    events.push({ ...ev, sequence });
    return {
      ...s,
      calendar: { sequence, fingerprint: ev.fingerprint, exportedAt: prev !== null && prev.fingerprint === ev.fingerprint ? prev.exportedAt : at },
    };
  });
  events.sort((a, b) => a.n - b.n);
  return { queue: { ...q, sessions }, events };
}

/**
 * One VCALENDAR holding `events`: times as `TZID=<tz>` local times with a VTIMEZONE built from the
 * runtime's zone data (plain UTC when `tz` is UTC), on whole minutes (rounded down, whatever the events
 * hold), alarms 30 and 5 minutes before the start, DTSTAMP `nowMs`. Loads ical-generator on first use.
 * Event times go in as @date-fns/tz TZDates, whose wall-clock getters ical-generator writes after TZID=.
 * @throws RangeError for an unknown zone (when there is an event)
 */
export async function renderIcs(events: readonly CalendarEvent[], tz: string, nowMs: number, name: string): Promise<string> {
  const { ICalCalendar, ICalAlarmType } = await import('ical-generator');
  const cal = new ICalCalendar({ name, prodId: { company: 'claude-code-optimizer', product: 'cco', language: 'EN' } });
  const utc = tz === 'UTC' || tz === 'Etc/UTC';
  if (!utc && events.length > 0) {
    const from = Math.min(...events.map((e) => e.startMs)) - 31 * 86_400_000;
    const to = Math.max(...events.map((e) => e.endMs)) + 31 * 86_400_000;
    cal.timezone({ name: null, generator: (zone) => vtimezone(zone, from, to) });
  }
  cal.x([{ key: 'X-WR-TIMEZONE', value: tz }]);
  for (const e of events) {
    const startMs = floorToMinute(e.startMs);
    const endMs = floorToMinute(e.endMs);
    cal.createEvent({
      id: e.uid,
      sequence: e.sequence,
      stamp: new Date(nowMs),
      start: utc ? new Date(startMs) : zoned(startMs, tz),
      end: utc ? new Date(endMs) : zoned(endMs, tz),
      timezone: utc ? null : tz,
      summary: e.summary,
      description: e.description,
      location: e.location,
      alarms: ALARM_MINUTES.map((m) => ({ type: ICalAlarmType.display, trigger: m * 60, description: `${e.summary} starts in ${m} min` })),
    });
  }
  return cal.toString();
}
