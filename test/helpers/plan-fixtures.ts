import type { PlannedSession, SessionQueue } from '../../src/plan/queue-schema.ts';

/** Fixed instants (epoch ms). NOW is Friday 2026-11-20 12:00 UTC. */
export const NOW = Date.UTC(2026, 10, 20, 12, 0);
export const H = 3_600_000;

/** A ready session in /w/p with 50,000 tokens and 1 h unless `p` says otherwise. */
export function sess(id: string, p: Partial<PlannedSession> = {}): PlannedSession {
  return {
    id,
    title: `Session ${id}`,
    projectDir: '/w/p',
    tokens: 50_000,
    windowShare: null,
    hours: 1,
    objectives: [`objective of ${id}`],
    agent: null,
    dependsOn: [],
    status: 'ready',
    scheduledAt: null,
    scheduledBy: null,
    announcedAt: null,
    createdAt: new Date(NOW - 24 * H).toISOString(),
    startedAt: null,
    finishedAt: null,
    calendar: null,
    ...p,
  };
}

/** A queue holding `sessions` (nextId after the highest id). */
export function queueOf(...sessions: PlannedSession[]): SessionQueue {
  const max = Math.max(0, ...sessions.map((s) => Number(s.id.slice(1))));
  return { version: 1, queueId: 'q-test', nextId: max + 1, sessions, updatedAt: null };
}
