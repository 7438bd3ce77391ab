// PostToolUse, node front: what hooks/post-tool-use.sh hands over when a note for the model waits (or
// when only node can resolve the config dir): spools the catch-up for the background tracker, prints the
// notes the tracker left (the hook runs async: its output reaches the model in a later request of the
// turn; the person's line is left for Stop) and starts the tracker.
import { runFront, trackerScriptFrom } from '../src/front/run-front.ts';

void runFront('PostToolUse', { trackerScript: trackerScriptFrom(__dirname) });
