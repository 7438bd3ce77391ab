// Stop: the turn's final response is in the transcript now; spool its catch-up for the background
// tracker and show the notices it left for this session (a systemMessage only: additionalContext on
// Stop would make the model go on).
import { runFront, trackerScriptFrom } from '../src/front/run-front.ts';

void runFront('Stop', { trackerScript: trackerScriptFrom(__dirname) });
