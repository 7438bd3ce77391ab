// PostToolUse, node front: what hooks/post-tool-use.sh hands over when notices wait for this session
// (or when only node can resolve the config dir): spools the catch-up for the background tracker,
// shows the notices it left (additionalContext reaches the model mid-turn) and starts the tracker.
import { runFront, trackerScriptFrom } from '../src/front/run-front.ts';

void runFront('PostToolUse', { trackerScript: trackerScriptFrom(__dirname) });
