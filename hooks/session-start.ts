// SessionStart: register the session (startup, resume, clear, compact, fork) and catch up its transcript;
// then inject the project's pending handoff once (startup, clear, resume; compact: its own snapshot), and
// announce a planned session whose scheduled time has come (once).
// Tracking, the handoff and the plan fail independently: a busy lock in one does not lose the others.
import type { Runtime } from '../src/runtime.ts';
import { takeForSessionStart } from '../src/handoff/inject-pending.ts';
import { runHook, type HookOutput } from '../src/hook/run-hook.ts';
import { handoffOutput, mergeHookOutputs } from '../src/hook/session-start-output.ts';
import { trackFromHook } from '../src/hook/track-hook.ts';
import { dueHookOutput } from '../src/plan/due.ts';
import { takeDueAnnouncement } from '../src/plan/queue-store.ts';
import { LockBusyError } from '../src/store/update.ts';

await runHook('SessionStart', async (input, rt) => {
  const tracked = await guarded(rt, 'tracking', () => trackFromHook('SessionStart', input, rt));
  const handoff = await guarded(rt, 'handoff', async () => handoffOutput(await takeForSessionStart(input, rt)));
  const due = await guarded(rt, 'plan', async () =>
    dueHookOutput(await takeDueAnnouncement(rt, input.cwd ?? rt.env.CLAUDE_PROJECT_DIR ?? process.cwd())));
  return mergeHookOutputs('SessionStart', mergeHookOutputs('SessionStart', tracked, handoff), due);
});

/** Runs one part of the hook; its failure is logged (and shown on stderr) and gives no output. */
async function guarded(rt: Runtime, what: string, fn: () => Promise<HookOutput>): Promise<HookOutput> {
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
