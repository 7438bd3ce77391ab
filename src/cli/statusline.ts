/**
 * `cco statusline [--wrap <cmd>] [--wrap-mode append|silent]`: Claude Code's status line command
 * (reference §5). Reads the statusline JSON on stdin, saves what only the statusline sees (the official
 * `rate_limits` readings into quota-tracker.json, the session's `context_window` into
 * session-tracker.json: each file written only when something changed), and prints one line
 * (src/render/statusline.ts). It runs after every assistant message, so it reads no transcripts and
 * uses no network: the quota figures come from the state the hooks keep.
 *
 * It never fails: every problem prints a line with `n/a (why)` (or `cco: n/a (why)`) and exits 0, since
 * Claude Code shows nothing for a nonzero exit. A busy lock (300 ms budget) skips saving for this run.
 * Only a bad command line exits 2, as for every cco command (the status line install.sh sets is
 * dist/statusline.cjs with its own reading of these options, not this command).
 *
 * `--wrap "<cmd>"` runs the user's own status line command through `sh -c` with the same stdin (3 s,
 * then its process group is killed) and prints its stdout first; with `--wrap-mode append` (default)
 * our segment goes after theirs on the same line (` | `), with `silent` only theirs is printed (ours is
 * still computed and saved). Their output is dropped when their command fails or times out, as Claude
 * Code would show nothing for it.
 */
import { BAD_READING } from '../claude/figure-bounds.ts';
import { contextSample, parseStatuslineInput, readRateLimits } from '../claude/statusline-input.ts';
import { quotaFromState } from '../quota/quota-from-state.ts';
import { foldReadings } from '../quota/readings.ts';
import { terminalText } from '../render/display-text.ts';
import { renderStatusline, type StatuslineView } from '../render/statusline.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import type { QuotaTracker } from '../store/schemas.ts';
import type { CommandRun } from './command.ts';
import { saveContext, saveReadings } from '../statusline/save.ts';
import { wrappedOutput } from '../statusline/wrap.ts';
import { parseStatuslineArgs } from './statusline-args.ts';

/** Lock budget per state file (ms): the statusline must not hold up the UI; a busy lock skips saving. */
const STATUSLINE_LOCK_BUDGET_MS = 300;
/**
 * `cco statusline`: prints the line (or the wrapped command's output with it) and returns 0.
 * @throws UsageError for a bad command line
 */
export const run: CommandRun = async (rt, args, io) => {
  const opts = parseStatuslineArgs(args);
  let stdin = '';
  let stdinProblem: string | null = null;
  try {
    stdin = await io.readStdin();
  } catch (e) {
    stdinProblem = `cannot read stdin: ${reason(e)}`;
  }
  // Our segment only: a wrapped command's colours are the person's own (main.ts leaves this command's output alone).
  const ours = async (): Promise<string> => terminalText(stdinProblem === null ? await safeLine(rt, stdin) : `cco: n/a (${stdinProblem})`);
  if (opts.wrap === null) {
    io.stdout(`${await ours()}\n`);
    return 0;
  }
  const out = await wrappedOutput({ wrap: opts.wrap, wrapMode: opts.wrapMode }, stdin, io.cwd, ours, (why) => rt.log('warn', 'statusline', why));
  if (out !== '') io.stdout(`${out}\n`);
  return 0;
};

/** `statuslineLine`, with any error turned into `cco: n/a (why)` (and logged). */
async function safeLine(rt: Runtime, stdin: string): Promise<string> {
  try {
    return await statuslineLine(rt, stdin);
  } catch (e) {
    rt.log('error', 'statusline', e instanceof Error ? (e.stack ?? e.message) : String(e));
    return `cco: n/a (${reason(e)})`;
  }
}

/**
 * Saves what the payload brings and renders the line (no trailing newline). A payload that is not JSON
 * still gives the 5-hour figures from the stored state, with `n/a (stdin is not JSON)` for the rest. A
 * `rate_limits` window refused by `checkRateWindow` (src/claude/figure-bounds.ts) is not saved and shows
 * `n/a (bad reading)` (and is logged).
 * @throws only for unexpected I/O errors (the caller prints `cco: n/a`)
 */
async function statuslineLine(rt: Runtime, stdin: string): Promise<string> {
  const nowMs = rt.now().getTime();
  const parsed = parseStatuslineInput(stdin);
  const input = parsed.input;
  const rates = input === null ? { samples: [], bad: new Map<string, string>() } : readRateLimits(input, nowMs);
  for (const why of rates.bad.values()) rt.log('warn', 'statusline', why);
  const samples = rates.samples;
  const ctx = input === null ? null : contextSample(input);

  let quota: StatuslineView['quota'] = null;
  let quotaWhy: string | undefined;
  try {
    const q = await saveReadings(rt, samples, nowMs, STATUSLINE_LOCK_BUDGET_MS);
    // The payload is this moment's official figure: show its windows as captured now (the stored
    // capturedAt is refreshed only once a minute), so tokens counted since the stored time are not
    // projected on top of a value that already includes them.
    const shown: QuotaTracker = { ...q, readings: [...foldReadings(q.readings, samples, nowMs, { refreshAfterMs: 0 })] };
    quota = quotaFromState(shown, null, loadConfig(rt).config, nowMs);
    // A refused window shows `n/a (bad reading)`, not an older reading or an estimate in its place.
    if (rates.bad.has('five_hour')) {
      quota = null;
      quotaWhy = BAD_READING;
    } else if (rates.bad.has('seven_day')) quota = { ...quota, weekly: null };
  } catch (e) {
    rt.log('error', 'statusline', `quota: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    quotaWhy = reason(e);
  }

  const sessionId = input?.session_id;
  if (ctx !== null && typeof sessionId === 'string' && sessionId.length > 0) {
    try {
      await saveContext(rt, input!, sessionId, ctx, nowMs, STATUSLINE_LOCK_BUDGET_MS);
    } catch (e) {
      rt.log('error', 'statusline', `context: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  const context: StatuslineView['context'] =
    ctx !== null && ctx.usedPercentage !== null
      ? { pct: ctx.usedPercentage }
      : {
          pct: null,
          why: parsed.problem ?? (ctx === null ? 'no context_window' : ctx.usedTokens !== null ? 'no usable context_window_size' : 'no response yet'),
        };
  const weeklyWhy = parsed.problem ?? (rates.bad.has('seven_day') ? BAD_READING : input?.rate_limits == null ? 'no rate_limits' : 'not reported');
  return renderStatusline({ nowMs, quota, ...(quotaWhy === undefined ? {} : { quotaWhy }), weeklyWhy, context });
}

function reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? 'error';
}
