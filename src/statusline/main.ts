// The status line front (dist/statusline.cjs): Claude Code runs it after every assistant message, so it
// costs about one bare `node` start (issue 7). It renders from the payload and the tracker's snapshot
// (src/statusline/snapshot.ts), and spools the payload for the background tracker only when it brings
// an official reading or context figure that is not saved yet. Never fails: every problem prints a
// line with `n/a (why)` and exits 0 (Claude Code shows nothing for a nonzero exit) — except a bad command
// line (settings.json statusLine is wrong, not the moment): one line on stderr and exit 2, as `cco
// statusline` does, so that it is seen when the command is tried by hand.
import path from 'node:path';
import { writeFd } from '../front/write-fd.ts';
import { readHookStdin } from '../front/hook-stdin.ts';
import { startTracker } from '../front/kick.ts';
import { writeSpoolEntry } from '../front/spool.ts';
import { terminalText } from '../render/display-text.ts';
import { renderStatusline } from '../render/statusline.ts';
import { ConfigDirError } from '../claude/config-dirs.ts';
import { logWithoutRuntime, processRuntime, type Runtime } from '../runtime.ts';
import { frontView, payloadNeedsSaving, readFrontPayload } from './front-view.ts';
import { readStatuslineSnapshot } from './snapshot.ts';
import { parseStatuslineArgs } from '../cli/statusline-args.ts';
import { wrappedOutput, type StatuslineArgs } from './wrap.ts';

/** A payload past this size is not spooled (a real one is about 1 KB). */
const MAX_SPOOLED_PAYLOAD = 256 << 10;

/** The runtime, or why there is none (CLAUDE_CONFIG_DIR names no usable state dir: the line says so). */
const [rt, noRuntime] = ((): [Runtime | null, string | null] => {
  try {
    return [processRuntime(), null];
  } catch (e) {
    if (!(e instanceof ConfigDirError)) throw e;
    logWithoutRuntime(process.env, 'error', 'statusline', e.message);
    return [null, e.message];
  }
})();

/** Our segment, through terminalText (a wrapped command's colours are the person's own). */
function ours(text: string | null, problem: string | null): string {
  return terminalText(oursRaw(text, problem));
}

function oursRaw(text: string | null, problem: string | null): string {
  if (rt === null) return `cco: n/a (${noRuntime})`;
  try {
    const nowMs = rt.now().getTime();
    const payload = readFrontPayload(text ?? '');
    if (problem !== null) payload.problem = problem;
    const snap = readStatuslineSnapshot(rt.paths.statuslineSnapshot);
    if (text !== null && payload.problem === null && text.length <= MAX_SPOOLED_PAYLOAD && payloadNeedsSaving(payload, snap, nowMs)) {
      try {
        const tracker = path.join(__dirname, 'tracker.mjs');
        writeSpoolEntry(
          rt.paths.spoolDir,
          {
            v: 1,
            event: 'statusline',
            receivedAt: new Date(nowMs).toISOString(),
            input: JSON.parse(text) as Record<string, unknown>,
            env: {},
            cwd: process.cwd(),
          },
          nowMs,
        );
        startTracker(rt, tracker);
      } catch (e) {
        rt.log('warn', 'statusline', `could not hand the payload to the tracker: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return renderStatusline(frontView(payload, snap, nowMs));
  } catch (e) {
    rt.log('error', 'statusline', e instanceof Error ? (e.stack ?? e.message) : String(e));
    return `cco: n/a (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`;
  }
}

async function main(): Promise<number> {
  let opts: StatuslineArgs;
  try {
    opts = parseStatuslineArgs(process.argv.slice(2));
  } catch (e) {
    writeFd(2, `${terminalText(`cco statusline: ${e instanceof Error ? e.message : String(e)}; see cco statusline --help`)}\n`);
    return 2;
  }
  let text: string | null = null;
  let problem: string | null = null;
  try {
    text = (await readHookStdin()).toString('utf8');
  } catch (e) {
    problem = `cannot read stdin: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  if (opts.wrap === null) {
    writeFd(1, `${ours(text, problem)}\n`);
    return 0;
  }
  const out = await wrappedOutput(
    { wrap: opts.wrap, wrapMode: opts.wrapMode },
    text ?? '',
    process.cwd(),
    () => ours(text, problem),
    (why) => rt?.log('warn', 'statusline', why),
  );
  if (out !== '') writeFd(1, `${out}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 0;
  },
);
