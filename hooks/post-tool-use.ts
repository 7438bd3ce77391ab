// PostToolUse: spool the catch-up for the background tracker and show the notices it left for this
// session. Claude waits for this hook after every tool call: bundled as CommonJS, it costs about one
// bare `node` start (issue 7; README "Performance").
import { runFront, trackerScriptFrom } from '../src/front/run-front.ts';

void runFront('PostToolUse', { trackerScript: trackerScriptFrom(__dirname) });
