import { isInProject } from './fit.ts';
import type { PlannedSession, SessionQueue } from './queue-schema.ts';

/**
 * The current objective of a project: the planned session in progress there (`cco plan start`), the most
 * recently started when there are several; null when none is. `projectDir` may be inside the session's
 * project directory. Pure.
 */
export function currentObjective(queue: SessionQueue, projectDir: string): PlannedSession | null {
  let best: PlannedSession | null = null;
  for (const s of queue.sessions) {
    if (s.status !== 'in_progress' || !isInProject(projectDir, s.projectDir)) continue;
    if (best === null || Date.parse(s.startedAt ?? '') >= Date.parse(best.startedAt ?? '')) best = s;
  }
  return best;
}

/**
 * Scheduled sessions of a project whose time has come (scheduledAt <= nowMs) and that SessionStart has not
 * announced yet, earliest first. Pure.
 */
export function dueSessions(queue: SessionQueue, nowMs: number, projectDir: string): PlannedSession[] {
  return queue.sessions
    .filter(
      (s) =>
        s.status === 'scheduled' &&
        s.scheduledAt !== null &&
        s.announcedAt === null &&
        Date.parse(s.scheduledAt) <= nowMs &&
        isInProject(projectDir, s.projectDir),
    )
    .sort((a, b) => Date.parse(a.scheduledAt!) - Date.parse(b.scheduledAt!));
}
