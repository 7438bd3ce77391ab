import { blockersOf, cycleBound, dependencyCycles, type Blocker } from './dependencies.ts';
import { sessionTokens, type PlannedSession, type SessionQueue } from './queue-schema.ts';
import { weeklyAllows, weeklyCost, type WeeklyLimit } from './weekly-limit.ts';
import { ceilToMinute } from './whole-minute.ts';
import { exceedsWindow } from './window-size.ts';

/** The quota as the choice needs it (from the quota picture: official first, else the estimate). */
export interface QuotaNow {
  /** Counted tokens of one 5-hour window (the budget estimates use). */
  budget: number;
  /** Counted tokens left in the current window; the whole budget when no window is open. */
  remaining: number;
  /** When the current window resets (epoch ms); null when none is open. */
  windowEndMs: number | null;
}

/** Inputs of `chooseNext`. */
export interface FitInputs {
  queue: SessionQueue;
  /** The directory `/start-next-session` runs in: sessions of this project are considered when there are any. */
  projectDir: string;
  /** Hours the person has (0.5-12); null when not given (then hours are not checked). */
  hours: number | null;
  nowMs: number;
  quota: QuotaNow;
  weekly: WeeklyLimit | null;
}

/** A session whose dependencies are done, with how it compares to what is left now. */
export interface Candidate {
  session: PlannedSession;
  /** Estimated counted tokens (its `tokens`, or its window share of the budget). */
  tokens: number;
  /** Needs more tokens than are left in the current window. */
  overTokens: boolean;
  /** Needs more hours than the person has. */
  overHours: boolean;
  /** Needs more tokens than a whole window holds: it never fits; split it. */
  overWindow: boolean;
  /** Would take the 7-day utilization over the cap (or the week is already at the cap). */
  overWeekly: boolean;
}

/** When a session that does not fit now will: at the window reset or at the weekly reset. */
export interface Later {
  candidate: Candidate;
  atMs: number;
  because: 'window reset' | 'weekly reset';
}

export type Choice =
  /** The first startable session in plan order fits now. `alsoFit`: the others that fit now. */
  | { kind: 'fits-now'; pick: Candidate; alsoFit: Candidate[] }
  /** The first does not fit now, but these (smaller or shorter) do; `later` is when the first will. */
  | { kind: 'smaller-fit'; first: Candidate; fitting: Candidate[]; later: Later | null }
  /** None fits now; this one will at `atMs` (the earliest in plan order that fits at a reset). */
  | { kind: 'later'; first: Candidate; later: Later }
  /** Nothing to start: no startable session, or none fits even after a reset (see `candidates`). */
  | { kind: 'none' };

/** What `/start-next-session` shows: the queue's state and the choice. */
export interface FitResult {
  /** `project`: only sessions of `projectDir` (there were some); `all`: none were planned for it. */
  scope: 'project' | 'all';
  /** Sessions in scope, in plan order. */
  inScope: PlannedSession[];
  /** Ready or scheduled sessions whose dependencies are done, in plan order. */
  candidates: Candidate[];
  /** Ready or scheduled sessions that wait for a dependency. */
  blocked: { session: PlannedSession; blockers: Blocker[] }[];
  /** Dependency cycles in the whole queue (reported, never followed). */
  cycles: string[][];
  /** Sessions in scope that are in progress. */
  inProgress: PlannedSession[];
  choice: Choice;
}

/** True when `dir` is `project` or inside it. Pure. */
export function isInProject(dir: string, project: string): boolean {
  if (dir === project) return true;
  const p = project.endsWith('/') || project.endsWith('\\') ? project : `${project}/`;
  return dir.startsWith(p) || dir.startsWith(p.replace(/\/$/, '\\'));
}

/**
 * The /start-next-session choice at `nowMs`. Considers the sessions of the current project (else all),
 * keeps those that are ready or scheduled with every dependency done and not on a dependency cycle, in
 * plan order. The first of them is the best: when it fits now (tokens <= left in the window, hours <=
 * hours given, weekly cap kept) it is the pick; else the others that fit now are listed; else the earliest
 * time one fits (the window reset, or the weekly reset) is offered for scheduling. Pure.
 */
export function chooseNext(i: FitInputs): FitResult {
  const all = i.queue.sessions;
  const mine = all.filter((s) => isInProject(i.projectDir, s.projectDir));
  const scope = mine.length > 0 ? 'project' : 'all';
  const inScope = scope === 'project' ? mine : [...all];
  const byId = new Map(all.map((s) => [s.id, s]));
  const cycles = dependencyCycles(all);
  const bound = cycleBound(all, cycles);
  const candidates: Candidate[] = [];
  const blocked: FitResult['blocked'] = [];
  for (const s of inScope) {
    if (s.status !== 'ready' && s.status !== 'scheduled') continue;
    const blockers = blockersOf(s, byId);
    if (blockers.length > 0 || bound.has(s.id)) blocked.push({ session: s, blockers });
    else candidates.push(candidate(s, i));
  }
  const inProgress = inScope.filter((s) => s.status === 'in_progress');
  return { scope, inScope, candidates, blocked, cycles, inProgress, choice: choose(candidates, i) };
}

function candidate(s: PlannedSession, i: FitInputs): Candidate {
  const tokens = sessionTokens(s, i.quota.budget);
  return {
    session: s,
    tokens,
    overTokens: tokens > i.quota.remaining,
    overHours: i.hours !== null && s.hours > i.hours,
    overWindow: exceedsWindow(tokens, i.quota.budget),
    overWeekly: !weeklyAllows(i.weekly, i.nowMs, tokens),
  };
}

const fitsNow = (c: Candidate) => !c.overTokens && !c.overHours && !c.overWeekly;

function choose(candidates: Candidate[], i: FitInputs): Choice {
  const first = candidates[0];
  if (first === undefined) return { kind: 'none' };
  if (fitsNow(first)) return { kind: 'fits-now', pick: first, alsoFit: candidates.slice(1).filter(fitsNow) };
  const fitting = candidates.filter(fitsNow);
  if (fitting.length > 0) return { kind: 'smaller-fit', first, fitting, later: whenFits(first, i) };
  for (const c of candidates) {
    const later = whenFits(c, i);
    if (later !== null) return { kind: 'later', first, later };
  }
  return { kind: 'none' };
}

/**
 * The earliest time `c` fits, rounded up to a whole minute (it is offered as `schedule --at`), or null
 * when waiting does not help (more hours than the person has, more tokens than a window, or more weekly %
 * than the cap). Pure.
 */
export function whenFits(c: Candidate, i: FitInputs): Later | null {
  if (c.overHours || c.overWindow) return null;
  if (i.weekly !== null) {
    const cost = weeklyCost(i.weekly, c.tokens);
    if (cost !== null && cost > i.weekly.capPct) return null;
  }
  let atMs = i.nowMs;
  let because: Later['because'] = 'window reset';
  if (c.overTokens) atMs = i.quota.windowEndMs ?? i.nowMs;
  if (!weeklyAllows(i.weekly, atMs, c.tokens) && i.weekly !== null) {
    atMs = Math.max(atMs, i.weekly.resetsAtMs);
    because = 'weekly reset';
  }
  return { candidate: c, atMs: ceilToMinute(atMs), because };
}
