import path from 'node:path';
import { writeFd } from './write-fd.ts';
import { terminalText } from '../render/display-text.ts';
import { hookOutput, noticeAudiences, type Notice } from '../notify/hook-output.ts';
import { hookRuntime, type Runtime } from '../runtime.ts';
import { readHookStdin } from './hook-stdin.ts';
import { startTracker } from './kick.ts';
import { refreshNotices } from './notice-refresh.ts';
import { takeOutbox } from './outbox.ts';
import { readStatuslineSnapshot } from '../statusline/snapshot.ts';
import { spoolEnv, spoolInput, writeSpoolEntry } from './spool.ts';

/** Hook JSON output (reference §1.5); null prints nothing. */
export type FrontOutput = Record<string, unknown> | null;

/** The parts of a hook payload a front reads itself (checked by hand: no schema library is loaded here). */
export interface FrontInput {
  session_id: string;
  payload: Record<string, unknown>;
}

export interface FrontOptions {
  /** dist/tracker.mjs, the background tracker this hook starts when none is running. */
  trackerScript: string;
  /** Synchronous work of this event beyond tracking (SessionStart: the pending handoff); its output is merged in. */
  extras?: (input: FrontInput, rt: Runtime) => Promise<FrontOutput>;
  /** False for an event that only shows notices (UserPromptSubmit): nothing is spooled, no tracker started. */
  track?: boolean;
  /** Merges the notices' output with the extras' output (SessionStart passes mergeHookOutputs). */
  merge?: (a: FrontOutput, b: FrontOutput) => FrontOutput;
  rt?: Runtime;
}

/**
 * A tool-context hook's node front (SessionStart, PostToolUse, Stop, UserPromptSubmit), kept to about
 * one bare `node` start (issue 7). It reads the payload, spools the tracking for the background tracker
 * (src/tracker/) and starts that tracker unless one runs (unless `track` is false), and prints the
 * notices the tracker left for this session since its last hook for whoever this event reaches (quota and
 * context alerts; src/front/outbox.ts, `noticeAudiences`), so an alert computed from a tool call is shown
 * by the session's next hooks. It loads no schema library,
 * no lock library and no transcript reader.
 *
 * Never breaks the session: on any error it exits 0 with one line on stderr and one in cco.log.
 */
export async function runFront(event: string, opts: FrontOptions): Promise<void> {
  const rt = opts.rt ?? hookRuntime(event, (line) => writeFd(2, terminalText(line)));
  if (rt === null) {
    process.exitCode = 0;
    return;
  }
  let spooled = false;
  try {
    const raw = await readHookStdin();
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new Error(`stdin is not JSON (${raw.length} bytes)`);
    }
    const sid = (payload as { session_id?: unknown } | null)?.session_id;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || typeof sid !== 'string' || sid.length === 0) {
      throw new Error('stdin lacks a valid session_id');
    }
    const input: FrontInput = { session_id: sid, payload: payload as Record<string, unknown> };
    if (opts.track !== false) {
      writeSpoolEntry(
        rt.paths.spoolDir,
        {
          v: 1,
          event,
          receivedAt: rt.now().toISOString(),
          input: spoolInput(input.payload),
          env: spoolEnv(rt.env),
          cwd: process.cwd(),
        },
        rt.now().getTime(),
      );
      spooled = true;
    }
    const taken: Notice[] = takeOutbox(rt.paths.outboxDir, sid, noticeAudiences(event), (f, why) => rt.log('warn', event, `outbox file ${f}: ${why}`));
    // Quota notices quote the figure current now, not the one at the crossing (the newest snapshot's).
    const snap = taken.some((n) => n.quota !== undefined) ? readStatuslineSnapshot(rt.paths.statuslineSnapshot) : null;
    // Each notice on its own: one that cannot be composed again is shown as stored, the others as usual.
    const notices = refreshNotices(taken, snap, rt.now().getTime(), (why) => rt.log('warn', event, why));
    let out: FrontOutput = hookOutput(event, ...notices);
    if (opts.extras !== undefined) {
      const extra = await opts.extras(input, rt);
      out = opts.merge !== undefined ? opts.merge(out, extra) : (out ?? extra);
    }
    // Claude Code shows the systemMessage in the person's terminal: no control character of a path or name acts there.
    if (out !== null && typeof out.systemMessage === 'string') out = { ...out, systemMessage: terminalText(out.systemMessage) };
    if (out !== null) writeFd(1, JSON.stringify(out) + '\n');
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    rt.log('error', event, msg + (e instanceof Error && e.stack ? ` | ${e.stack.split('\n').slice(1, 3).join(' ').trim()}` : ''));
    writeFd(2, terminalText(`cco: ${event} hook: ${msg.split('\n')[0]}\n`));
  }
  if (spooled) {
    try {
      // Last: starting the tracker costs this hook a few ms (node:child_process and a fork) when none runs.
      startTracker(rt, opts.trackerScript);
    } catch (e) {
      // The entry stays spooled: the next hook (or any cco command) tracks it.
      rt.log('warn', event, `could not start the tracker: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  process.exitCode = 0;
}

/** dist/tracker.mjs seen from a bundled hook front in dist/hooks/ (`dir` is the front's own directory). */
export function trackerScriptFrom(dir: string): string {
  return path.join(dir, '..', 'tracker.mjs');
}
