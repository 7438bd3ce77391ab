// SessionEnd, node front: what hooks/session-end.sh hands over when only node can resolve the config
// dir (or before the spool exists). It spools the end for the background tracker, which marks the
// session ended (one tracking path), and starts the tracker unless one runs.
import { runFront, trackerScriptFrom } from '../src/front/run-front.ts';

void runFront('SessionEnd', { trackerScript: trackerScriptFrom(__dirname) });
