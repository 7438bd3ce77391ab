// SessionStart beyond tracking: inject the project's pending handoff once (a new session or /clear;
// after a compaction, its own snapshot; never a resumed session: handoffTakeRule) and announce a
// planned session whose scheduled time has come (once, to a session that starts fresh).
// Bundled on its own (dist/hooks/session-start-extras.cjs) and loaded by the SessionStart front only
// when there may be something to inject (src/front/session-start-work.ts). The handoff and the plan fail
// independently: a busy lock in one does not lose the other.
import { HookInputSchema } from '../claude/hook-input.ts';
import type { FrontInput, FrontOutput } from '../front/run-front.ts';
import { takeForSessionStart } from '../handoff/inject-pending.ts';
import { dueHookOutput } from '../plan/due.ts';
import { takeDueAnnouncement } from '../plan/queue-store.ts';
import type { Runtime } from '../runtime.ts';
import { LockBusyError } from '../store/update.ts';
import { handoffOutput, mergeHookOutputs } from './session-start-output.ts';

/** SessionStart sources that announce a due planned session (see handoffTakeRule for the handoff's). */
export const DUE_SOURCES: ReadonlySet<string> = new Set(['startup', 'clear', 'compact']);

/**
 * The handoff and due-plan output of one SessionStart (null when there is nothing to say).
 * @throws Error when the payload fails HookInputSchema (the front logs it)
 */
export async function sessionStartExtras(front: FrontInput, rt: Runtime): Promise<FrontOutput> {
  const parsed = HookInputSchema.safeParse(front.payload);
  if (!parsed.success) throw new Error(`stdin lacks a valid ${parsed.error.issues[0]?.path.join('.') || 'payload'}`);
  const input = parsed.data;
  const handoff = await guarded(rt, 'handoff', async () => handoffOutput(await takeForSessionStart(input, rt)));
  // A due planned session is announced to a session that starts fresh (new, /clear, after its own
  // compaction), never to a resumed one: that would use the notice up for the session it is meant for.
  const due = DUE_SOURCES.has(input.source ?? 'startup')
    ? await guarded(rt, 'plan', async () => dueHookOutput(await takeDueAnnouncement(rt, input.cwd ?? rt.env.CLAUDE_PROJECT_DIR ?? process.cwd())))
    : null;
  return mergeHookOutputs('SessionStart', handoff, due);
}

/** Runs one part; its failure is logged (and shown on stderr) and gives no output. */
async function guarded(rt: Runtime, what: string, fn: () => Promise<FrontOutput>): Promise<FrontOutput> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LockBusyError) rt.log('info', 'SessionStart', `${what}: ${e.message}; deferred to the next trigger`);
    else {
      const msg = e instanceof Error ? e.message : String(e);
      rt.log('error', 'SessionStart', `${what}: ${msg}`);
      process.stderr.write(`cco: SessionStart hook (${what}): ${msg.split('\n')[0]}\n`);
    }
    return null;
  }
}
