import type { ContextSample } from '../claude/statusline-input.ts';
import type { StatuslineContext } from './schema-official.ts';
import type { SessionRecord, SessionTracker } from './schemas.ts';
import { newSessionRecord } from './schema-session-record.ts';

/** What the statusline knows of the session it runs for. */
export interface StatuslineSighting {
  sessionId: string;
  cwd: string | null;
  transcriptPath: string | null;
}

/**
 * Records what the statusline saw of a session's context window in `sessions[id].statusline`. Pure.
 *
 * A known session gets only its `statusline` field replaced, and only when a figure (used %, used
 * tokens, window size, model) differs from the stored one: `capturedAt` says when these figures were
 * first seen, so an unchanged payload writes nothing. An unknown session gets a minimal record (zero
 * tokens, source `statusline`, started and last seen now) that the hooks fill in later.
 *
 * @param nowMs epoch ms
 * @returns the new tracker, or undefined when nothing changed (the caller then writes nothing)
 */
export function foldStatuslineContext(t: SessionTracker, s: StatuslineSighting, ctx: ContextSample, nowMs: number): SessionTracker | undefined {
  const nowIso = new Date(nowMs).toISOString();
  const next: StatuslineContext = {
    usedPercentage: ctx.usedPercentage,
    usedTokens: ctx.usedTokens,
    windowSize: ctx.windowSize,
    model: ctx.model,
    capturedAt: nowIso,
  };
  const prev = Object.hasOwn(t.sessions, s.sessionId) ? t.sessions[s.sessionId] : undefined;
  if (prev !== undefined) {
    const old = prev.statusline;
    if (
      old &&
      old.usedPercentage === next.usedPercentage &&
      old.usedTokens === next.usedTokens &&
      old.windowSize === next.windowSize &&
      old.model === next.model
    ) {
      return undefined;
    }
    return { ...t, sessions: { ...t.sessions, [s.sessionId]: { ...prev, statusline: next } } };
  }
  return { ...t, sessions: { ...t.sessions, [s.sessionId]: minimalSession(s, ctx.model, nowIso, next) } };
}

/** A session record with nothing measured yet (the fields `SessionRecordSchema` requires). */
function minimalSession(s: StatuslineSighting, model: string | null, nowIso: string, statusline: StatuslineContext | null): SessionRecord {
  return {
    ...newSessionRecord({
      sessionId: s.sessionId,
      cwd: s.cwd,
      transcriptPath: s.transcriptPath,
      model,
      source: 'statusline',
      startedAt: nowIso,
      lastSeenAt: nowIso,
    }),
    statusline,
  };
}
