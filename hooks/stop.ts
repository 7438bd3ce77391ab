// Stop: the turn's final response is in the transcript now; catch it up.
import { runHook } from '../src/hook/run-hook.ts';
import { trackFromHook } from '../src/hook/track-hook.ts';

await runHook('Stop', (input, rt) => trackFromHook('Stop', input, rt));
