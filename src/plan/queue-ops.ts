import type { Budget } from '../quota/budget.ts';
import { blockersOf, dependencyCycles, fmtCycle } from './dependencies.ts';
import { titleKey } from './duplicate-titles.ts';
import { HOURS_MAX, HOURS_MIN, idNumber, PlanError, type PlannedSession, type SessionQueue } from './queue-schema.ts';
import { oversizeProblem } from './window-size.ts';

/**
 * Pure operations on the session queue. Each returns a new queue (the input is never mutated) and throws
 * PlanError, with a message meant for the person, when the operation does not apply. Times are epoch ms
 * in, ISO-8601 UTC in the queue.
 */

/** What `cco plan add` (and the session-planner agent) gives for a new session. */
export interface NewSession {
  title: string;
  /** Absolute project directory. */
  projectDir: string;
  /** Estimated counted tokens, or null with `windowShare`. */
  tokens: number | null;
  /** Estimated share of one 5-hour window (above 0; above 1 is refused as larger than a window), or null with `tokens`. */
  windowShare: number | null;
  /** Estimated hours, 0.5-12. */
  hours: number;
  objectives: string[];
  agent: string | null;
  /** Ids of sessions that must be done first (they must exist). */
  dependsOn: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The session with `id`. @throws PlanError when there is none */
export function findSession(q: SessionQueue, id: string): PlannedSession {
  const s = q.sessions.find((x) => x.id === id);
  if (s === undefined) throw new PlanError(`no planned session "${id}" (cco plan list shows the ids)`);
  return s;
}

/** The next id to give: `s<n>` with n above `nextId` - 1 and above every id in the queue, so ids are never reused. */
export function nextSessionId(q: SessionQueue): string {
  return `s${allocNumber(q)}`;
}

function allocNumber(q: SessionQueue): number {
  return Math.max(q.nextId, ...q.sessions.map((s) => idNumber(s.id) + 1));
}

/**
 * Checks the fields of a new or imported session. Its size against one window is checked by `addSession`
 * and `importSessions` (they know the budget: `oversizeProblem`).
 * @throws PlanError naming the first bad field
 */
export function validateNew(n: NewSession): void {
  if (n.title.trim() === '') throw new PlanError('a session needs a title');
  if (!(n.hours >= HOURS_MIN && n.hours <= HOURS_MAX)) throw new PlanError(`hours must be a number from ${HOURS_MIN} to ${HOURS_MAX}, not ${n.hours}`);
  if (n.tokens !== null && n.windowShare !== null) throw new PlanError('give an estimate in tokens or as a share of a window, not both');
  if (n.tokens === null && n.windowShare === null) throw new PlanError(`"${n.title}" needs an estimate: tokens, or a share of a window`);
  if (n.tokens !== null && !(Number.isInteger(n.tokens) && n.tokens > 0)) throw new PlanError(`tokens must be a whole number above 0, not ${n.tokens}`);
  if (n.windowShare !== null && !(Number.isFinite(n.windowShare) && n.windowShare > 0))
    throw new PlanError(`a window share must be above 0, not ${n.windowShare}`);
  if (n.agent !== null && !/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(n.agent))
    throw new PlanError(`agent must be an agent name such as "Explore" or "cco:session-planner", not ${JSON.stringify(n.agent)}`); // quoted as JSON: it may hold a line break
}

/** @throws PlanError when `n` is larger than one window of `budget` (see `oversizeProblem`), prefixed with `where` */
function checkSize(n: NewSession, budget: Budget, where = ''): void {
  const big = oversizeProblem(n, budget);
  if (big !== null) throw new PlanError(`${where}${big}`);
}

function fresh(n: NewSession, id: string, nowMs: number): PlannedSession {
  return {
    id,
    title: n.title.trim(),
    projectDir: n.projectDir,
    tokens: n.tokens,
    windowShare: n.windowShare,
    hours: n.hours,
    objectives: n.objectives.map((o) => o.trim()).filter((o) => o !== ''),
    agent: n.agent,
    dependsOn: [...new Set(n.dependsOn)],
    status: 'ready',
    scheduledAt: null,
    scheduledBy: null,
    announcedAt: null,
    createdAt: iso(nowMs),
    startedAt: null,
    finishedAt: null,
    calendar: null,
  };
}

/**
 * Appends a `ready` session with the next id. A title another session has is allowed (titles are not ids;
 * `duplicateTitleWarnings` names the other).
 * @param budget one 5-hour window in counted tokens, and its source (named in the refusal)
 * @throws PlanError for a bad field, a session larger than one window of `budget` (more tokens, or a share
 *   above 1), or a dependency on an unknown id
 */
export function addSession(q: SessionQueue, n: NewSession, nowMs: number, budget: Budget): { queue: SessionQueue; session: PlannedSession } {
  validateNew(n);
  checkSize(n, budget);
  for (const d of n.dependsOn) findSession(q, d);
  const num = allocNumber(q);
  const session = fresh(n, `s${num}`, nowMs);
  return { queue: touch({ ...q, nextId: num + 1, sessions: [...q.sessions, session] }, nowMs), session };
}

/**
 * Marks a session in progress (it becomes the project's current objective). Allowed from ready,
 * scheduled and skipped.
 * @throws PlanError when it is done or already in progress, or (without `force`) when a dependency is not done
 */
export function startSession(q: SessionQueue, id: string, nowMs: number, opts: { force?: boolean } = {}): { queue: SessionQueue; session: PlannedSession } {
  const s = findSession(q, id);
  if (s.status === 'done') throw new PlanError(`${id} is already done`);
  if (s.status === 'in_progress') throw new PlanError(`${id} is already in progress (since ${s.startedAt ?? 'unknown'})`);
  const cycle = dependencyCycles(q.sessions).find((c) => c.includes(id));
  if (cycle !== undefined && !opts.force)
    throw new PlanError(`${id} is on a dependency cycle (${fmtCycle(cycle)}): fix the dependencies, or start it anyway with --force`);
  const blockers = blockersOf(s, new Map(q.sessions.map((x) => [x.id, x])));
  if (blockers.length > 0 && !opts.force) {
    throw new PlanError(
      `${id} waits for ${blockers.map((b) => `${b.id} (${b.status.replace('_', ' ')})`).join(', ')}: finish those first, or start it anyway with --force`,
    );
  }
  return replace(q, { ...s, status: 'in_progress', startedAt: iso(nowMs), finishedAt: null }, nowMs);
}

/**
 * Marks a session done (from any status but done) or skipped (from ready, scheduled, in progress).
 * @throws PlanError when it already has that outcome, or skipping a done session
 */
export function finishSession(q: SessionQueue, id: string, outcome: 'done' | 'skipped', nowMs: number): { queue: SessionQueue; session: PlannedSession } {
  const s = findSession(q, id);
  if (s.status === outcome) throw new PlanError(`${id} is already ${outcome}`);
  if (outcome === 'skipped' && s.status === 'done') throw new PlanError(`${id} is done; it cannot be skipped`);
  return replace(q, { ...s, status: outcome, finishedAt: iso(nowMs) }, nowMs);
}

/**
 * Removes a session and takes its id out of every other session's dependencies. Its id is not reused.
 * @returns the queue, the removed session and the ids whose dependencies lost it
 * @throws PlanError for an unknown id
 */
export function removeSession(q: SessionQueue, id: string, nowMs: number): { queue: SessionQueue; removed: PlannedSession; unlinked: string[] } {
  const removed = findSession(q, id);
  const unlinked: string[] = [];
  const sessions = q.sessions
    .filter((s) => s.id !== id)
    .map((s) => {
      if (!s.dependsOn.includes(id)) return s;
      unlinked.push(s.id);
      return { ...s, dependsOn: s.dependsOn.filter((d) => d !== id) };
    });
  return { queue: touch({ ...q, nextId: allocNumber(q), sessions }, nowMs), removed, unlinked };
}

/**
 * Gives a session a start time (status `scheduled`). A new time is announced again at SessionStart.
 * @throws PlanError when the session is in progress, done or skipped
 */
export function scheduleSession(
  q: SessionQueue,
  id: string,
  atMs: number,
  by: 'manual' | 'auto',
  nowMs: number,
): { queue: SessionQueue; session: PlannedSession } {
  const s = findSession(q, id);
  if (s.status !== 'ready' && s.status !== 'scheduled')
    throw new PlanError(`${id} is ${s.status.replace('_', ' ')}; only ready or scheduled sessions can be scheduled`);
  const at = iso(atMs);
  return replace(q, { ...s, status: 'scheduled', scheduledAt: at, scheduledBy: by, announcedAt: at === s.scheduledAt ? s.announcedAt : null }, nowMs);
}

/**
 * Applies a multi-window schedule: every id in `replanned` gets its new start from `starts` (status
 * `scheduled`, by `auto`), or, when it has none, goes back to `ready` (it no longer fits). Ids are kept;
 * sessions not in `replanned` are left as they are. Pure.
 */
export function applySchedule(q: SessionQueue, starts: ReadonlyMap<string, number>, replanned: readonly string[], nowMs: number): SessionQueue {
  const re = new Set(replanned);
  const sessions = q.sessions.map((s): PlannedSession => {
    if (!re.has(s.id)) return s;
    const at = starts.get(s.id);
    if (at === undefined) return { ...s, status: 'ready', scheduledAt: null, scheduledBy: null, announcedAt: null };
    const when = iso(at);
    return { ...s, status: 'scheduled', scheduledAt: when, scheduledBy: 'auto', announcedAt: when === s.scheduledAt ? s.announcedAt : null };
  });
  return touch({ ...q, sessions }, nowMs);
}

/** One session of an imported plan; `dependsOn` holds references: an id (`s3`) or a title. */
export interface ImportItem extends NewSession {
  /** Where it came from (e.g. `plan.md:12`), for messages. */
  origin: string;
}

/** What an import did. */
export interface ImportResult {
  queue: SessionQueue;
  added: PlannedSession[];
  /** Ready or scheduled sessions with the same project and title, updated in place (ids kept). */
  updated: PlannedSession[];
  /** Sessions with the same project and title already in progress, done or skipped: left as they are. */
  kept: PlannedSession[];
}

/**
 * Merges an imported plan into the queue, all or nothing. A session whose project and title match one
 * already queued keeps that id: a ready or scheduled one is updated (estimates, objectives, agent,
 * dependencies), one in progress, done or skipped is left alone; the others are appended with new ids.
 * A dependency reference is an id in the queue (`s3`), else the title of a session in the plan, else the
 * title of a queued session of the same project. Titles compare trimmed and case-insensitive; two sessions
 * of one project with the same title in the plan are refused (a re-import could not tell them apart).
 * @param budget one 5-hour window in counted tokens, and its source (named in the refusal)
 * @throws PlanError for a bad field, a session to add or update that is larger than one window of
 *   `budget`, a title twice in one project, an unknown or self reference, or a dependency cycle in the result
 */
export function importSessions(q: SessionQueue, items: readonly ImportItem[], nowMs: number, budget: Budget): ImportResult {
  const key = (project: string, title: string) => `${project}\u0000${titleKey(title)}`;
  const existing = new Map(q.sessions.map((s) => [key(s.projectDir, s.title), s]));
  let num = allocNumber(q);
  const ids: string[] = [];
  const planTitles = new Map<string, string>();
  const firstOrigin = new Map<string, string>();
  for (const it of items) {
    validateNew(it);
    const k = key(it.projectDir, it.title);
    const old = existing.get(k);
    if (old === undefined || old.status === 'ready' || old.status === 'scheduled') checkSize(it, budget, `${it.origin}: `);
    const id = old?.id ?? `s${num++}`;
    if (planTitles.has(k))
      throw new PlanError(
        `${it.origin}: "${it.title}" appears twice in the plan (also ${firstOrigin.get(k)}) for ${it.projectDir}; a re-import matches sessions by project and title, so give each its own title`,
      );
    planTitles.set(k, id);
    firstOrigin.set(k, it.origin);
    ids.push(id);
  }
  const known = new Set(q.sessions.map((s) => s.id));
  const resolve = (it: ImportItem, ref: string): string => {
    const r = ref.trim();
    if (/^s[1-9]\d*$/.test(r) && known.has(r)) return r;
    const byPlan = planTitles.get(key(it.projectDir, r));
    if (byPlan !== undefined) return byPlan;
    const byQueue = existing.get(key(it.projectDir, r));
    if (byQueue !== undefined) return byQueue.id;
    throw new PlanError(`${it.origin}: dependency "${r}" is neither a queued id nor the title of a session in this plan or project`);
  };
  const added: PlannedSession[] = [];
  const updated: PlannedSession[] = [];
  const kept: PlannedSession[] = [];
  const byId = new Map(q.sessions.map((s) => [s.id, s]));
  items.forEach((it, i) => {
    const id = ids[i]!;
    const deps = [...new Set(it.dependsOn.map((d) => resolve(it, d)))];
    if (deps.includes(id)) throw new PlanError(`${it.origin}: "${it.title}" depends on itself`);
    const old = byId.get(id);
    if (old === undefined) {
      const s = fresh({ ...it, dependsOn: deps }, id, nowMs);
      added.push(s);
      byId.set(id, s);
    } else if (old.status === 'ready' || old.status === 'scheduled') {
      const s: PlannedSession = {
        ...old,
        tokens: it.tokens,
        windowShare: it.windowShare,
        hours: it.hours,
        objectives: fresh(it, id, nowMs).objectives,
        agent: it.agent,
        dependsOn: deps,
      };
      updated.push(s);
      byId.set(id, s);
    } else kept.push(old);
  });
  const sessions = [...q.sessions.map((s) => byId.get(s.id)!), ...added];
  const cycles = dependencyCycles(sessions);
  if (cycles.length > 0) throw new PlanError(`the plan would make a dependency cycle: ${cycles.map(fmtCycle).join('; ')}`);
  return { queue: touch({ ...q, nextId: Math.max(num, allocNumber(q)), sessions }, nowMs), added, updated, kept };
}

function replace(q: SessionQueue, s: PlannedSession, nowMs: number): { queue: SessionQueue; session: PlannedSession } {
  return { queue: touch({ ...q, sessions: q.sessions.map((x) => (x.id === s.id ? s : x)) }, nowMs), session: s };
}

function touch(q: SessionQueue, nowMs: number): SessionQueue {
  return { ...q, updatedAt: iso(nowMs) };
}
