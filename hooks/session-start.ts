// SessionStart: register the session (startup, resume, clear, compact, fork) and catch up its transcript.
import { runHook } from '../src/hook/run-hook.ts';
import { trackFromHook } from '../src/hook/track-hook.ts';

await runHook('SessionStart', (input, rt) => trackFromHook('SessionStart', input, rt));
