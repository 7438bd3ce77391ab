import { installedSeeds } from '../claude/seed-commands.ts';
import { slashFor } from '../render/command-names.ts';
import { randomUUID } from 'node:crypto';
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
}

/** Lock budget (ms) for commands; hooks pass their own. */
const CLI_LOCK_MS = 5_000;

function lastGood(rt: Runtime): SessionQueue | null {
  let bad = false;
  const q = readState<SessionQueue | null>(rt.paths.sessionQueueLastGood, SessionQueueSchema, () => null, () => { bad = true; });
  return bad ? null : q;
}

function fallbackNote(rt: Runtime, reason: string, movedTo: string | null, good: SessionQueue | null): string {
  const what = `${rt.paths.sessionQueue} failed the schema (${reason})`;
  const moved = movedTo === null ? '' : `; it was moved to ${movedTo}`;
  const used = good === null
    ? '; there is no last good copy, so the queue starts empty'
    : `; using the last good copy (${rt.paths.sessionQueueLastGood}, saved ${good.updatedAt ?? 'at an unknown time'}, ${good.sessions.length} session${good.sessions.length === 1 ? '' : 's'})`;
  return `${what}${moved}${used}`;
}

/**
 * Reads the queue without the lock and without writing: an invalid file gives the last good copy (or an
 * empty queue) and a note; the file is left for the next write to quarantine. For status and handoffs.
 */
export function peekQueue(rt: Runtime): QueueRead {
  let reason: string | null = null;
  const q = readState<SessionQueue | null>(rt.paths.sessionQueue, SessionQueueSchema, () => null, (why) => { reason = why; });
  if (q !== null) return { queue: q, note: null };
  if (reason === null) return { queue: emptyQueue('(none yet)'), note: null };
  const good = lastGood(rt);
  return { queue: good ?? emptyQueue('(none yet)'), note: fallbackNote(rt, reason, null, good) };
}

/**
 * Locks the queue, applies `fn`, writes the result (and the last-good copy). `fn` returns the new queue
 * and a result, or null for no change. When the file failed the schema it is quarantined, `fn` starts
 * from the last good copy (or an empty queue) and that copy is written back even if `fn` changes nothing.
 *
 * @throws LockBusyError when the lock stays busy past `lockBudgetMs`; whatever `fn` throws (nothing is written then)
 */
export async function mutateQueue<R>(
  rt: Runtime,
  fn: (q: SessionQueue) => { queue: SessionQueue; result: R } | null,
  opts: { lockBudgetMs?: number } = {},
): Promise<{ queue: SessionQueue; result: R | null; note: string | null }> {
  let note: string | null = null;
  let quarantined = false;
  let result: R | null = null;
  const queue = await update<SessionQueue>(
    rt.paths.sessionQueue,
    SessionQueueSchema,
    () => lastGood(rt) ?? emptyQueue(randomUUID()),
    async (current) => {
      const out = fn(current);
      if (out === null && !quarantined) return undefined;
      const next = out === null ? current : out.queue;
      result = out === null ? null : out.result;
      await writeTextAtomic(rt.paths.sessionQueueLastGood, JSON.stringify(next));
      return next;
    },
    {
      lockBudgetMs: opts.lockBudgetMs ?? CLI_LOCK_MS,
      now: rt.now,
      onQuarantine: (_file, to, reason) => {
        quarantined = true;
        note = fallbackNote(rt, reason, to, lastGood(rt));
        rt.log('warn', 'plan', note);
      },
    },
  );
  return { queue, result, note };
}

/**
 * The queue for a `cco plan` command: read without the lock when valid; when the file fails the schema,
 * quarantined and replaced by the last good copy under the lock (see `mutateQueue`), with the note.
 * @throws LockBusyError only in that second case
 */
export async function loadQueue(rt: Runtime): Promise<QueueRead> {
  const peek = peekQueue(rt);
  if (peek.note === null) return peek;
  const { queue, note } = await mutateQueue(rt, () => null);
  return { queue, note: note ?? peek.note };
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
  const { result, note } = await mutateQueue(rt, (q) => {
    const a = dueAnnouncement(q, nowMs, projectDir, slash);
    if (a === null) return null;
    const at = new Date(nowMs).toISOString();
    const sessions = q.sessions.map((s): PlannedSession => (a.ids.includes(s.id) ? { ...s, announcedAt: at } : s));
    return { queue: { ...q, sessions }, result: a };
  }, { lockBudgetMs: opts.lockBudgetMs ?? 1_500 });
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
