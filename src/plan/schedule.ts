import { WINDOW_MS } from '../usage/blocks.ts';
import { cycleBound, dependencyCycles, type Blocker } from './dependencies.ts';
import type { QuotaNow } from './fit.ts';
import { sessionTokens, type PlannedSession, type SessionQueue } from './queue-schema.ts';
import { WEEK_MS, weekIndex, weeklyAllows, weeklyCost, type WeeklyLimit } from './weekly-limit.ts';
import { ceilToMinute } from './whole-minute.ts';
import { exceedsWindow } from './window-size.ts';
import { nextWorkingStart, spanAtOrAfter, type WorkingHours } from './working-hours.ts';

/** Inputs of `planSchedule`. Times in epoch ms. */
export interface ScheduleInputs {
  queue: SessionQueue;
  nowMs: number;
  quota: QuotaNow;
  weekly: WeeklyLimit | null;
  workingHours: WorkingHours;
  /** IANA zone of the working hours. */
  timeZone: string;
  /** Windows are planned this many days ahead (default 14). */
  horizonDays?: number;
  /** Plan only this session; every other scheduled session keeps its time (`cco plan schedule <id>`). */
  only?: string;
}

/** A coming 5-hour window: `now` (the current one, or one starting now), then one after each reset. */
export interface Slot {
  index: number;
  startMs: number;
  endMs: number;
  /** Counted tokens available in it: what is left now for the first, the whole budget after a reset. */
  budget: number;
  /** Estimated tokens of the sessions planned in it (placed and kept). */
  planned: number;
}

/** A session's planned time. */
export interface Placement {
  id: string;
  startMs: number;
  endMs: number;
  tokens: number;
  /** Index into `slots`, or -1 for a kept time outside the planned windows. */
  slot: number;
}

/** Why a session got no time. */
export type Unplaced =
  | { id: string; kind: 'cycle'; cycle: string[] }
  /** A dependency is skipped or missing: it will never be done. */
  | { id: string; kind: 'blocked'; blockers: Blocker[] }
  /** A dependency got no time (or, with `only`, has none). */
  | { id: string; kind: 'waits'; on: string }
  | { id: string; kind: 'too-big'; tokens: number; budget: number }
  | { id: string; kind: 'too-long'; hours: number }
  | { id: string; kind: 'no-window'; horizonDays: number };

export interface ScheduleResult {
  /** New times of the re-planned sessions, in the order they were placed. */
  placements: Placement[];
  unplaced: Unplaced[];
  /** Sessions whose times were kept (manual times, or everything else with `only`) and in-progress ones. */
  kept: Placement[];
  /** Windows with something planned, and the first. */
  slots: Slot[];
  /** Ids the plan decided (placed or not): `applySchedule` sets or clears their times. */
  replanned: string[];
  cycles: string[][];
}

const HOUR_MS = 3_600_000;

/**
 * Assigns ready sessions (and auto-scheduled ones, re-planned) to the coming 5-hour windows: the current
 * one (from now, with the tokens left), then one starting at the reset, then every 5 h; a window that
 * would start outside working hours starts when they next begin (the first request of the day opens it).
 * Sessions are taken in plan order once their dependencies are placed or done, and each goes to the
 * earliest window where it
 * - starts after its dependencies end (done: no wait; in progress: started + its hours),
 * - lies inside working hours and inside the window (one person: no two sessions overlap),
 * - fits the window's tokens left (estimates, the budget in use), and
 * - keeps the week's projected official 7-day % at or below the cap (when the cost per token is known;
 *   else only a week already at the cap is avoided). A later week starts from 0.
 * Start times are whole minutes, rounded up (now is 12:29:46: a session starting now starts 12:30).
 * Manually scheduled sessions keep their time and use their window's tokens. Ids never change. Pure.
 */
export function planSchedule(i: ScheduleInputs): ScheduleResult {
  const horizonDays = i.horizonDays ?? 14;
  const horizonMs = i.nowMs + horizonDays * 24 * HOUR_MS;
  const sessions = i.queue.sessions;
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const cycles = dependencyCycles(sessions);
  const bound = cycleBound(sessions, cycles);

  const replan = sessions.filter((s) =>
    i.only !== undefined ? s.id === i.only : s.status === 'ready' || (s.status === 'scheduled' && s.scheduledBy !== 'manual'),
  );
  const replanIds = new Set(replan.map((s) => s.id));

  // Slots, generated as far as needed.
  const slots: Slot[] = [];
  const openWindow = i.quota.windowEndMs !== null && i.quota.windowEndMs > i.nowMs;
  slots.push({
    index: 0,
    startMs: i.nowMs,
    endMs: openWindow ? i.quota.windowEndMs! : i.nowMs + WINDOW_MS,
    budget: openWindow ? i.quota.remaining : i.quota.budget,
    planned: 0,
  });
  const slotAt = (k: number): Slot | null => {
    while (slots.length <= k) {
      const prev = slots[slots.length - 1]!;
      const start = nextWorkingStart(prev.endMs, i.workingHours, i.timeZone);
      if (start === null || start >= horizonMs) return null;
      slots.push({ index: slots.length, startMs: start, endMs: start + WINDOW_MS, budget: i.quota.budget, planned: 0 });
    }
    return slots[k]!;
  };
  const slotOf = (ms: number): Slot | null => {
    for (let k = 0; ; k++) {
      const s = slotAt(k);
      if (s === null || s.startMs > ms) return null;
      if (ms < s.endMs) return s;
    }
  };

  const busy: [number, number][] = [];
  const ends = new Map<string, number>();
  const weekPlanned = new Map<number, number>();
  const chargeWeek = (atMs: number, tokens: number) => {
    if (i.weekly === null) return;
    const k = weekIndex(i.weekly, atMs);
    weekPlanned.set(k, (weekPlanned.get(k) ?? 0) + (weeklyCost(i.weekly, tokens) ?? 0));
  };

  const kept: Placement[] = [];
  for (const s of sessions) {
    if (s.status === 'in_progress') {
      const start = Date.parse(s.startedAt ?? new Date(i.nowMs).toISOString());
      const end = Math.max(i.nowMs, start + s.hours * HOUR_MS);
      ends.set(s.id, end);
      busy.push([i.nowMs, end]);
      kept.push({ id: s.id, startMs: start, endMs: end, tokens: sessionTokens(s, i.quota.budget), slot: -1 });
    } else if (s.status === 'scheduled' && !replanIds.has(s.id) && s.scheduledAt !== null) {
      const start = Date.parse(s.scheduledAt);
      const end = start + s.hours * HOUR_MS;
      const tokens = sessionTokens(s, i.quota.budget);
      ends.set(s.id, end);
      let slot = -1;
      if (end > i.nowMs) {
        busy.push([start, end]);
        const sl = slotOf(Math.max(start, i.nowMs));
        if (sl !== null) {
          sl.planned += tokens;
          slot = sl.index;
        }
        chargeWeek(start, tokens);
      }
      kept.push({ id: s.id, startMs: start, endMs: end, tokens, slot });
    }
  }

  const placements: Placement[] = [];
  const unplaced: Unplaced[] = [];
  const failed = new Set<string>();
  const pending = replan.filter((s) => {
    if (!bound.has(s.id)) return true;
    const cycle = cycles.find((c) => c.includes(s.id));
    if (cycle !== undefined) unplaced.push({ id: s.id, kind: 'cycle', cycle });
    else unplaced.push({ id: s.id, kind: 'waits', on: s.dependsOn.find((d) => bound.has(d)) ?? s.dependsOn[0] ?? s.id });
    failed.add(s.id);
    return false;
  });

  while (pending.length > 0) {
    // The first session in plan order whose dependencies are all decided.
    let idx = pending.findIndex((s) => s.dependsOn.every((d) => !pending.some((p) => p.id === d)));
    if (idx < 0) idx = 0; // cannot happen without a cycle; never loop
    const s = pending.splice(idx, 1)[0]!;
    const problem = dependencyProblem(s, byId, ends, failed, replanIds);
    if (problem !== null) {
      unplaced.push({ id: s.id, ...problem } as Unplaced);
      failed.add(s.id);
      continue;
    }
    const tokens = sessionTokens(s, i.quota.budget);
    if (exceedsWindow(tokens, i.quota.budget)) {
      unplaced.push({ id: s.id, kind: 'too-big', tokens, budget: i.quota.budget });
      failed.add(s.id);
      continue;
    }
    if (s.hours * HOUR_MS > WINDOW_MS) {
      unplaced.push({ id: s.id, kind: 'too-long', hours: s.hours });
      failed.add(s.id);
      continue;
    }
    const earliest = Math.max(i.nowMs, ...s.dependsOn.map((d) => ends.get(d) ?? i.nowMs));
    const placed = place(s, tokens, earliest);
    if (placed === null) {
      unplaced.push({ id: s.id, kind: 'no-window', horizonDays });
      failed.add(s.id);
      continue;
    }
    placements.push(placed);
    ends.set(s.id, placed.endMs);
  }

  function place(s: PlannedSession, tokens: number, earliest: number): Placement | null {
    const durMs = s.hours * HOUR_MS;
    for (let k = 0; ; k++) {
      const slot = slotAt(k);
      if (slot === null) return null;
      if (slot.endMs <= earliest) continue;
      if (slot.planned + tokens > slot.budget) continue;
      let t = Math.max(slot.startMs, earliest);
      for (let guard = 0; guard < 1_000 && t < slot.endMs; guard++) {
        t = ceilToMinute(t);
        const span = spanAtOrAfter(t, i.workingHours, i.timeZone);
        if (span === null) return null;
        t = ceilToMinute(Math.max(t, span.startMs));
        if (t >= slot.endMs) break;
        const end = t + durMs;
        if (end > slot.endMs) break;
        if (end > span.endMs) {
          t = span.endMs;
          continue;
        }
        const clash = busy.find(([b0, b1]) => b0 < end && b1 > t);
        if (clash !== undefined) {
          t = clash[1];
          continue;
        }
        const week = i.weekly === null ? 0 : (weekPlanned.get(weekIndex(i.weekly, t)) ?? 0);
        if (!weeklyAllows(i.weekly, t, tokens, week)) {
          // Try again when the next week begins (perhaps inside this window).
          t = i.weekly!.resetsAtMs + weekIndex(i.weekly!, t) * WEEK_MS;
          continue;
        }
        slot.planned += tokens;
        busy.push([t, end]);
        chargeWeek(t, tokens);
        return { id: s.id, startMs: t, endMs: end, tokens, slot: slot.index };
      }
    }
  }

  const used = new Set([0, ...placements.map((p) => p.slot), ...kept.map((p) => p.slot)]);
  return {
    placements,
    unplaced,
    kept,
    slots: slots.filter((s) => used.has(s.index)),
    replanned: replan.map((s) => s.id),
    cycles,
  };
}

/** Why a session cannot be placed because of a dependency; null when every dependency is done or has an end time. */
function dependencyProblem(
  s: PlannedSession,
  byId: ReadonlyMap<string, PlannedSession>,
  ends: ReadonlyMap<string, number>,
  failed: ReadonlySet<string>,
  replanIds: ReadonlySet<string>,
): Omit<Extract<Unplaced, { kind: 'blocked' }>, 'id'> | Omit<Extract<Unplaced, { kind: 'waits' }>, 'id'> | null {
  const blockers: Blocker[] = [];
  for (const d of s.dependsOn) {
    const dep = byId.get(d);
    if (dep === undefined) blockers.push({ id: d, status: 'missing' });
    else if (dep.status === 'skipped') blockers.push({ id: d, status: 'skipped' });
  }
  if (blockers.length > 0) return { kind: 'blocked', blockers };
  for (const d of s.dependsOn) {
    const dep = byId.get(d)!;
    if (dep.status === 'done' || ends.has(d)) continue;
    if (failed.has(d) || !replanIds.has(d)) return { kind: 'waits', on: d };
  }
  return null;
}
