import type { HookInput } from '../claude/hook-input.ts';
import type { Runtime } from '../runtime.ts';
import { readHandoffIndex, sessionProjectKey, takePending, type TakeResult } from './handoff-store.ts';

/** SessionStart sources that take a pending handoff (`fork` does not: the fork already has the context). */
export const INJECT_SOURCES: readonly string[] = ['startup', 'clear', 'resume', 'compact'];

/** Lock budget (ms) of the pending index in SessionStart. */
const SESSION_START_LOCK_MS = 1_500;

/**
 * Takes the pending handoff of the session's project for a SessionStart (see INJECT_SOURCES), once:
 * a post-compaction start (`compact`) takes only the snapshot its own session saved. Without a pending
 * entry for the project the index is only read, not locked.
 *
 * @returns the take result ({kind:'none'} when nothing applies)
 * @throws LockBusyError when the index stays locked past the budget; fs errors other than ENOENT
 */
export async function takeForSessionStart(input: HookInput, rt: Runtime): Promise<TakeResult> {
  const source = input.source ?? 'startup';
  if (!INJECT_SOURCES.includes(source)) return { kind: 'none' };
  const projectKey = sessionProjectKey(input.transcript_path, input.cwd ?? rt.env.CLAUDE_PROJECT_DIR ?? null);
  if (projectKey === null || readHandoffIndex(rt).pending[projectKey] === undefined) return { kind: 'none' };
  const taken = await takePending(rt, projectKey, input.session_id, {
    onlyFrom: source === 'compact' ? input.session_id : undefined,
    lockBudgetMs: SESSION_START_LOCK_MS,
  });
  if (taken.kind !== 'none') rt.log('info', 'SessionStart', `pending handoff for ${projectKey}: ${taken.kind} (${taken.entry.file}) by ${input.session_id} (${source})`);
  return taken;
}
