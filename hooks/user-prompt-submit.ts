// UserPromptSubmit, node front: what hooks/user-prompt-submit.sh hands over when notices wait for this
// session (or when only node can resolve the config dir): shows them, the person's line as a
// systemMessage and the model's note as additionalContext (it reaches this turn's first request). It
// spools nothing: the previous turn's Stop handed the tracking over.
import { runFront, trackerScriptFrom } from '../src/front/run-front.ts';

void runFront('UserPromptSubmit', { trackerScript: trackerScriptFrom(__dirname), track: false });
