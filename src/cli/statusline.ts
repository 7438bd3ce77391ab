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
 *
 * `--wrap "<cmd>"` runs the user's own status line command through `sh -c` with the same stdin (3 s,
 * then its process group is killed) and prints its stdout first; with `--wrap-mode append` (default)
 * our segment goes after theirs on the same line (` | `), with `silent` only theirs is printed (ours is
 * still computed and saved). Their output is dropped when their command fails or times out, as Claude
 * Code would show nothing for it.
 */
import {
  contextSample,
  parseStatuslineInput,
  rateLimitSamples,
  type ContextSample,
  type RateLimitSample,
  type StatuslineInput,
} from '../claude/statusline-input.ts';
import { quotaFromState } from '../quota/quota-from-state.ts';
import { foldReadings } from '../quota/readings.ts';
import { appendSegment, renderStatusline, type StatuslineView } from '../render/statusline.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { QuotaTrackerSchema, SessionTrackerSchema, type QuotaTracker } from '../store/schemas.ts';
import { foldStatuslineContext } from '../store/statusline-session.ts';
import { emptySessionTracker } from '../store/track.ts';
import { mirrorDurable } from '../store/quota-durable.ts';
import { LockBusyError, readState, update, type UpdateOptions } from '../store/update.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';
import type { CommandRun } from './command.ts';

/** Lock budget per state file (ms): the statusline must not hold up the UI; a busy lock skips saving. */
export const STATUSLINE_LOCK_BUDGET_MS = 300;
/** The wrapped command's time limit (ms); its process group is killed after it. */
export const WRAP_TIMEOUT_MS = 3_000;

export interface StatuslineArgs {
  wrap: string | null;
  wrapMode: 'append' | 'silent';
}

/**
 * Parses `[--wrap <cmd>] [--wrap-mode append|silent]` (also `--wrap=<cmd>`, `--wrap-mode=<mode>`).
 * @throws Error with a short reason for an unknown option or a missing / bad value
 */
export function parseStatuslineArgs(args: readonly string[]): StatuslineArgs {
  const out: StatuslineArgs = { wrap: null, wrapMode: 'append' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--wrap') out.wrap = value();
    else if (flag === '--wrap-mode') {
      const m = value();
      if (m !== 'append' && m !== 'silent') throw new Error(`--wrap-mode must be append or silent`);
      out.wrapMode = m;
    } else throw new Error(`unknown option ${flag}`);
  }
  if (out.wrap !== null && out.wrap.trim() === '') throw new Error('--wrap needs a command');
  return out;
}

/** `cco statusline`: prints the line (or the wrapped command's output with it) and returns 0, always. */
export const run: CommandRun = async (rt, args, io) => {
  let opts: StatuslineArgs;
  try {
    opts = parseStatuslineArgs(args);
  } catch (e) {
    io.stdout(`cco: n/a (${reason(e)})\n`);
    return 0;
  }
  let stdin = '';
  let stdinProblem: string | null = null;
  try {
    stdin = await io.readStdin();
  } catch (e) {
    stdinProblem = `cannot read stdin: ${reason(e)}`;
  }
  const ours = (): Promise<string> => (stdinProblem === null ? safeLine(rt, stdin) : Promise.resolve(`cco: n/a (${stdinProblem})`));
  if (opts.wrap === null) {
    io.stdout(`${await ours()}\n`);
    return 0;
  }
  const [theirs, line] = await Promise.all([runWrapped(opts.wrap, stdin, WRAP_TIMEOUT_MS, io.cwd), ours()]);
  if (theirs.code !== 0) rt.log('warn', 'statusline', `wrapped command ${theirs.timedOut ? `timed out after ${WRAP_TIMEOUT_MS} ms` : `exited ${String(theirs.code)}`}: ${opts.wrap}`);
  const their = theirs.code === 0 ? theirs.stdout.replace(/\s+$/, '') : '';
  const out = opts.wrapMode === 'silent' ? their : appendSegment(their, line);
  if (out !== '') io.stdout(`${out}\n`);
  return 0;
};

/** `statuslineLine`, with any error turned into `cco: n/a (why)` (and logged). */
async function safeLine(rt: Runtime, stdin: string): Promise<string> {
  try {
    return await statuslineLine(rt, stdin);
  } catch (e) {
    rt.log('error', 'statusline', e instanceof Error ? e.stack ?? e.message : String(e));
    return `cco: n/a (${reason(e)})`;
  }
}

/**
 * Saves what the payload brings and renders the line (no trailing newline). A payload that is not JSON
 * still gives the 5-hour figures from the stored state, with `n/a (stdin is not JSON)` for the rest.
 * @throws only for unexpected I/O errors (the caller prints `cco: n/a`)
 */
export async function statuslineLine(rt: Runtime, stdin: string): Promise<string> {
  const nowMs = rt.now().getTime();
  const parsed = parseStatuslineInput(stdin);
  const input = parsed.input;
  const samples = input === null ? [] : rateLimitSamples(input);
  const ctx = input === null ? null : contextSample(input);

  let quota: StatuslineView['quota'] = null;
  let quotaWhy: string | undefined;
  try {
    const q = await saveReadings(rt, samples, nowMs);
    // The payload is this moment's official figure: show its windows as captured now (the stored
    // capturedAt is refreshed only once a minute), so tokens counted since the stored time are not
    // projected on top of a value that already includes them.
    const shown: QuotaTracker = { ...q, readings: [...foldReadings(q.readings, samples, nowMs, { refreshAfterMs: 0 })] };
    quota = quotaFromState(shown, null, loadConfig(rt).config, nowMs);
  } catch (e) {
    rt.log('error', 'statusline', `quota: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    quotaWhy = reason(e);
  }

  const sessionId = input?.session_id;
  if (ctx !== null && typeof sessionId === 'string' && sessionId.length > 0) {
    try {
      await saveContext(rt, input!, sessionId, ctx, nowMs);
    } catch (e) {
      rt.log('error', 'statusline', `context: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  const context: StatuslineView['context'] = ctx !== null && ctx.usedPercentage !== null
    ? { pct: ctx.usedPercentage }
    : { pct: null, why: parsed.problem ?? (ctx === null ? 'no context_window' : 'no response yet') };
  const weeklyWhy = parsed.problem ?? (input?.rate_limits == null ? 'no rate_limits' : 'not reported');
  return renderStatusline({ nowMs, quota, ...(quotaWhy === undefined ? {} : { quotaWhy }), weeklyWhy, context });
}

function storeOptions(rt: Runtime): UpdateOptions {
  return {
    lockBudgetMs: STATUSLINE_LOCK_BUDGET_MS,
    now: rt.now,
    onQuarantine: (file, to, why) => rt.log('warn', 'store', `${file} was unreadable (${why}); moved to ${to}; the hooks rebuild it from the transcripts`),
  };
}

/**
 * Folds the payload's readings into quota-tracker.json when that changes them (checked first without the
 * lock, so an unchanged payload takes no lock and writes nothing).
 * @returns the tracker as it now stands (as read, when nothing changed or the lock was busy)
 */
async function saveReadings(rt: Runtime, samples: readonly RateLimitSample[], nowMs: number): Promise<QuotaTracker> {
  const file = rt.paths.quotaTracker;
  const current = readState(file, QuotaTrackerSchema, emptyQuotaTracker);
  if (samples.length === 0 || foldReadings(current.readings, samples, nowMs) === current.readings) return current;
  try {
    const saved = await update(file, QuotaTrackerSchema, emptyQuotaTracker, (q) => {
      const readings = foldReadings(q.readings, samples, nowMs);
      return readings === q.readings ? undefined : { ...q, readings: [...readings] };
    }, storeOptions(rt));
    await mirrorDurable(rt, saved, 300).catch(() => undefined); // the next save or hook mirrors again
    return saved;
  } catch (e) {
    if (e instanceof LockBusyError) return current;
    throw e;
  }
}

/** Saves the session's context figures into session-tracker.json when they changed (same discipline as above). */
async function saveContext(rt: Runtime, input: StatuslineInput, sessionId: string, ctx: ContextSample, nowMs: number): Promise<void> {
  const file = rt.paths.sessionTracker;
  const sighting = { sessionId, cwd: input.cwd ?? input.workspace?.current_dir ?? null, transcriptPath: input.transcript_path ?? null };
  const current = readState(file, SessionTrackerSchema, emptySessionTracker);
  if (foldStatuslineContext(current, sighting, ctx, nowMs) === undefined) return;
  try {
    await update(file, SessionTrackerSchema, emptySessionTracker, (t) => foldStatuslineContext(t, sighting, ctx, nowMs), storeOptions(rt));
  } catch (e) {
    if (!(e instanceof LockBusyError)) throw e;
  }
}

/** What the wrapped command did: exit code (null when it could not start, was killed or timed out) and stdout. */
export interface WrappedResult {
  code: number | null;
  stdout: string;
  timedOut: boolean;
}

/**
 * Runs `command` through `sh -c` in its own process group with `stdin` on its stdin; its stderr passes
 * through. After `timeoutMs` the whole group is killed (SIGKILL) and the result is `timedOut`.
 * Never rejects.
 */
export function runWrapped(command: string, stdin: string, timeoutMs: number, cwd?: string): Promise<WrappedResult> {
  return new Promise((resolve) => {
    let done = false;
    const chunks: Buffer[] = [];
    const finish = (r: WrappedResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    // Loaded here, not imported: only `--wrap` runs a command (node:child_process costs a few ms to load).
    const { spawn } = process.getBuiltinModule('node:child_process');
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'inherit'], detached: true, ...(cwd === undefined ? {} : { cwd }) });
    } catch {
      resolve({ code: null, stdout: '', timedOut: false });
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      child.stdout?.destroy();
      child.unref();
      finish({ code: null, stdout: Buffer.concat(chunks).toString('utf8'), timedOut: true });
    }, timeoutMs);
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', () => finish({ code: null, stdout: '', timedOut: false }));
    child.on('close', (code) => finish({ code, stdout: Buffer.concat(chunks).toString('utf8'), timedOut: false }));
    child.stdin?.on('error', () => undefined); // their command need not read stdin (EPIPE)
    child.stdin?.end(stdin);
  });
}

function reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? 'error';
}
