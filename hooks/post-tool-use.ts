// PostToolUse: catch up the transcript after each tool call. Claude waits for this hook, so it stays small.
import { runHook } from '../src/hook/run-hook.ts';
import { trackFromHook } from '../src/hook/track-hook.ts';

await runHook('PostToolUse', (input, rt) => trackFromHook('PostToolUse', input, rt));
