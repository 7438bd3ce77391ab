import type { PlannedSession, SessionQueue } from './queue-schema.ts';

/**
 * Sessions that share a title. Titles are not ids, so a second session with a title already in the
 * queue is still added, but the person is told which session has it. Titles compare trimmed and
 * case-insensitive. Pure.
 */

/** The form titles are compared in: trimmed, lower case. */
export function titleKey(title: string): string {
  return title.trim().toLowerCase();
}

/**
 * One warning line (without a prefix or newline) per session of `addedIds` whose title another session
 * of `q` has: a session queued before, or one added earlier in `addedIds` (so a pair is named once).
 * The other session's project is named when it differs. Example:
 * `s5 "Docs" has the same title as s2 (done); it was added anyway: tell them apart by id`.
 * @param q the queue after the sessions were added
 * @param addedIds ids of the sessions just added, in the order they were added
 */
export function duplicateTitleWarnings(q: SessionQueue, addedIds: readonly string[]): string[] {
  const added = new Set(addedIds);
  const out: string[] = [];
  addedIds.forEach((id, k) => {
    const s = q.sessions.find((x) => x.id === id);
    if (s === undefined) return;
    const earlier = new Set(addedIds.slice(0, k));
    const same = q.sessions.filter((o) => o.id !== id && (!added.has(o.id) || earlier.has(o.id)) && titleKey(o.title) === titleKey(s.title));
    if (same.length === 0) return;
    out.push(`${s.id} "${s.title}" has the same title as ${same.map((o) => describe(o, s)).join(', ')}; it was added anyway: tell them apart by id`);
  });
  return out;
}

function describe(o: PlannedSession, s: PlannedSession): string {
  const bits = [o.status.replace('_', ' '), ...(o.projectDir === s.projectDir ? [] : [`in ${o.projectDir}`])];
  return `${o.id} (${bits.join(', ')})`;
}
