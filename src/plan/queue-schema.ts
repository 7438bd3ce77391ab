import { z } from 'zod';

/**
 * The planned-session queue (`session-queue.json` in the state dir). Every time is ISO-8601 (UTC as we
 * write it; an offset is accepted from a hand edit). Unknown keys are kept (looseObject) so an older build
 * never drops a newer field.
 */

/** A session's life: planned (`ready`), given a time (`scheduled`), being worked on, finished or dropped. */
export const SESSION_STATUSES = ['ready', 'scheduled', 'in_progress', 'done', 'skipped'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Hours accepted for a session estimate and for the hours a person has (`/start-next-session [hours]`). */
export const HOURS_MIN = 0.5;
export const HOURS_MAX = 12;

const isoTime = z.iso.datetime({ offset: true });

/** What the last calendar export wrote for a session: SEQUENCE grows when the event's content changes. */
export const CalendarStampSchema = z.object({
  sequence: z.number().int().min(0),
  /** Hash of the exported event's content (times, summary, description, location). */
  fingerprint: z.string(),
  exportedAt: isoTime,
});

export const PlannedSessionSchema = z
  .looseObject({
    /** `s1`, `s2`, ...: given once, never reused (see `nextId`). */
    id: z.string().regex(/^s[1-9]\d*$/, 'an id like "s1"'),
    title: z.string().trim().min(1),
    /** Absolute directory the session works in. */
    projectDir: z.string().min(1),
    /** Estimated counted tokens; null when the estimate is a share of a window. */
    tokens: z.number().int().positive().nullable(),
    /** Estimated share of one 5-hour window (0-1], resolved against the budget when used; null when `tokens` is set. */
    windowShare: z.number().gt(0).max(1).nullable(),
    /** Estimated hours of work. */
    hours: z.number().min(HOURS_MIN).max(HOURS_MAX),
    objectives: z.array(z.string()),
    /** Name of an agent suggested for the session (built in, `.claude/agents/<name>.md`, `plugin:name`); null for none. */
    agent: z.string().min(1).nullable(),
    /** Ids of sessions that must be done first. */
    dependsOn: z.array(z.string()),
    status: z.enum(SESSION_STATUSES),
    /** When the session is planned to start; set for `scheduled`. */
    scheduledAt: isoTime.nullable(),
    /** `manual` (`cco plan schedule <id> --at`): kept by re-plans; `auto` (`schedule --all`): re-planned. */
    scheduledBy: z.enum(['manual', 'auto']).nullable(),
    /** When SessionStart announced that the scheduled time had come (once per scheduled time). */
    announcedAt: isoTime.nullable(),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    /** When it was marked done or skipped. */
    finishedAt: isoTime.nullable(),
    calendar: CalendarStampSchema.nullable().default(null),
  })
  .refine((s) => s.tokens !== null || s.windowShare !== null, { message: 'needs "tokens" or "windowShare"' })
  .refine((s) => s.status !== 'scheduled' || s.scheduledAt !== null, { message: 'a scheduled session needs "scheduledAt"' });
export type PlannedSession = z.infer<typeof PlannedSessionSchema>;

export const SessionQueueSchema = z
  .looseObject({
    version: z.literal(1),
    /** Random id of this queue, part of every calendar UID (stable across exports). */
    queueId: z.string().min(1),
    /** The number of the next id to give (`s<nextId>`); only grows, so ids are never reused. */
    nextId: z.number().int().min(1),
    /** In plan order: earlier entries are preferred when several fit. */
    sessions: z.array(PlannedSessionSchema),
    updatedAt: isoTime.nullable(),
  })
  .superRefine((q, ctx) => {
    const seen = new Set<string>();
    q.sessions.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sessions', i, 'id'], message: `duplicate id "${s.id}"` });
      seen.add(s.id);
    });
  });
export type SessionQueue = z.infer<typeof SessionQueueSchema>;

/** An empty queue. Pure. */
export function emptyQueue(queueId: string): SessionQueue {
  return { version: 1, queueId, nextId: 1, sessions: [], updatedAt: null };
}

/** A user-facing planning error (bad id, bad hours, a dependency problem): the CLI prints it as one line. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/**
 * Parses an hours figure (`3`, `2.5`, `1.5h`).
 * @throws PlanError when it is not a number from 0.5 to 12
 */
export function parseHours(text: string, what = 'hours'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*h?\s*$/i.exec(text);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!Number.isFinite(n) || n < HOURS_MIN || n > HOURS_MAX) throw new PlanError(`${what} must be a number from ${HOURS_MIN} to ${HOURS_MAX}, not "${text}"`);
  return n;
}

/** Estimated counted tokens of a session: its `tokens`, else its window share of `budget` (rounded). Pure. */
export function sessionTokens(s: Pick<PlannedSession, 'tokens' | 'windowShare'>, budget: number): number {
  if (s.tokens !== null) return s.tokens;
  return Math.round((s.windowShare ?? 1) * budget);
}

/** The number of an id (`s12` -> 12). */
export function idNumber(id: string): number {
  return Number(id.slice(1));
}
