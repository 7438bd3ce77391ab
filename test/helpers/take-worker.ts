// A separate process that takes a project's pending handoff, for the "inject once across processes" test.
// argv: <project key> <session id> <start-at epoch ms>; HOME / CLAUDE_CONFIG_DIR come from the environment.
// Prints the take result as one JSON line: {"kind": ..., "text"?: ...}.
import { takePending } from '../../src/handoff/handoff-store.ts';
import { processRuntime } from '../../src/runtime.ts';

const [key, sessionId, startAt] = process.argv.slice(2);
const wait = Number(startAt) - Date.now();
if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // line the processes up on one instant
const r = await takePending(processRuntime(), key!, sessionId!, { lockBudgetMs: 20_000 });
process.stdout.write(JSON.stringify({ kind: r.kind, text: r.kind === 'injected' ? r.text : undefined }) + '\n');
