import type { HookInput } from '../claude/hook-input.ts';
import type { Runtime } from '../runtime.ts';
import { readHandoffIndex, sessionProjectKey, takePending, type TakeResult } from './handoff-store.ts';

/** Which pending handoff a SessionStart may take: none, only its own snapshot, or any but its own. */
export type TakeRule = { take: false } | { take: true; onlySnapshotOf?: string; notFrom?: string };

/**
 * Who a pending handoff is for, by SessionStart `source` (reference §1.3). Pure.
 * - `startup` and `clear`: a new session in the project takes it (never one the session itself saved:
 *   `claude --session-id <its id>` starts it under the saver's id);
 * - `compact`: the session takes only the snapshot its own PreCompact saved, to carry on after its
 *   compaction (never a `/save-and-restart` handoff, even its own: that one is for the next session);
 * - `resume` and `fork`: nothing. A resumed (or forked) session still has the context the handoff was
 *   written from, and the saver's own `--resume` would use up what was meant for the fresh session.
 */
export function handoffTakeRule(source: string, sessionId: string): TakeRule {
  if (source === 'startup' || source === 'clear') return { take: true, notFrom: sessionId };
  if (source === 'compact') return { take: true, onlySnapshotOf: sessionId };
  return { take: false };
}

/** Lock budget (ms) of the pending index in SessionStart. */
const SESSION_START_LOCK_MS = 1_500;

/**
 * Takes the pending handoff of the session's project for a SessionStart, once, as `handoffTakeRule`
 * says. Without a pending entry for the project the index is only read, not locked.
 *
 * @returns the take result ({kind:'none'} when nothing applies; `not-mine` when one is pending for
 *   another session and left so)
 * @throws LockBusyError when the index stays locked past the budget; fs errors other than ENOENT
 */
export async function takeForSessionStart(input: HookInput, rt: Runtime): Promise<TakeResult> {
  const source = input.source ?? 'startup';
  const rule = handoffTakeRule(source, input.session_id);
  if (!rule.take) return { kind: 'none' };
  const projectKey = sessionProjectKey(input.transcript_path, input.cwd ?? rt.env.CLAUDE_PROJECT_DIR ?? null);
  if (projectKey === null || readHandoffIndex(rt).pending[projectKey] === undefined) return { kind: 'none' };
  const taken = await takePending(rt, projectKey, input.session_id, {
    onlySnapshotOf: rule.onlySnapshotOf,
    notFrom: rule.notFrom,
    lockBudgetMs: SESSION_START_LOCK_MS,
  });
  if (taken.kind !== 'none')
    rt.log('info', 'SessionStart', `pending handoff for ${projectKey}: ${taken.kind} (${taken.entry.file}) by ${input.session_id} (${source})`);
  return taken;
}
