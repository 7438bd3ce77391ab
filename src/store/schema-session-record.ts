// Zod-free on purpose: the status line front bundles this (src/store/statusline-session.ts) and takes
// only types from schemas.ts, which would bring zod with it.
import type { SessionRecord } from './schemas.ts';

/**
 * A session record with nothing measured yet: zero tokens and entries, no usage times, tools, context
 * or hook events, not ended. `fields` names the session and how it was first seen. Pure.
 */
export function newSessionRecord(
  fields: Pick<SessionRecord, 'sessionId' | 'cwd' | 'transcriptPath' | 'model' | 'source' | 'startedAt' | 'lastSeenAt'>,
): SessionRecord {
  return {
    ...fields,
    endedAt: null,
    endReason: null,
    tokens: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    entries: 0,
    firstUsageAt: null,
    lastUsageAt: null,
    tools: {},
    context: null,
    hookEvents: {},
  };
}
