import { claudePidFrom } from '../claude/claude-pid.ts';
import { hookModel, type HookInput } from '../claude/hook-input.ts';
import type { Runtime } from '../runtime.ts';
import { trackSession } from '../store/track.ts';
import { hookOutput } from '../notify/hook-output.ts';
import type { HookOutput } from './run-hook.ts';

/** Lock budget of a hook (ms): past it the hook gives up quietly and the next trigger catches up. */
export const HOOK_LOCK_BUDGET_MS = 1_500;
/** All lock waits of one hook together end within this (ms), well inside the hook's 10 s timeout. */
export const HOOK_DEADLINE_MS = 2_500;

/**
 * The tracking every tool-context hook does (SessionStart, PostToolUse, Stop): register the session and
 * catch up its transcripts into the state files, and show this session the quota alerts it has not
 * shown yet (systemMessage; additionalContext for the model from 75 %), and its context alerts (50/80/90 %
 * of the usable limit and CRITICAL; from DANGER with the `/compact` line to run, for the person and the model).
 */
export async function trackFromHook(event: string, input: HookInput, rt: Runtime): Promise<HookOutput> {
  const { delivery, contextAlert } = await trackSession(rt, {
    sessionId: input.session_id,
    transcriptPath: input.transcript_path ?? null,
    cwd: input.cwd ?? null,
    model: hookModel(input),
    event,
    source: input.source ?? null,
    agentType: input.agent_type ?? null,
    claudePid: claudePidFrom(rt.env),
  }, { lockBudgetMs: HOOK_LOCK_BUDGET_MS, deadlineMs: Date.now() + HOOK_DEADLINE_MS });
  return hookOutput(event, delivery, contextAlert === null ? null : { systemMessage: contextAlert.message, modelNote: contextAlert.modelNote });
}
