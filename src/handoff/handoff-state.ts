import { contextStatus } from '../context/context-status.ts';
import { readCurrentObjective } from '../plan/queue-store.ts';
import { quotaFromState } from '../quota/quota-from-state.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { emptySessionTracker, QuotaTrackerSchema, SessionTrackerSchema } from '../store/schemas.ts';
import { readState } from '../store/update.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';
import type { HandoffState } from './render-handoff.ts';

/**
 * The planned session in progress for the session's project, the quota picture and the context status of `sessionId` at `nowMs`, from the state files as they are
 * (no catch-up: callers that can afford it catch up first). The context is the statusline's reading when
 * fresh, else the transcript's (see `contextStatus`); null when the session is not tracked. Reads only;
 * unreadable state files read as empty.
 */
export function handoffState(rt: Runtime, sessionId: string, nowMs: number): HandoffState {
  const { config } = loadConfig(rt);
  const sessions = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker);
  const quota = readState(rt.paths.quotaTracker, QuotaTrackerSchema, emptyQuotaTracker);
  const s = sessions.sessions[sessionId];
  return {
    objective: readCurrentObjective(rt, s?.cwd ?? rt.env.CLAUDE_PROJECT_DIR ?? process.cwd()),
    quota: quotaFromState(quota, sessions, config, nowMs),
    context:
      s === undefined
        ? null
        : contextStatus(s.context, s.model, config.context, {
            statusline: s.statusline ?? null,
            growthPerHour: s.contextGrowthPerHour ?? null,
            autoCompact: s.autoCompact,
            nowMs,
          }),
  };
}
