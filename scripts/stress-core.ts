/**
 * The stress run behind `npm run stress` (scripts/stress.ts) and test/integration/stress.test.ts.
 *
 * Many Claude Code sessions at once on one machine, driven through the real hooks as hooks.json runs
 * them (the node fronts `dist/hooks/*.cjs` and the shell fronts `hooks/post-tool-use.sh` and
 * `hooks/session-end.sh`, which spool each event and start the background tracker `dist/tracker.mjs`)
 * and the real status line front (`dist/statusline.cjs`), in a temp HOME
 * and CLAUDE_CONFIG_DIR this module creates (never the real `~/.claude`):
 *
 * 1. contention: `writers` lanes run at once, `events` hook processes each, one after the other. Each
 *    lane belongs to a session (two lanes per session: parallel tool calls); before each PostToolUse or
 *    Stop it appends a turn to the session's transcript (streamed copies of one response, parallel
 *    tool calls, tool results, embedded subagent usage, a subagent file, unknown record types,
 *    concatenated objects, now and then a garbage line), often in two writes so that hooks read a
 *    line still being written.
 * 2. lock budget: a writer that hangs holding the session tracker's lock (a fresh `*.lock` dir kept
 *    fresh for `lockHoldMs`) while every session fires a hook: each must exit 0 at once (the hooks
 *    take no lock), nothing may write the file meanwhile, and the events must wait in the spool.
 * 3. kill (optional): lanes again with the hooks' own tracker start turned off (CCO_TRACKER=manual);
 *    each hook run is followed by a foreground tracker run, and random hooks and trackers get SIGKILL
 *    mid-run. Then: no torn file, the locks the dead left behind are taken over once stale.
 * 4. catch-up: one PostToolUse per session, one after the other (the "next trigger"), then `cco sync`:
 *    the spool must end empty.
 *
 * Then every figure is checked: per session, tokens, usage entries and tool calls in
 * session-tracker.json against what the generator wrote, cross-checked with `cco report --json
 * --no-cache` (the accounting rule on the transcripts, no cache); the quota tracker's 5-hour blocks
 * against the report's blocks; malformed lines in the transcript caches against the garbage lines
 * written; every JSON file of ours parses (and the state files pass their schemas); no `*.corrupt-*`
 * file; no lock left; every hook exited 0 (unless killed) with nothing on stderr; no error in our log.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { STALE_LOCK_MS } from '../src/doctor/locks.ts';
import { HandoffIndexSchema } from '../src/store/schema-handoff.ts';
import { DurableQuotaSchema, QuotaTrackerSchema, SessionTrackerSchema, TranscriptCursorSchema } from '../src/store/schemas.ts';
import { update } from '../src/store/update.ts';
import { mulberry32 } from './mulberry32.mjs';
import { removeTempHome, sleepSync, stopTracker } from './tracker-stop.mjs';

export { STALE_LOCK_MS };

export interface StressOptions {
  /** Hook processes running at once (lanes). Default 32. */
  writers?: number;
  /** Hook runs per lane in the contention phase. Default 25. */
  events?: number;
  /** Sessions (default: one per two lanes). */
  sessions?: number;
  /** Run the SIGKILL phase. Default true. */
  killPhase?: boolean;
  /**
   * Mean pause of a lane between its events (ms; each pause is uniform in [0, 2 x thinkMs]): the model's
   * time between tool calls. Default 0: back to back, the machine saturated.
   */
  thinkMs?: number;
  /** Hook runs per lane in the kill phase. Default events / 2 (at least 2). */
  killEvents?: number;
  /** Share of the kill phase's hook processes that get SIGKILL. Default 0.5. */
  killShare?: number;
  /** How long the lock-budget phase holds the session tracker's lock (ms); 0 skips it. Default 2,500. */
  lockHoldMs?: number;
  /** Parent folder of the temp HOME (default the OS temp dir). The run creates a fresh folder inside. */
  dir?: string;
  /** Keep the temp HOME afterwards (default false: removed). */
  keep?: boolean;
  /** Repository root holding dist/ (default: this checkout). */
  root?: string;
  /** PRNG seed (default: time based). */
  seed?: number;
  /** A hook process still running after this long is killed and counted as a timeout (ms). Default 60,000. */
  hookTimeoutMs?: number;
  /** Lanes start no new event after this long (ms). Default 15 min. */
  maxMs?: number;
  /** Progress lines. */
  onProgress?: (line: string) => void;
}

/** Wall times (ms) of hook processes. */
export interface Timing {
  runs: number;
  p50: number;
  p99: number;
  max: number;
}

export interface StressFigures {
  writers: number;
  sessions: number;
  thinkMs: number;
  cores: number;
  /** The machine's 1-minute load average when the run started (other work skews the timings). */
  loadAtStart: number;
  node: string;
  seed: number;
  home: string;
  /** Hook and statusline processes started, all phases. */
  events: number;
  /** Transcript lines appended (records, including garbage lines). */
  transcriptLines: number;
  /** Usage entries (deduplicated API responses) and tool calls written into the transcripts. */
  usageEntries: number;
  toolCalls: number;
  contention: { runs: number; hooks: Timing; statusline: Timing; deferred: number; ms: number };
  /** `spooled`: hook events still waiting when the held lock was let go (the tracker waited, nothing was lost). */
  lockBudget: { runs: number; held: number; deferred: number; spooled: number; maxMs: number; ms: number } | null;
  kill: { runs: number; killed: number; trackerRuns: number; trackersKilled: number; locksLeft: number; tempFilesLeft: number; ms: number } | null;
  /** `deferred`: lock-busy deferrals in the log; `left`: spool entries after the final `cco sync`. */
  catchUp: { runs: number; deferred: number; left: number };
  /** Usage entries, tool calls and tokens off between what the transcripts hold and what the state files say (0 when exact). */
  lost: { entries: number; toolCalls: number; tokens: number; blocks: number; malformed: number; sessions: number };
  /** Files quarantined (`*.corrupt-*`) plus JSON files of ours that do not parse or fail their schema. */
  corrupt: number;
  /** Locks left by killed writers that the next trigger took over after the stale time. */
  staleLockRecoveries: number;
  /** Locks still there at the end. */
  locksLeft: number;
  /** Hook processes that exited non-zero, timed out, or wrote to stderr (killed ones excepted). */
  badExits: number;
  stderrLines: number;
  /** Error lines in cco/logs/cco.log. */
  logErrors: number;
  /** Everything that failed, one line each (empty: all held). */
  failures: string[];
  elapsedMs: number;
}

type Tokens = { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number };
type HookKind = 'SessionStart' | 'PostToolUse' | 'Stop' | 'SessionEnd' | 'statusline';
type RunKind = HookKind | 'tracker';

interface Expected {
  tokens: Tokens;
  entries: number;
  tools: Record<string, number>;
}

interface SessionSim {
  index: number;
  sid: string;
  cwd: string;
  transcript: string;
  /** Subagent transcript (every third session), and its agent id. */
  subagent: string | null;
  agentId: string;
  turn: number;
  /** The rest of a line written in two parts, and the timer that writes it. */
  pending: { file: string; rest: Buffer; timer: NodeJS.Timeout } | null;
  expected: Expected;
  /** Last uuid on the main chain. */
  parent: string | null;
}

interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  killed: boolean;
  timedOut: boolean;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = ['Bash', 'Read', 'Edit', 'Grep', 'Write', 'mcp__files__search', 'Task'];

/** Runs the whole stress and returns its figures; `failures` lists every check that did not hold. */
export async function runStress(opts: StressOptions = {}): Promise<StressFigures> {
  const started = Date.now();
  const writers = Math.max(1, Math.floor(opts.writers ?? 32));
  const events = Math.max(2, Math.floor(opts.events ?? 25));
  const nSessions = Math.max(1, Math.floor(opts.sessions ?? Math.ceil(writers / 2)));
  const killEvents = Math.max(2, Math.floor(opts.killEvents ?? Math.ceil(events / 2)));
  const killShare = opts.killShare ?? 0.5;
  const thinkMs = Math.max(0, opts.thinkMs ?? 0);
  const lockHoldMs = opts.lockHoldMs ?? 2_500;
  const hookTimeoutMs = opts.hookTimeoutMs ?? 60_000;
  const deadline = started + (opts.maxMs ?? 15 * 60_000);
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const rng = mulberry32(seed);
  const root = opts.root ?? ROOT;
  const progress = opts.onProgress ?? (() => undefined);
  const failures: string[] = [];
  const fail = (msg: string) => {
    if (failures.length < 200) failures.push(msg);
  };

  for (const f of [
    'dist/statusline.cjs',
    'dist/hooks/session-start.cjs',
    'dist/hooks/post-tool-use.cjs',
    'dist/hooks/stop.cjs',
    'dist/hooks/session-end.cjs',
    'hooks/post-tool-use.sh',
    'hooks/session-end.sh',
    'dist/tracker.mjs',
    'dist/cli.mjs',
  ]) {
    if (!existsSync(path.join(root, f))) throw new Error(`${path.join(root, f)} is missing: run npm run build first`);
  }

  const parent = opts.dir ?? os.tmpdir();
  mkdirSync(parent, { recursive: true });
  const home = realpathSync(mkdtempSync(path.join(parent, 'cco-stress-')));
  const configDir = path.join(home, '.claude');
  if (path.resolve(configDir) === path.resolve(os.homedir(), '.claude')) throw new Error('refusing to run on the real ~/.claude');
  // The account's state (quota tracker, its durable copy, status line snapshot): src/claude/account-home.ts.
  const accountDir = accountDirOf(home);
  mkdirSync(path.join(configDir, 'cco'), { recursive: true, mode: 0o700 });
  // Desktop notifications off: alerts are still decided and shown to the sessions.
  writeFileSync(path.join(configDir, 'cco', 'config.json'), JSON.stringify({ quota: { desktopNotifications: false } }));
  const env = childEnv(home, configDir);
  const manualEnv = { ...env, CCO_TRACKER: 'manual' };
  const logFile = path.join(configDir, 'cco', 'logs', 'cco.log');

  const figures: StressFigures = {
    writers,
    sessions: nSessions,
    thinkMs,
    cores: os.cpus().length,
    loadAtStart: os.loadavg()[0] ?? 0,
    node: process.version,
    seed,
    home,
    events: 0,
    transcriptLines: 0,
    usageEntries: 0,
    toolCalls: 0,
    contention: { runs: 0, hooks: timing([]), statusline: timing([]), deferred: 0, ms: 0 },
    lockBudget: null,
    kill: null,
    catchUp: { runs: 0, deferred: 0, left: 0 },
    lost: { entries: 0, toolCalls: 0, tokens: 0, blocks: 0, malformed: 0, sessions: 0 },
    corrupt: 0,
    staleLockRecoveries: 0,
    locksLeft: 0,
    badExits: 0,
    stderrLines: 0,
    logErrors: 0,
    failures,
    elapsedMs: 0,
  };

  try {
    const sessions = makeSessions(configDir, nSessions, rng);
    let expectedMalformed = 0;
    const gen = {
      appendTurn: (s: SessionSim, final: boolean) => {
        const r = appendTurn(s, rng, final);
        figures.transcriptLines += r.lines;
        expectedMalformed += r.malformed;
      },
    };

    const run = async (
      kind: RunKind,
      s: SessionSim,
      extra: Record<string, unknown>,
      kill: number | null,
      runEnv: Record<string, string> = env,
    ): Promise<ProcResult> => {
      if (kind === 'tracker') return runProcess([path.join(root, 'dist', 'tracker.mjs')], '', runEnv, home, kill, hookTimeoutMs);
      figures.events++;
      const file = kind === 'statusline' ? path.join(root, 'dist', 'statusline.cjs') : hookFile(root, kind);
      const stdin = kind === 'statusline' ? statuslinePayload(s, rng) : hookPayload(kind, s, extra);
      // As hooks.json runs them: a shell front under /bin/sh, with the variables Claude Code gives a plugin's hook.
      const hookEnv = { ...runEnv, CLAUDE_PLUGIN_ROOT: root, CLAUDE_CODE_SESSION_ID: s.sid };
      return file.endsWith('.sh')
        ? runProcess([file], stdin, hookEnv, home, kill, hookTimeoutMs, '/bin/sh')
        : runProcess([file], stdin, hookEnv, home, kill, hookTimeoutMs);
    };
    const check = (kind: RunKind, s: SessionSim, r: ProcResult, where: string) => {
      if (r.killed) return;
      if (r.timedOut) {
        figures.badExits++;
        fail(`${where}: ${kind} for ${s.sid} timed out after ${hookTimeoutMs} ms`);
        return;
      }
      if (r.code !== 0) {
        figures.badExits++;
        fail(`${where}: ${kind} for ${s.sid} exited ${r.code ?? r.signal}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
      }
      const errLines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      if (errLines.length > 0) {
        figures.stderrLines += errLines.length;
        fail(`${where}: ${kind} for ${s.sid} wrote to stderr: ${errLines[0]}`);
      }
      if (kind === 'statusline' && r.code === 0 && r.stdout.trim().split('\n').length !== 1) fail(`${where}: statusline printed ${JSON.stringify(r.stdout)}`);
      if (kind !== 'statusline' && kind !== 'tracker' && r.stdout.trim() !== '') {
        try {
          JSON.parse(r.stdout);
        } catch {
          fail(`${where}: ${kind} printed non-JSON stdout: ${r.stdout.slice(0, 120)}`);
        }
      }
    };

    /** One lane: `n` events of session `s`, the first lane of a session opens it (and may close it). */
    const lane = async (
      w: number,
      n: number,
      phase: 'contention' | 'kill',
      sink: { hooks: number[]; statusline: number[]; runs: number; killed: number; trackerRuns: number; trackersKilled: number },
      killAfter: () => number | null,
    ) => {
      const s = sessions[w % sessions.length]!;
      const first = w < sessions.length;
      for (let e = 0; e < n; e++) {
        if (Date.now() > deadline) {
          fail(`${phase}: stopped early at the time limit`);
          return;
        }
        let kind: HookKind;
        if (e === 0 && first) kind = 'SessionStart';
        else if (e === n - 1 && first && phase === 'contention') kind = 'SessionEnd';
        else if (e % 7 === 3) kind = 'statusline';
        else if (e % 5 === 4) kind = 'Stop';
        else kind = 'PostToolUse';
        if (kind === 'PostToolUse' || kind === 'Stop') gen.appendTurn(s, kind === 'Stop');
        const extra = kind === 'SessionStart' ? { source: phase === 'contention' ? 'startup' : 'resume' } : kind === 'SessionEnd' ? { reason: 'other' } : {};
        const r = await run(kind, s, extra, killAfter(), phase === 'kill' ? manualEnv : env);
        sink.runs++;
        if (r.killed) sink.killed++;
        else (kind === 'statusline' ? sink.statusline : sink.hooks).push(r.ms);
        check(kind, s, r, phase);
        if (phase === 'kill' && kind !== 'statusline' && kind !== 'SessionEnd') {
          // The tracker this hook would have started, in the foreground so that it can be killed too.
          // A tracker run is longer than a hook's: kill times spread over its first 600 ms.
          const t = await run('tracker', s, {}, killAfter() === null ? null : Math.floor(rng() * 600), env);
          sink.trackerRuns++;
          if (t.killed) sink.trackersKilled++;
          check('tracker', s, t, phase);
        }
        if (thinkMs > 0) await sleep(Math.floor(rng() * 2 * thinkMs));
      }
    };

    // Phase 1: contention.
    progress(`contention: ${writers} writers x ${events} events, ${nSessions} sessions, in ${home}`);
    let logAt = logSize(logFile);
    let t0 = Date.now();
    const c = { hooks: [] as number[], statusline: [] as number[], runs: 0, killed: 0, trackerRuns: 0, trackersKilled: 0 };
    await Promise.all(Array.from({ length: writers }, (_, w) => lane(w, events, 'contention', c, () => null)));
    flushAll(sessions);
    figures.contention = {
      runs: c.runs,
      hooks: timing(c.hooks),
      statusline: timing(c.statusline),
      deferred: countDeferred(logFile, logAt),
      ms: Date.now() - t0,
    };
    progress(
      `contention: ${c.runs} runs in ${(figures.contention.ms / 1000).toFixed(1)} s, p50 ${figures.contention.hooks.p50} ms, p99 ${figures.contention.hooks.p99} ms, deferred ${figures.contention.deferred}`,
    );

    // Phase 2: a writer hangs holding the session tracker's lock; every session fires a hook meanwhile.
    if (lockHoldMs > 0) {
      // The contention phase's background tracker may still be writing:
      // let it finish and stop it, so that the only holder of the lock below is this hung writer.
      syncSpool(root, env, home, fail, 'lock-budget');
      stopTracker(configDir);
      logAt = logSize(logFile);
      t0 = Date.now();
      const tracker = path.join(configDir, 'session-tracker.json');
      const before = readFileSync(tracker, 'utf8');
      const release = holdLock(`${tracker}.lock`, lockHoldMs + 5_000);
      const results = await Promise.all(
        sessions.map(async (s) => {
          gen.appendTurn(s, false);
          const r = await run('PostToolUse', s, {}, null);
          check('PostToolUse', s, r, 'lock-budget');
          return r;
        }),
      );
      // The hooks are back at once; the lock stays held to its end, with the tracker waiting on it.
      await sleep(Math.max(0, lockHoldMs - (Date.now() - t0)));
      const held = Date.now() - t0;
      const untouched = readFileSync(tracker, 'utf8') === before;
      const spooled = spoolCount(configDir);
      release();
      flushAll(sessions);
      const deferred = countDeferred(logFile, logAt);
      const maxMs = Math.max(...results.map((r) => r.ms));
      figures.lockBudget = { runs: results.length, held, deferred, spooled, maxMs, ms: Date.now() - t0 };
      if (!untouched) fail('lock-budget: session-tracker.json was written while its lock was held');
      if (spooled === 0) fail(`lock-budget: ${results.length} hooks ran against a held lock but no event waited in the spool`);
      progress(`lock budget: ${results.length} hooks against a held lock, slowest ${maxMs} ms, ${spooled} events waiting in the spool at release`);
    }

    // Phase 3: SIGKILL mid-run.
    if (opts.killPhase !== false) {
      t0 = Date.now();
      const k = { hooks: [] as number[], statusline: [] as number[], runs: 0, killed: 0, trackerRuns: 0, trackersKilled: 0 };
      // Wait for the contention phase's background trackers and stop one still running: from here on,
      // trackers run in the foreground, where they can be killed.
      syncSpool(root, env, home, fail, 'kill');
      stopTracker(configDir);
      // Kill times spread over a hook's whole life as measured under contention.
      const span = Math.max(50, figures.contention.hooks.p99 || 1_000);
      const killAfter = () => (rng() < killShare ? Math.floor(rng() * span) : null);
      progress(`kill: ${writers} writers x ${killEvents} events, ~${Math.round(killShare * 100)}% SIGKILLed within ${span} ms`);
      await Promise.all(Array.from({ length: writers }, (_, w) => lane(w, killEvents, 'kill', k, killAfter)));
      flushAll(sessions);
      const torn = checkFiles(configDir, accountDir);
      for (const t of torn) fail(`kill: ${t}`);
      const locks = findLocks(configDir, accountDir);
      const temps = findTempFiles(configDir, accountDir);
      figures.kill = {
        runs: k.runs,
        killed: k.killed,
        trackerRuns: k.trackerRuns,
        trackersKilled: k.trackersKilled,
        locksLeft: locks.length,
        tempFilesLeft: temps.length,
        ms: Date.now() - t0,
      };
      progress(
        `kill: ${k.runs} hook runs (${k.killed} killed), ${k.trackerRuns} tracker runs (${k.trackersKilled} killed), ${torn.length} bad files, ${locks.length} locks left, ${temps.length} temp files left`,
      );
      // Nothing refreshes a dead writer's lock: wait until the newest is past the stale time.
      const newest = Math.max(0, ...locks.map((l) => l.mtimeMs));
      const wait = newest === 0 ? 0 : newest + STALE_LOCK_MS + 500 - Date.now();
      if (wait > 0) {
        progress(`waiting ${(wait / 1000).toFixed(1)} s for the stale time of the locks left behind`);
        await sleep(wait);
      }
      figures.staleLockRecoveries = locks.length;
    }

    // Phase 4: the next trigger, once per session, one after the other.
    logAt = logSize(logFile);
    const locksBefore = findLocks(configDir, accountDir).map((l) => l.path);
    for (const s of sessions) {
      const r = await run('PostToolUse', s, {}, null);
      check('PostToolUse', s, r, 'catch-up');
      figures.catchUp.runs++;
    }
    syncSpool(root, env, home, fail, 'catch-up');
    figures.catchUp.left = spoolCount(configDir);
    if (figures.catchUp.left > 0) fail(`catch-up: ${figures.catchUp.left} hook events still in the spool after cco sync`);
    figures.catchUp.deferred = countDeferred(logFile, logAt);
    if (figures.catchUp.deferred > 0) fail(`catch-up: ${figures.catchUp.deferred} triggers deferred with nothing else running`);
    figures.staleLockRecoveries = locksBefore.filter((p) => !existsSync(p)).length;
    // A lock on a file the catch-up had no reason to write (say the durable copy, unchanged) is still
    // there: it must be stale, i.e. the next writer of that file takes it over. Be that writer.
    for (const l of findLocks(configDir, accountDir)) {
      try {
        await update(
          l.path.slice(0, -'.lock'.length),
          z.unknown(),
          () => null,
          () => undefined,
          { lockBudgetMs: 1_000 },
        );
        figures.staleLockRecoveries++;
      } catch (e) {
        fail(`lock held past the stale time: ${path.relative(configDir, l.path)} (${(e as Error).message})`);
      }
    }
    const locksAfter = findLocks(configDir, accountDir);
    figures.locksLeft = locksAfter.length;
    for (const l of locksAfter) fail(`lock left after the catch-up: ${path.relative(configDir, l.path)}`);

    // Checks.
    const bad = checkFiles(configDir, accountDir);
    for (const b of bad) fail(b);
    const quarantined = walk(configDir, (p) => /\.corrupt-/.test(path.basename(p)));
    for (const q of quarantined) fail(`quarantined: ${path.relative(configDir, q)}`);
    figures.corrupt = bad.length + quarantined.length;
    const report = cliReport(root, env, home);
    compare(figures, sessions, report, configDir, expectedMalformed, fail);
    figures.logErrors = logErrors(logFile);
    if (figures.logErrors > 0) fail(`${figures.logErrors} error lines in cco.log, first: ${firstLogError(logFile)}`);
  } finally {
    figures.elapsedMs = Date.now() - started;
    if (opts.keep !== true) {
      // A tracker a hook started may still be writing its last files.
      removeTempHome(home, [configDir], 30_000);
    }
  }
  return figures;
}

/** One line per figure, as docs/RELIABILITY.md shows them. Pure. */
export function renderFigures(f: StressFigures): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const t = (x: Timing) => `p50 ${n(x.p50)} ms, p99 ${n(x.p99)} ms, max ${n(x.max)} ms`;
  const lostTotal = f.lost.entries + f.lost.toolCalls + f.lost.tokens + f.lost.blocks + f.lost.malformed + f.lost.sessions;
  const lines = [
    `cco stress: ${f.writers} writers, ${f.sessions} sessions, ${f.thinkMs > 0 ? `~${n(f.thinkMs)} ms between a writer's events` : 'back to back'}, ${f.cores} cores (load ${f.loadAtStart.toFixed(1)} at start), node ${f.node}, seed ${f.seed}`,
    `contention:  ${n(f.contention.runs)} runs in ${(f.contention.ms / 1000).toFixed(1)} s (${(f.contention.runs / Math.max(0.001, f.contention.ms / 1000)).toFixed(1)} runs/s); hook wall time ${t(f.contention.hooks)}; statusline ${t(f.contention.statusline)}; deferred by the lock budget ${n(f.contention.deferred)}`,
  ];
  if (f.lockBudget)
    lines.push(
      `lock budget: ${f.lockBudget.runs} hooks while a writer held the session tracker's lock ${(f.lockBudget.held / 1000).toFixed(1)} s: all exited 0, slowest ${n(f.lockBudget.maxMs)} ms; ${f.lockBudget.spooled} events waited in the spool for the tracker`,
    );
  if (f.kill)
    lines.push(
      `kill:        ${n(f.kill.runs)} hook runs (${n(f.kill.killed)} SIGKILLed mid-run), ${n(f.kill.trackerRuns)} tracker runs (${n(f.kill.trackersKilled)} SIGKILLed); ${f.kill.locksLeft} locks and ${f.kill.tempFilesLeft} temp files left behind`,
    );
  lines.push(`catch-up:    ${f.catchUp.runs} triggers then cco sync: ${f.catchUp.left} events left in the spool, ${f.catchUp.deferred} deferred`);
  lines.push(`transcripts: ${n(f.transcriptLines)} lines appended while the hooks ran, ${n(f.usageEntries)} usage entries, ${n(f.toolCalls)} tool calls`);
  lines.push(
    `writers=${f.writers} events=${n(f.events)} lost=${lostTotal} corrupt=${f.corrupt} stale-lock-recoveries=${f.staleLockRecoveries} locks-left=${f.locksLeft} p50=${n(f.contention.hooks.p50)}ms p99=${n(f.contention.hooks.p99)}ms`,
  );
  lines.push(f.failures.length === 0 ? 'result: PASS' : `result: FAIL (${f.failures.length})\n${f.failures.map((x) => `  - ${x}`).join('\n')}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Sessions and transcripts

function makeSessions(configDir: string, n: number, rng: () => number): SessionSim[] {
  return Array.from({ length: n }, (_, i) => {
    const sid = uuid(rng);
    const cwd = `/stress/project-${i % 4}`;
    const dir = path.join(configDir, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(dir, { recursive: true });
    const transcript = path.join(dir, `${sid}.jsonl`);
    const agentId = `a${sid.slice(0, 8)}`;
    const subagent = i % 3 === 0 ? path.join(dir, sid, 'subagents', `agent-${agentId}.jsonl`) : null;
    if (subagent) mkdirSync(path.dirname(subagent), { recursive: true });
    return {
      index: i,
      sid,
      cwd,
      transcript,
      subagent,
      agentId,
      turn: 0,
      pending: null,
      parent: null,
      expected: { tokens: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }, entries: 0, tools: {} },
    };
  });
}

function flushPending(s: SessionSim): void {
  if (s.pending === null) return;
  clearTimeout(s.pending.timer);
  appendFileSync(s.pending.file, s.pending.rest);
  s.pending = null;
}

function flushAll(sessions: SessionSim[]): void {
  for (const s of sessions) flushPending(s);
}

/**
 * Appends one turn to the session's transcript(s) and adds what it holds to `s.expected`. Half of the
 * writes are split in two at a random byte, the rest written 0-40 ms later (or by the next turn).
 */
function appendTurn(s: SessionSim, rng: () => number, final: boolean): { lines: number; malformed: number } {
  flushPending(s);
  s.turn++;
  const ts = new Date().toISOString();
  const base = { sessionId: s.sid, cwd: s.cwd, version: '2.1.329', gitBranch: 'main', userType: 'external' };
  const lines: string[] = [];
  let malformed = 0;
  const uuidNext = () => {
    const u = uuid(rng);
    const p = s.parent;
    s.parent = u;
    return { uuid: u, parentUuid: p };
  };
  const usage = (): Tokens => ({
    input_tokens: 1 + Math.floor(rng() * 2_000),
    output_tokens: 1 + Math.floor(rng() * 900),
    cache_creation_input_tokens: Math.floor(rng() * 5_000),
    cache_read_input_tokens: Math.floor(rng() * 80_000),
  });
  const count = (u: Tokens) => {
    const e = s.expected;
    e.entries++;
    e.tokens.input_tokens += u.input_tokens;
    e.tokens.output_tokens += u.output_tokens;
    e.tokens.cache_creation_input_tokens += u.cache_creation_input_tokens;
    e.tokens.cache_read_input_tokens += u.cache_read_input_tokens;
  };
  const tool = (name: string) => {
    s.expected.tools[name] = (s.expected.tools[name] ?? 0) + 1;
  };

  // A user prompt or an attachment, and now and then a record type nobody knows yet.
  lines.push(
    JSON.stringify({
      ...base,
      ...uuidNext(),
      type: 'attachment',
      timestamp: ts,
      attachment: { type: 'hook_success', hookName: 'PostToolUse', content: 'ok ✓ café' },
    }),
  );
  if (rng() < 0.3) lines.push(JSON.stringify({ ...base, type: 'x-future-record', timestamp: ts, payload: { nested: [1, { deep: 'ünïcödé 🚀' }] } }));

  const msgId = `msg_${s.sid.slice(0, 8)}_${s.turn}`;
  const requestId = `req_${s.sid.slice(9, 13)}_${s.turn}`;
  const u = usage();
  const model = 'claude-opus-4-5';
  const assistant = (content: unknown[], stop: string | null, usageNow: Tokens) =>
    JSON.stringify({
      ...base,
      ...uuidNext(),
      type: 'assistant',
      timestamp: ts,
      isSidechain: false,
      requestId,
      message: { id: msgId, model, role: 'assistant', type: 'message', stop_reason: stop, content, usage: { ...usageNow, service_tier: 'standard' } },
    });
  // The streamed copy Claude Code writes first: same key, partial output count.
  lines.push(assistant([{ type: 'thinking', thinking: 'Let me look…', signature: '' }], null, { ...u, output_tokens: 1 }));
  if (final) {
    lines.push(assistant([{ type: 'text', text: 'Done — all good.' }], 'end_turn', u));
    count(u);
  } else {
    const parallel = rng() < 0.35 ? 2 : 1;
    const uses: { id: string; name: string }[] = [];
    for (let k = 0; k < parallel; k++) {
      const name = TOOLS[Math.floor(rng() * TOOLS.length)]!;
      const id = `toolu_${s.sid.slice(0, 6)}_${s.turn}_${k}`;
      uses.push({ id, name });
      const input =
        name === 'Task'
          ? { description: 'look', prompt: 'search the repo', subagent_type: 'Explore' }
          : { command: `echo ${s.turn}`, file_path: `/stress/f${k}.ts` };
      lines.push(assistant([{ type: 'tool_use', id, name, input }], 'tool_use', u));
      tool(name);
    }
    count(u);
    const results = uses.map((x) =>
      JSON.stringify({
        ...base,
        ...uuidNext(),
        type: 'user',
        timestamp: ts,
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: x.id, content: `output of ${x.name} ${'x'.repeat(Math.floor(rng() * 400))}` }] },
        toolUseResult: { stdout: 'ok', stderr: '' },
      }),
    );
    // Now and then two records on one line (concatenated objects).
    if (results.length === 2 && rng() < 0.5) lines.push(results.join(''));
    else lines.push(...results);
  }
  // A subagent's turn embedded in the parent transcript (progress record): it counts.
  if (rng() < 0.2) {
    const pu = usage();
    lines.push(
      JSON.stringify({
        ...base,
        type: 'progress',
        timestamp: ts,
        parentToolUseID: `toolu_${s.sid.slice(0, 6)}_${s.turn}_0`,
        data: {
          type: 'agent_progress',
          message: {
            type: 'assistant',
            requestId: `${requestId}_p`,
            timestamp: ts,
            message: { id: `${msgId}_p`, model: 'claude-haiku-4-5', role: 'assistant', content: [{ type: 'text', text: 'sub' }], usage: pu },
          },
        },
      }),
    );
    count(pu);
  }
  // Bookkeeping records Claude Code writes.
  if (rng() < 0.3)
    lines.push(JSON.stringify({ type: 'cost-state', totalCostUSD: 0.01 * s.turn, modelUsage: { [model]: { inputTokens: 1, outputTokens: 1 } } }));
  // Garbage now and then (a crashed writer, a disk error): counted as malformed, never as usage.
  if (rng() < 0.05) {
    lines.push(rng() < 0.5 ? 'garbage \u0001\u0002\u0003 not json {' : '{"type":"assistant","message":{"usage":{"input_tokens":5');
    malformed++;
  }
  writeSplit(s, s.transcript, lines.join('\n') + '\n', rng);
  let n = lines.length;

  if (s.subagent !== null && s.turn % 3 === 0) {
    const su = usage();
    const id = `toolu_sub_${s.sid.slice(0, 6)}_${s.turn}`;
    const sub = [
      JSON.stringify({
        ...base,
        uuid: uuid(rng),
        parentUuid: null,
        type: 'assistant',
        timestamp: ts,
        isSidechain: true,
        agentId: s.agentId,
        requestId: `${requestId}_s`,
        message: {
          id: `${msgId}_s`,
          model: 'claude-haiku-4-5',
          role: 'assistant',
          stop_reason: 'tool_use',
          content: [{ type: 'tool_use', id, name: 'Grep', input: { pattern: 'x' } }],
          usage: su,
        },
      }),
      JSON.stringify({
        ...base,
        uuid: uuid(rng),
        type: 'user',
        timestamp: ts,
        isSidechain: true,
        agentId: s.agentId,
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'found' }] },
      }),
    ];
    count(su);
    tool('Grep');
    appendFileSync(s.subagent, sub.join('\n') + '\n');
    n += sub.length;
  }
  return { lines: n, malformed };
}

/**
 * Writes `text` to `file`, half the time in two parts cut at a random byte (maybe inside a multi-byte
 * character): the rest follows 0-40 ms later, or with the session's next write.
 */
function writeSplit(s: SessionSim, file: string, text: string, rng: () => number): void {
  if (rng() < 0.5) {
    appendFileSync(file, text);
    return;
  }
  const buf = Buffer.from(text, 'utf8');
  const cut = 1 + Math.floor(rng() * (buf.length - 1));
  appendFileSync(file, buf.subarray(0, cut));
  const timer = setTimeout(
    () => {
      if (s.pending?.timer === timer) flushPending(s);
    },
    Math.floor(rng() * 40),
  );
  s.pending = { file, rest: buf.subarray(cut), timer };
}

// ---------------------------------------------------------------------------------------------------
// Payloads

function hookFile(root: string, kind: Exclude<HookKind, 'statusline'>): string {
  const file = {
    SessionStart: 'dist/hooks/session-start.cjs',
    PostToolUse: 'hooks/post-tool-use.sh',
    Stop: 'dist/hooks/stop.cjs',
    SessionEnd: 'hooks/session-end.sh',
  }[kind];
  return path.join(root, file);
}

/** Hook events waiting in the spool for the background tracker. */
function spoolCount(configDir: string): number {
  // What the tracker takes (src/front/spool.ts listSpool): entries, raw hook files and pokes.
  return safeReaddir(path.join(configDir, 'cco', 'spool')).filter((n) => !n.startsWith('.') && (n.endsWith('.json') || n.startsWith('poke.'))).length;
}

/** `cco sync`: waits for the background trackers and tracks what they left. */
function syncSpool(root: string, env: Record<string, string>, cwd: string, fail: (m: string) => void, where: string): void {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.mjs'), 'sync', '--wait-ms', '60000'], { env, cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) fail(`${where}: cco sync exited ${r.status ?? r.signal}: ${(r.stdout + r.stderr).trim()}`);
}

function hookPayload(kind: HookKind, s: SessionSim, extra: Record<string, unknown>): string {
  const common = { session_id: s.sid, transcript_path: s.transcript, cwd: s.cwd, permission_mode: 'default', hook_event_name: kind };
  if (kind === 'PostToolUse') {
    return JSON.stringify({
      ...common,
      prompt_id: 'p1',
      effort: { level: 'medium' },
      tool_name: 'Bash',
      tool_use_id: `toolu_${s.turn}`,
      tool_input: { command: 'echo hello', description: 'say hello' },
      tool_response: { stdout: 'hello', stderr: '', interrupted: false, isImage: false, noOutputExpected: false },
      duration_ms: 52,
    });
  }
  if (kind === 'Stop') return JSON.stringify({ ...common, stop_hook_active: false, last_assistant_message: 'Done.', background_tasks: [], session_crons: [] });
  if (kind === 'SessionStart') return JSON.stringify({ ...common, model: 'claude-opus-4-5', ...extra });
  return JSON.stringify({ ...common, ...extra });
}

/** The official windows' reset times (epoch s): fixed for the run, as they are for a real window. */
const RESETS = { fiveHour: Math.floor(Date.now() / 3_600_000) * 3_600 + 4 * 3_600, sevenDay: Math.floor(Date.now() / 1000) + 5 * 86_400 };

function statuslinePayload(s: SessionSim, rng: () => number): string {
  const used = 1_000 + Math.floor(rng() * 150_000);
  return JSON.stringify({
    session_id: s.sid,
    transcript_path: s.transcript,
    cwd: s.cwd,
    model: { id: 'claude-opus-4-5', display_name: 'Opus 4.5' },
    workspace: { current_dir: s.cwd, project_dir: s.cwd, added_dirs: [] },
    version: '2.1.329',
    output_style: { name: 'default' },
    cost: { total_cost_usd: 0.01, total_duration_ms: 1000, total_api_duration_ms: 200, total_lines_added: 0, total_lines_removed: 0 },
    context_window: {
      total_input_tokens: used,
      total_output_tokens: 10,
      context_window_size: 200_000,
      current_usage: { input_tokens: 10, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: used - 10 },
      used_percentage: Math.round((used / 200_000) * 100),
      remaining_percentage: 100 - Math.round((used / 200_000) * 100),
    },
    rate_limits: {
      five_hour: { used_percentage: Math.round(rng() * 1000) / 10, resets_at: RESETS.fiveHour },
      seven_day: { used_percentage: Math.round(rng() * 1000) / 10, resets_at: RESETS.sevenDay },
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Processes

function childEnv(home: string, configDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(CLAUDE|ANTHROPIC|CCO_|XDG_|NODE_OPTIONS$|VITEST)/.test(k)) env[k] = v;
  return { ...env, HOME: home, XDG_STATE_HOME: path.join(home, '.local', 'state'), CLAUDE_CONFIG_DIR: configDir };
}

/** The account dir cco uses in a temp home run with childEnv. */
export function accountDirOf(home: string): string {
  return path.join(home, '.local', 'state', 'claude-code-optimizer', 'accounts', 'default');
}

function runProcess(
  args: string[],
  stdin: string,
  env: Record<string, string>,
  cwd: string,
  killAfterMs: number | null,
  timeoutMs: number,
  bin: string = process.execPath,
): Promise<ProcResult> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(bin, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let timedOut = false;
    p.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    p.stdin.on('error', () => undefined); // a killed hook closes its stdin early
    const killer =
      killAfterMs === null
        ? null
        : setTimeout(() => {
            killed = p.kill('SIGKILL');
          }, killAfterMs);
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, timeoutMs);
    p.on('close', (code, signal) => {
      if (killer !== null) clearTimeout(killer);
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      // A kill that came after the process had already exited did not kill it.
      resolve({ code, signal, stdout, stderr, ms: Math.round(ms), killed: killed && signal === 'SIGKILL', timedOut });
    });
    p.stdin.end(stdin);
  });
}

/**
 * Holds a lock the way a hung writer would: a `<file>.lock` dir kept fresh. Takes it as a writer would:
 * waits (up to 30 s) while another process holds it. Returns the release.
 */
function holdLock(lockDir: string, maxMs: number): () => void {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > until) throw e;
      sleepSync(50);
    }
  }
  const touch = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(lockDir, now, now);
    } catch {
      // released
    }
  }, 1_000);
  const guard = setTimeout(() => release(), maxMs);
  const release = () => {
    clearInterval(touch);
    clearTimeout(guard);
    try {
      rmdirSync(lockDir);
    } catch {
      // already gone
    }
  };
  return release;
}

/** `cco report --json --no-cache` on the stress config dir: the accounting rule on the transcripts, no cache. */
function cliReport(root: string, env: Record<string, string>, cwd: string): Report {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.mjs'), 'report', '--json', '--no-cache'], {
    env,
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`cco report failed (${r.status ?? r.signal}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
  return JSON.parse(r.stdout) as Report;
}

// ---------------------------------------------------------------------------------------------------
// Checks

interface Report {
  sessions: Record<string, Tokens>;
  blocks: ({ start: string; entries: number } & Tokens)[];
  totals: Tokens;
  stats: { entries: number; malformedLines: number };
}

interface TrackedSession {
  tokens: Tokens;
  entries: number;
  tools: Record<string, { calls: number }>;
}

/**
 * What the state files say against what the transcripts hold: per session tokens, entries and tool
 * calls (session-tracker.json) against the generator and the report; the quota tracker's blocks against
 * the report's blocks; malformed lines in the caches against the garbage lines written. Fills `f.lost`.
 */
function compare(f: StressFigures, sessions: SessionSim[], report: Report, configDir: string, expectedMalformed: number, fail: (m: string) => void): void {
  const tracker = JSON.parse(readFileSync(path.join(configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, TrackedSession> };
  const fields = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const;
  const tokenDiff = (a: Tokens, b: Tokens) => fields.reduce((n, k) => n + Math.abs(a[k] - b[k]), 0);
  for (const s of sessions) {
    const want = s.expected;
    f.usageEntries += want.entries;
    f.toolCalls += Object.values(want.tools).reduce((n, x) => n + x, 0);
    // The generator and the accounting rule (no cache) must agree, or the comparison proves nothing.
    const rep = report.sessions[s.sid];
    if (rep === undefined || tokenDiff(rep, want.tokens) !== 0)
      fail(`truth: report --no-cache says ${JSON.stringify(rep)} for ${s.sid}, the generator wrote ${JSON.stringify(want.tokens)}`);
    const got = tracker.sessions[s.sid];
    if (got === undefined) {
      f.lost.sessions++;
      fail(`session ${s.sid} is not in session-tracker.json`);
      continue;
    }
    const dt = tokenDiff(got.tokens, want.tokens);
    const de = Math.abs(got.entries - want.entries);
    const names = new Set([...Object.keys(want.tools), ...Object.keys(got.tools)]);
    let dc = 0;
    for (const name of names) dc += Math.abs((got.tools[name]?.calls ?? 0) - (want.tools[name] ?? 0));
    f.lost.tokens += dt;
    f.lost.entries += de;
    f.lost.toolCalls += dc;
    if (dt + de + dc > 0)
      fail(
        `session ${s.sid}: tracked ${got.entries} entries ${JSON.stringify(got.tokens)} tools ${JSON.stringify(Object.fromEntries(Object.entries(got.tools).map(([k, v]) => [k, v.calls])))}, transcripts hold ${want.entries} entries ${JSON.stringify(want.tokens)} tools ${JSON.stringify(want.tools)}`,
      );
  }
  const extra = Object.keys(report.sessions).filter((sid) => !sessions.some((s) => s.sid === sid));
  if (extra.length > 0) fail(`report has sessions the generator never wrote: ${extra.join(', ')}`);

  const quota = JSON.parse(readFileSync(path.join(accountDirOf(path.dirname(configDir)), 'quota-tracker.json'), 'utf8')) as {
    blocks: { start: string; entries: number; tokens: Tokens }[];
  };
  const key = (start: string, entries: number, t: Tokens) => `${Date.parse(start)}|${entries}|${fields.map((k) => t[k]).join(',')}`;
  const want = report.blocks.map((b) => key(b.start, b.entries, b));
  const got = quota.blocks.map((b) => key(b.start, b.entries, b.tokens));
  if (want.join(';') !== got.join(';')) {
    f.lost.blocks = Math.max(1, Math.abs(want.length - got.length));
    fail(`quota-tracker.json blocks ${got.join('; ')} differ from the report's ${want.join('; ')}`);
  }

  const cacheDir = path.join(configDir, 'cco', 'cache', 'transcripts');
  let malformed = 0;
  for (const n of safeReaddir(cacheDir)) {
    if (!n.endsWith('.json')) continue;
    const c = JSON.parse(readFileSync(path.join(cacheDir, n), 'utf8')) as { digest: { malformedLines: number } };
    malformed += c.digest.malformedLines;
  }
  if (malformed !== expectedMalformed) {
    f.lost.malformed = Math.abs(malformed - expectedMalformed);
    fail(`the transcript caches count ${malformed} malformed lines, ${expectedMalformed} garbage lines were written`);
  }
  if (report.stats.malformedLines !== expectedMalformed)
    fail(`report --no-cache counts ${report.stats.malformedLines} malformed lines, ${expectedMalformed} were written`);
}

/** Every JSON file of ours parses; the state files pass their schemas. Returns one line per bad file. */
function checkFiles(configDir: string, accountDir: string): string[] {
  const bad: string[] = [];
  const schemas: [string, { safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } } }][] = [
    [path.join(configDir, 'session-tracker.json'), SessionTrackerSchema],
    [path.join(accountDir, 'quota-tracker.json'), QuotaTrackerSchema],
    [path.join(configDir, 'cco', 'handoffs', 'pending.json'), HandoffIndexSchema],
    [path.join(accountDir, 'quota-durable.json'), DurableQuotaSchema],
  ];
  const files = [
    ...readdirSync(configDir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => path.join(configDir, n)),
    ...walk(path.join(configDir, 'cco'), (p) => p.endsWith('.json')),
    ...walk(accountDir, (p) => p.endsWith('.json')),
  ];
  const cacheDir = path.join(configDir, 'cco', 'cache', 'transcripts');
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      bad.push(`${path.relative(configDir, file)} does not parse: ${(e as Error).message}`);
      continue;
    }
    const schema = schemas.find(([p]) => p === file)?.[1] ?? (path.dirname(file) === cacheDir ? TranscriptCursorSchema : null);
    if (schema !== null) {
      const r = schema.safeParse(value);
      if (!r.success) bad.push(`${path.relative(configDir, file)} fails its schema: ${r.error?.issues[0]?.path.join('.')}: ${r.error?.issues[0]?.message}`);
    }
  }
  return bad;
}

/**
 * Every `*.lock` dir of the state files, with its mtime: the config dir's top level and the folders under
 * its cco/ (not cco/ itself: cco/tracker.lock is held by a background tracker while it stays), and the
 * account dir (when given) and below.
 */
export function findLocks(configDir: string, accountDir?: string): { path: string; mtimeMs: number }[] {
  const out: { path: string; mtimeMs: number }[] = [];
  const dirs = [configDir, ...walkDirs(path.join(configDir, 'cco')), ...(accountDir === undefined ? [] : [accountDir, ...walkDirs(accountDir)])];
  for (const d of dirs) {
    for (const n of safeReaddir(d)) {
      if (!n.endsWith('.lock')) continue;
      try {
        out.push({ path: path.join(d, n), mtimeMs: statSync(path.join(d, n)).mtimeMs });
      } catch {
        // released meanwhile
      }
    }
  }
  return out;
}

/** write-file-atomic's temp files (`<file>.json.<number>`) left by writers killed before their rename. */
export function findTempFiles(configDir: string, accountDir: string): string[] {
  const re = /\.json\.\d+$/;
  return [
    ...safeReaddir(configDir)
      .filter((n) => re.test(n))
      .map((n) => path.join(configDir, n)),
    ...walk(path.join(configDir, 'cco'), (p) => re.test(path.basename(p))),
    ...walk(accountDir, (p) => re.test(path.basename(p))),
  ];
}

function walk(dir: string, keep: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const d of [dir, ...walkDirs(dir)]) {
    for (const n of safeReaddir(d)) {
      const p = path.join(d, n);
      try {
        if (statSync(p).isFile() && keep(p)) out.push(p);
      } catch {
        // gone
      }
    }
  }
  return out;
}

function walkDirs(dir: string): string[] {
  const out: string[] = [];
  for (const n of safeReaddir(dir)) {
    const p = path.join(dir, n);
    try {
      if (statSync(p).isDirectory() && !n.endsWith('.lock')) out.push(p, ...walkDirs(p));
    } catch {
      // gone
    }
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function logLinesFrom(file: string, from: number): { level: string; msg: string }[] {
  let text: string;
  try {
    text = readFileSync(file).subarray(from).toString('utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as { level: string; msg: string };
      } catch {
        return { level: 'unparsed', msg: l };
      }
    });
}

function countDeferred(file: string, from: number): number {
  return logLinesFrom(file, from).filter((l) => /deferred to the next trigger/.test(l.msg)).length;
}

function logErrors(file: string): number {
  return logLinesFrom(file, 0).filter((l) => l.level !== 'info' && l.level !== 'warn').length;
}

function firstLogError(file: string): string {
  return logLinesFrom(file, 0).find((l) => l.level !== 'info' && l.level !== 'warn')?.msg ?? '';
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function timing(ms: number[]): Timing {
  if (ms.length === 0) return { runs: 0, p50: 0, p99: 0, max: 0 };
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { runs: s.length, p50: q(0.5), p99: q(0.99), max: s.at(-1)! };
}

function uuid(rng: () => number): string {
  const h = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
