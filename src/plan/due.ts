import { pluginSlash, type Slash } from '../render/command-names.ts';
import { renderDueAnnouncement } from '../render/plan.ts';
import { dueSessions } from './current.ts';
import type { SessionQueue } from './queue-schema.ts';

/** What SessionStart says about due sessions: a line for the person and a note for the model. */
export interface DueAnnouncement {
  /** The sessions announced (to mark `announcedAt`). */
  ids: string[];
  systemMessage: string;
  additionalContext: string;
}

/**
 * The announcement of the project's scheduled sessions whose time has come and that were not announced
 * yet (see `dueSessions`); null when there are none. Pure: marking them announced is the caller's
 * (`takeDueAnnouncement`).
 */
export function dueAnnouncement(queue: SessionQueue, nowMs: number, projectDir: string, slash: Slash = pluginSlash): DueAnnouncement | null {
  const due = dueSessions(queue, nowMs, projectDir);
  if (due.length === 0) return null;
  return { ids: due.map((s) => s.id), ...renderDueAnnouncement(due, nowMs, slash) };
}

/**
 * SessionStart hook output for a `takeDueAnnouncement` result: the systemMessage for the person and,
 * when something is due, the note for the model as additionalContext; null for nothing. Pure.
 */
export function dueHookOutput(t: { systemMessage: string; additionalContext: string | null } | null): Record<string, unknown> | null {
  if (t === null) return null;
  return {
    systemMessage: t.systemMessage,
    ...(t.additionalContext === null ? {} : { hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: t.additionalContext } }),
  };
}
