// The background tracker (dist/tracker.mjs): started detached by a hook front (src/front/kick.ts,
// hooks/*.sh) when none is running; drains the spool of hook events into the state files and exits.
// Never prints.
import { ConfigDirError } from '../claude/config-dirs.ts';
import { logWithoutRuntime, processRuntime, type Runtime } from '../runtime.ts';
import { runTracker, TRACKER_RUN_LIMIT_MS } from './tracker-run.ts';

let rt: Runtime;
try {
  rt = processRuntime();
} catch (e) {
  // No usable state dir (the hook that started this one said so): nothing to track into.
  if (!(e instanceof ConfigDirError)) throw e;
  logWithoutRuntime(process.env, 'error', 'tracker', e.message);
  process.exit(0);
}
// SIGTERM (and SIGINT: a shell front starts it in Claude Code's process group) end the run
// cleanly within a second (SIGHUP stays ignored as nohup set it: a closed terminal does not stop it);
// proper-lockfile lets go of the lock on the way out (signal-exit), and the
// events not yet tracked stay spooled for the next tracker.
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => process.exit(0));
try {
  const r = await runTracker(rt, 0, TRACKER_RUN_LIMIT_MS);
  if (r.outcome === 'limit') rt.log('warn', 'tracker', `stopped at the run limit with entries left (${r.tracked} tracked)`);
} catch (e) {
  rt.log('error', 'tracker', e instanceof Error ? (e.stack ?? e.message) : String(e));
}
process.exitCode = 0;
