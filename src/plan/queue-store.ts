import { installedSeeds } from '../claude/seed-commands.ts';
import { slashFor } from '../render/command-names.ts';
import { randomUUID } from 'node:crypto';
import { moveAside } from '../store/move-aside.ts';
import type { Runtime } from '../runtime.ts';
import { writeTextAtomic } from '../store/atomic-text.ts';
import { readState, update } from '../store/update.ts';
import { currentObjective } from './current.ts';
import { dueAnnouncement } from './due.ts';
import { emptyQueue, SessionQueueSchema, type PlannedSession, type SessionQueue } from './queue-schema.ts';

/**
 * I/O of the session queue: `<state dir>/session-queue.json` through `update` (lock, re-read, validate,
 * atomic write), plus `cco/session-queue.last-good.json`, a copy of every queue written (made under the
 * queue lock, just before the queue itself). A hand-edited queue that fails the schema is quarantined
 * by `update` (renamed `session-queue.json.corrupt-<time>`) and replaced by the last good copy, and the
 * caller gets a note saying so.
 */

/** A queue and, when the file was unusable, the note that says what happened. */
export interface QueueRead {
  queue: SessionQueue;
  note: string | null;
  /**
   * True when the queue and its last good copy were both unusable: both are moved aside (`*.corrupt-<time>`,
   * named in the note) and the queue starts empty. Commands say so and exit 1 (the sessions are in those files).
   */
  lost?: boolean;
}

/** Lock budget (ms) for commands; hooks pass their own. */
const CLI_LOCK_MS = 5_000;

/** The last good copy as read: the queue, or null with why (`reason` null: there is none). */
interface LastGood {
  queue: SessionQueue | null;
  reason: string | null;
  /** Where an unusable copy was moved (under the queue lock only), else null. */
  movedTo: string | null;
}

function readLastGood(rt: Runtime): LastGood {
  let reason: string | null = null;
  const q = readState<SessionQueue | null>(
    rt.paths.sessionQueueLastGood,
    SessionQueueSchema,
    () => null,
    (why) => {
      reason = why;
    },
  );
  return { queue: reason === null ? q : null, reason, movedTo: null };
}

/**
 * The last good copy, under the queue lock: an unusable one is moved aside as `*.corrupt-<time>` (never
 * overwritten by the queue written next, never silently dropped).
 */
function takeLastGood(rt: Runtime): LastGood {
  const g = readLastGood(rt);
  if (g.reason === null) return g;
  try {
    const to = moveAside(rt.paths.sessionQueueLastGood, rt.now());
    return to === null ? g : { ...g, movedTo: to };
  } catch {
    return g; // not movable (EACCES...): the note still names it
  }
}

function fallbackNote(rt: Runtime, reason: string | null, movedTo: string | null, good: LastGood | null): string {
  const what = reason === null ? `${rt.paths.sessionQueue} is missing` : `${rt.paths.sessionQueue} failed the schema (${reason})`;
  const moved = movedTo === null ? '' : `; it was moved to ${movedTo}`;
  let used: string;
  if (good?.queue != null) {
    used = `; using the last good copy (${rt.paths.sessionQueueLastGood}, saved ${good.queue.updatedAt ?? 'at an unknown time'}, ${good.queue.sessions.length} session${good.queue.sessions.length === 1 ? '' : 's'})`;
  } else if (good?.reason != null) {
    used = `; the last good copy ${rt.paths.sessionQueueLastGood} failed the schema too (${good.reason})${good.movedTo === null ? '' : `; it was moved to ${good.movedTo}`}, so the queue starts empty: the sessions are in those files`;
  } else {
    used = '; there is no last good copy, so the queue starts empty';
  }
  return `${what}${moved}${used}`;
}

/**
 * Reads the queue without the lock and without writing: an invalid file gives the last good copy (or an
 * empty queue) and a note; the file is left for the next write to quarantine. For status and handoffs.
 */
export function peekQueue(rt: Runtime): QueueRead {
  let reason: string | null = null;
  const q = readState<SessionQueue | null>(
    rt.paths.sessionQueue,
    SessionQueueSchema,
    () => null,
    (why) => {
      reason = why;
    },
  );
  if (q !== null) return { queue: q, note: null };
  if (reason === null) return { queue: emptyQueue('(none yet)'), note: null };
  const good = readLastGood(rt);
  return { queue: good.queue ?? emptyQueue('(none yet)'), note: fallbackNote(rt, reason, null, good), lost: good.reason !== null };
}

/**
 * Locks the queue, applies `fn`, writes the result (and the last-good copy). `fn` returns the new queue
 * and a result, or null for no change. When the file failed the schema it is quarantined, `fn` starts
 * from the last good copy (or an empty queue) and that copy is written back even if `fn` changes nothing.
 * A last good copy that fails the schema too is moved aside as well (`lost`), never written over.
 *
 * @throws LockBusyError when the lock stays busy past `lockBudgetMs`; whatever `fn` throws (nothing is written then)
 */
export async function mutateQueue<R>(
  rt: Runtime,
  fn: (q: SessionQueue) => { queue: SessionQueue; result: R } | null,
  opts: { lockBudgetMs?: number } = {},
): Promise<{ queue: SessionQueue; result: R | null; note: string | null; lost: boolean }> {
  let quarantined: { reason: string; to: string } | null = null;
  let good: LastGood | null = null;
  let result: R | null = null;
  const queue = await update<SessionQueue>(
    rt.paths.sessionQueue,
    SessionQueueSchema,
    () => {
      good = takeLastGood(rt);
      return good.queue ?? emptyQueue(randomUUID());
    },
    async (current) => {
      const out = fn(current);
      if (out === null && quarantined === null && (good as LastGood | null)?.movedTo == null) return undefined;
      const next = out === null ? current : out.queue;
      result = out === null ? null : out.result;
      await writeTextAtomic(rt.paths.sessionQueueLastGood, JSON.stringify(next));
      return next;
    },
    {
      lockBudgetMs: opts.lockBudgetMs ?? CLI_LOCK_MS,
      now: rt.now,
      onQuarantine: (_file, to, reason) => {
        quarantined = { reason, to };
      },
    },
  );
  const g = good as LastGood | null;
  const q = quarantined as { reason: string; to: string } | null;
  const lost = g?.movedTo != null;
  const note = q === null && !lost ? null : fallbackNote(rt, q?.reason ?? null, q?.to ?? null, g);
  if (note !== null) rt.log('warn', 'plan', note);
  return { queue, result, note, lost };
}

/**
 * The queue for a `cco plan` command: read without the lock when valid; when the file fails the schema,
 * quarantined and replaced by the last good copy under the lock (see `mutateQueue`), with the note.
 * @throws LockBusyError only in that second case
 */
export async function loadQueue(rt: Runtime): Promise<QueueRead> {
  const peek = peekQueue(rt);
  if (peek.note === null) return peek;
  const { queue, note, lost } = await mutateQueue(rt, () => null);
  return { queue, note: note ?? peek.note, lost: lost || peek.lost === true };
}

/** What `takeDueAnnouncement` gives the SessionStart hook. */
export interface DueTake {
  /** Ids now marked announced (empty when only a note is given). */
  ids: string[];
  systemMessage: string;
  /** For the model; null when there is nothing due. */
  additionalContext: string | null;
}

/**
 * For SessionStart: the announcement of the project's scheduled sessions whose time has come, once each.
 * Reads without the lock; only when something is due (or the file must be quarantined) does it lock the
 * queue, recompute, and set `announcedAt` on the announced sessions. Null when there is nothing to say.
 *
 * @param projectDir the session's directory (hook input `cwd`)
 * @throws LockBusyError when the queue stays locked past `lockBudgetMs` (default 1,500 ms); fs errors
 */
export async function takeDueAnnouncement(rt: Runtime, projectDir: string, opts: { lockBudgetMs?: number } = {}): Promise<DueTake | null> {
  const nowMs = rt.now().getTime();
  const peek = peekQueue(rt);
  if (peek.note === null && dueAnnouncement(peek.queue, nowMs, projectDir) === null) return null;
  const slash = slashFor(installedSeeds(rt.paths.stateDir));
  const { result, note } = await mutateQueue(
    rt,
    (q) => {
      const a = dueAnnouncement(q, nowMs, projectDir, slash);
      if (a === null) return null;
      const at = new Date(nowMs).toISOString();
      const sessions = q.sessions.map((s): PlannedSession => (a.ids.includes(s.id) ? { ...s, announcedAt: at } : s));
      return { queue: { ...q, sessions }, result: a };
    },
    { lockBudgetMs: opts.lockBudgetMs ?? 1_500 },
  );
  if (result !== null) rt.log('info', 'plan', `announced due session(s) ${result.ids.join(', ')} in ${projectDir}`);
  if (result === null && note === null) return null;
  const noteLine = note === null ? [] : [`cco: ${note}`];
  return {
    ids: result?.ids ?? [],
    systemMessage: [...noteLine, ...(result === null ? [] : [result.systemMessage])].join('\n'),
    additionalContext: result?.additionalContext ?? null,
  };
}

/** The project's current objective (the planned session in progress there), read without the lock; null when none. */
export function readCurrentObjective(rt: Runtime, projectDir: string): PlannedSession | null {
  return currentObjective(peekQueue(rt).queue, projectDir);
}
