import { makeDir } from '../make-dir.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { MAX_QUOTA_PCT } from '../claude/figure-bounds.ts';
import { contextSample, parseStatuslineInput, rateLimitSamples } from '../claude/statusline-input.ts';
import { quotaFromState } from '../quota/quota-from-state.ts';
import type { Runtime } from '../runtime.ts';
import type { StatuslineSnapshot } from '../render/statusline-snapshot.ts';
import { readStatuslineSnapshot } from '../statusline/snapshot.ts';
import { saveContext, saveReadings } from '../statusline/save.ts';
import { loadConfig } from '../store/config-file.ts';
import { QuotaTrackerSchema, type QuotaTracker } from '../store/schemas.ts';
import { moveAsideIfNotRegular } from '../store/move-aside.ts';
import { readState } from '../store/update.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';

/** Sessions whose last context % the snapshot keeps (the most recent ones). */
const MAX_CONTEXT_SESSIONS = 200;

/**
 * Saves one spooled status line payload (official readings, the session's context figures) as
 * `cco statusline` would, with the tracker's lock budget.
 * @returns quota-tracker.json as the save left it (null when the payload had no reading), and the
 *   session id and context % it saved (null when it had none), for the snapshot
 * @throws LockBusyError past the budget; fs errors
 */
export async function saveStatuslinePayload(
  rt: Runtime,
  payload: unknown,
  nowMs: number,
  lockBudgetMs: number,
): Promise<{ quota: QuotaTracker | null; context: { sessionId: string; pct: number } | null }> {
  const parsed = parseStatuslineInput(JSON.stringify(payload));
  if (parsed.input === null) return { quota: null, context: null };
  const input = parsed.input;
  const samples = rateLimitSamples(input, nowMs, (why) => rt.log('warn', 'statusline', why));
  const quota = samples.length > 0 ? await saveReadings(rt, samples, nowMs, lockBudgetMs) : null;
  const ctx = contextSample(input);
  const sid = input.session_id;
  if (ctx === null || typeof sid !== 'string' || sid === '') return { quota, context: null };
  await saveContext(rt, input, sid, ctx, nowMs, lockBudgetMs);
  return { quota, context: ctx.usedPercentage === null ? null : { sessionId: sid, pct: ctx.usedPercentage } };
}

/**
 * Computes the status line snapshot from the state at `nowMs` (quotaFromState over quota-tracker.json
 * and the config; the latest official readings) and writes it atomically. `contexts` are the context %
 * the tracker just saved, merged over the previous snapshot's. `known` is quota-tracker.json as the
 * caller's last save left it (read from disk when null). The 5-hour % is clamped to [0, MAX_QUOTA_PCT],
 * the bound its reader (checkSnapshot) holds it to: what this writes always passes that reader. A
 * directory or FIFO in the snapshot's place is moved aside (`*.corrupt-<time>`, logged) and the snapshot
 * written anew.
 * @throws fs errors writing it (the caller logs them)
 */
export async function writeStatuslineSnapshot(
  rt: Runtime,
  nowMs: number,
  contexts: ReadonlyMap<string, number>,
  known: QuotaTracker | null = null,
): Promise<void> {
  // A config dir removed meanwhile (the person deleted it, a test cleaned up) is not made again.
  if (!existsSync(rt.paths.stateDir)) return;
  const q = known ?? readState(rt.paths.quotaTracker, QuotaTrackerSchema, emptyQuotaTracker);
  let quota: StatuslineSnapshot['quota'] = null;
  let quotaWhy: string | null = null;
  try {
    const s = quotaFromState(q, null, loadConfig(rt).config, nowMs);
    // Clamped to what the snapshot's reader accepts (checkSnapshot: [0, MAX_QUOTA_PCT]): an estimate from
    // transcripts of astronomical (still valid) token counts would otherwise make a snapshot the front refuses.
    quota = {
      window: s.window,
      usedPct: Math.min(Math.max(s.usedPct, 0), MAX_QUOTA_PCT),
      usedPctSource: s.usedPctSource,
      burnPerMin: s.burnPerMin,
      weekly: s.weekly === null ? null : { usedPercentage: s.weekly.usedPercentage, ageMin: s.weekly.ageMin },
    };
  } catch (e) {
    quotaWhy = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
  const latest = (w: string) => q.readings.filter((r) => r.window === w).at(-1);
  const five = latest('five_hour');
  const seven = latest('seven_day');
  const saved = [five, seven].filter((r) => r !== undefined).map((r) => Date.parse(r.capturedAt));
  const previous = readStatuslineSnapshot(rt.paths.statuslineSnapshot);
  const merged = { ...(previous?.contextPct ?? {}) };
  for (const [sid, pct] of contexts) {
    delete merged[sid];
    merged[sid] = pct;
  }
  const keys = Object.keys(merged);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_CONTEXT_SESSIONS))) delete merged[k];
  const snap: StatuslineSnapshot = {
    v: 1,
    atMs: nowMs,
    quota,
    quotaWhy,
    official: {
      fiveHourPct: five?.usedPercentage ?? null,
      sevenDayPct: seven?.usedPercentage ?? null,
      savedAtMs: saved.length === 0 ? null : Math.min(...saved),
    },
    contextPct: merged,
  };
  makeDir(path.dirname(rt.paths.statuslineSnapshot));
  const aside = moveAsideIfNotRegular(rt.paths.statuslineSnapshot, new Date(nowMs));
  if (aside !== null)
    rt.log('warn', 'statusline', `${rt.paths.statuslineSnapshot} was ${aside.kind}, not a regular file; moved aside to ${aside.to} and written anew`);
  await writeFileAtomic(rt.paths.statuslineSnapshot, JSON.stringify(snap), { mode: 0o600, fsync: false });
}
