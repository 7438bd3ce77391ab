// SessionStart: spool the session's registration and catch-up for the background tracker, show the
// notices it left, and, only when there may be one, inject the project's pending handoff or announce a
// due planned session (dist/hooks/session-start-extras.cjs, loaded on demand). Bundled as CommonJS: it
// costs about one bare `node` start (issue 7; docs/performance-history.md).
import { createRequire } from 'node:module';
import { runFront, trackerScriptFrom } from '../src/front/run-front.ts';
import { sessionStartHasWork } from '../src/front/session-start-work.ts';
import type { sessionStartExtras } from '../src/hook/session-start-extras.ts';
import { mergeHookOutputs } from '../src/hook/session-start-output.ts';

void runFront('SessionStart', {
  trackerScript: trackerScriptFrom(__dirname),
  extras: async (input, rt) => {
    if (!sessionStartHasWork(rt.paths)) return null;
    const extras = createRequire(__filename)('./session-start-extras.cjs') as { sessionStartExtras: typeof sessionStartExtras };
    return extras.sessionStartExtras(input, rt);
  },
  merge: (a, b) => mergeHookOutputs('SessionStart', a, b),
});
