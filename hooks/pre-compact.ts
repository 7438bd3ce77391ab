// PreCompact: save a handoff snapshot (pending for the project, re-injected by the next SessionStart),
// then print our keep-list as PLAIN stdout: Claude Code appends it to the compaction instructions.
// Never blocks compaction: any failure exits 0 (runHook) and at worst prints nothing.
import { preCompactSnapshot } from '../src/handoff/pre-compact-snapshot.ts';
import { runHook } from '../src/hook/run-hook.ts';

await runHook('PreCompact', async (input, rt) => {
  const keepList = await preCompactSnapshot(input, rt);
  if (keepList !== '') process.stdout.write(keepList);
  return null;
});
