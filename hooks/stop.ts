// Stop, node front: what hooks/stop.sh hands over when notices wait for this session (or when only
// node can resolve the config dir): spools the turn's catch-up for the background tracker and shows the
// notices it left for this session (a systemMessage only: additionalContext on Stop would make the
// model go on).
import { runFront, trackerScriptFrom } from '../src/front/run-front.ts';

void runFront('Stop', { trackerScript: trackerScriptFrom(__dirname) });
