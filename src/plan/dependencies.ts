import type { PlannedSession, SessionStatus } from './queue-schema.ts';

/** A dependency that is not done: its id and its status, or `missing` when no session has that id. */
export interface Blocker {
  id: string;
  status: SessionStatus | 'missing';
}

/**
 * Dependency cycles among `sessions` (each as the ids around the loop, starting from its first id in
 * queue order, e.g. `["s2","s3"]` for s2 -> s3 -> s2; a self-dependency is a loop of one). At least one
 * loop of every group of mutually dependent sessions is reported, so every session in such a group is on
 * a reported loop or depends on one (see `cycleBound`). Iterative with a visited set, so a hand-edited
 * queue can never make it loop. Dependencies on unknown ids are ignored here. Pure.
 */
export function dependencyCycles(sessions: readonly PlannedSession[]): string[][] {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const state = new Map<string, 'open' | 'closed'>();
  const onCycle = new Set<string>();
  const cycles: string[][] = [];
  for (const root of sessions) {
    if (state.has(root.id)) continue;
    // Depth-first walk with an explicit stack of [id, index of the next dependency to visit].
    const stack: [string, number][] = [[root.id, 0]];
    state.set(root.id, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = byId.get(top[0])?.dependsOn ?? [];
      if (top[1] >= deps.length) {
        state.set(top[0], 'closed');
        stack.pop();
        continue;
      }
      const next = deps[top[1]++]!;
      if (!byId.has(next)) continue;
      const st = state.get(next);
      if (st === undefined) {
        state.set(next, 'open');
        stack.push([next, 0]);
      } else if (st === 'open') {
        const from = stack.findIndex(([id]) => id === next);
        const loop = stack.slice(from).map(([id]) => id);
        if (loop.some((id) => !onCycle.has(id))) {
          for (const id of loop) onCycle.add(id);
          cycles.push(rotateToFirst(loop, sessions));
        }
      }
    }
  }
  return cycles;
}

/** Rotates a loop of ids so it starts at the one earliest in queue order. */
function rotateToFirst(loop: string[], sessions: readonly PlannedSession[]): string[] {
  const order = new Map(sessions.map((s, i) => [s.id, i]));
  let best = 0;
  loop.forEach((id, i) => {
    if ((order.get(id) ?? 0) < (order.get(loop[best]!) ?? 0)) best = i;
  });
  return [...loop.slice(best), ...loop.slice(0, best)];
}

/** Ids of every session on a cycle or depending (directly or not) on one: these can never start. Pure. */
export function cycleBound(sessions: readonly PlannedSession[], cycles: readonly string[][]): Set<string> {
  const bad = new Set(cycles.flat());
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of sessions) {
      if (!bad.has(s.id) && s.dependsOn.some((d) => bad.has(d))) {
        bad.add(s.id);
        grew = true;
      }
    }
  }
  return bad;
}

/** The dependencies of `s` that are not done yet, in the order listed. Pure. */
export function blockersOf(s: PlannedSession, byId: ReadonlyMap<string, PlannedSession>): Blocker[] {
  const out: Blocker[] = [];
  for (const d of s.dependsOn) {
    const dep = byId.get(d);
    if (dep === undefined) out.push({ id: d, status: 'missing' });
    else if (dep.status !== 'done') out.push({ id: d, status: dep.status });
  }
  return out;
}

/** "s1 → s2 → s1". */
export function fmtCycle(loop: readonly string[]): string {
  return [...loop, loop[0]].join(' → ');
}
