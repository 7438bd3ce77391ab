// SessionEnd: Claude Code gives this hook about 1.5 s, so it only marks the session ended. The last
// turn was already caught up by Stop; anything missed is caught up by the next scan.
import { hookModel } from '../src/claude/hook-input.ts';
import { runHook } from '../src/hook/run-hook.ts';
import { markSessionEnded } from '../src/store/track.ts';

await runHook('SessionEnd', async (input, rt) => {
  await markSessionEnded(rt, {
    sessionId: input.session_id,
    transcriptPath: input.transcript_path ?? null,
    cwd: input.cwd ?? null,
    model: hookModel(input),
    event: 'SessionEnd',
  }, input.reason ?? null, { lockBudgetMs: 800 });
  return null;
});
