// The background tracker (dist/tracker.mjs): started detached by a hook front (src/front/kick.ts) when
// none is running; drains the spool of hook events into the state files, stays while the user works
// (src/tracker/linger.ts) and exits. Never prints.
import { fileURLToPath } from 'node:url';
import { processRuntime } from '../runtime.ts';
import { lingerFromEnv } from './linger.ts';
import { runTracker, TRACKER_RUN_LIMIT_MS } from './tracker-run.ts';

const rt = processRuntime();
// SIGTERM ends the run cleanly: proper-lockfile lets go of the lock on the way out (signal-exit), and
// the events not yet tracked stay spooled for the next tracker.
process.on('SIGTERM', () => process.exit(0));
try {
  const r = await runTracker(rt, 0, TRACKER_RUN_LIMIT_MS, { linger: lingerFromEnv(rt.env), bundle: fileURLToPath(import.meta.url) });
  if (r.outcome === 'limit') rt.log('warn', 'tracker', `stopped at the run limit with entries left (${r.tracked} tracked)`);
} catch (e) {
  rt.log('error', 'tracker', e instanceof Error ? e.stack ?? e.message : String(e));
}
process.exitCode = 0;
