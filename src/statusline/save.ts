// Saving what only the status line payload carries: the official `rate_limits` readings (into
// quota-tracker.json, mirrored to the durable copy) and the session's `context_window` (into
// session-tracker.json), each written only when it changes something. Used by the background tracker
// for the payloads the status line front spools, and by `cco statusline`.
import type { ContextSample, RateLimitSample, StatuslineInput } from '../claude/statusline-input.ts';
import { foldReadings } from '../quota/readings.ts';
import type { Runtime } from '../runtime.ts';
import { mirrorDurable } from '../store/quota-durable.ts';
import { emptySessionTracker, type QuotaTracker, QuotaTrackerSchema, SessionTrackerSchema } from '../store/schemas.ts';
import { foldStatuslineContext } from '../store/statusline-session.ts';
import { LockBusyError, readState, update, type UpdateOptions } from '../store/update.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';

function storeOptions(rt: Runtime, lockBudgetMs: number): UpdateOptions {
  return {
    lockBudgetMs,
    now: rt.now,
    onQuarantine: (file, to, why) => rt.log('warn', 'store', `${file} was unreadable (${why}); moved to ${to}; the hooks rebuild it from the transcripts`),
  };
}

/**
 * Folds the payload's readings into quota-tracker.json when that changes them (checked first without the
 * lock, so an unchanged payload takes no lock and writes nothing).
 * @returns the tracker as it now stands (as read, when nothing changed or the lock was busy)
 */
export async function saveReadings(rt: Runtime, samples: readonly RateLimitSample[], nowMs: number, lockBudgetMs: number): Promise<QuotaTracker> {
  const file = rt.paths.quotaTracker;
  const current = readState(file, QuotaTrackerSchema, emptyQuotaTracker);
  if (samples.length === 0 || foldReadings(current.readings, samples, nowMs) === current.readings) return current;
  try {
    const saved = await update(
      file,
      QuotaTrackerSchema,
      emptyQuotaTracker,
      (q) => {
        const readings = foldReadings(q.readings, samples, nowMs);
        return readings === q.readings ? undefined : { ...q, readings: [...readings] };
      },
      storeOptions(rt, lockBudgetMs),
    );
    await mirrorDurable(rt, saved, lockBudgetMs).catch(() => undefined); // the next save or hook mirrors again
    return saved;
  } catch (e) {
    if (e instanceof LockBusyError) return current;
    throw e;
  }
}

/** Saves the session's context figures into session-tracker.json when they changed (same discipline as above). */
export async function saveContext(
  rt: Runtime,
  input: StatuslineInput,
  sessionId: string,
  ctx: ContextSample,
  nowMs: number,
  lockBudgetMs: number,
): Promise<void> {
  const file = rt.paths.sessionTracker;
  const sighting = { sessionId, cwd: input.cwd ?? input.workspace?.current_dir ?? null, transcriptPath: input.transcript_path ?? null };
  const current = readState(file, SessionTrackerSchema, emptySessionTracker);
  if (foldStatuslineContext(current, sighting, ctx, nowMs) === undefined) return;
  try {
    await update(file, SessionTrackerSchema, emptySessionTracker, (t) => foldStatuslineContext(t, sighting, ctx, nowMs), storeOptions(rt, lockBudgetMs));
  } catch (e) {
    if (!(e instanceof LockBusyError)) throw e;
  }
}
