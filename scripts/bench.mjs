#!/usr/bin/env node
// `npm run bench` (issue 7): what cco costs, measured side by side in one run, as ratios.
//
//   1. Each hook (SessionStart, PostToolUse, Stop) and the statusline, as installed (the dist bundles, real
//      payloads, a real state of 50 live sessions; before each hook run one more response is appended to
//      the session's transcript and the previous event is tracked, as in a live session where the API
//      takes seconds between tool calls), against `node -e 0`: median wall-time ratio. The hooks are fronts
//      that hand the tracking to a background tracker (dist/tracker.mjs); rows show them with the tracker
//      running (a working session), with no tracker running (the hook starts one: a session's first event,
//      or one after 15 idle minutes), and what the tracker itself costs per event (in the background:
//      nobody waits for it). The hooks' work is
//      checked: after the runs the session's tokens in the state equal a fresh scan of its transcript.
//   2. A deterministic synthetic history (scripts/gen-history.mjs; 1 GB by default, `--size` for less):
//      `cco report --json` cold (no cache, no state) against the peer `ccusage claude daily --json
//      --offline` (ccusage 20.0.24, installed on first use into a cache folder); warm (nothing changed) against the peer; incremental
//      (1 MB or 4 MB appended to one file; again +1 MB on a history 8x smaller): its cost over the warm run
//      of the same round, split into a fixed part and a part per MB appended. With `--size` above 256 MB,
//      cold and warm against the peer on a 256 MB history as well (where fixed costs show more).
//   3. `cco status` (/session-status) with the 50 live sessions, against `node -e 0`.
//   4. Peak memory of each of the above.
//   5. In a real session (scripts/bench-session.ts, run through tsx): what cco adds to each tool call of the
//      pinned Claude Code CLI against a mock API answering in 400 ms, with vs without the plugin, interleaved
//      (`--session-runs` rounds; `--calibrate` adds a PostToolUse `sleep 0.3` plugin that must show ~300 ms;
//      `--verbose` prints each run's gaps). Skipped, with the reason, when the pinned CLI is not cached.
// Then the correctness check: the cold, warm and incremental reports must equal a fresh full scan
// (`cco report --json --no-cache`) byte for byte; the bench exits 1 when they do not.
//
// Everything runs under a temp HOME and CLAUDE_CONFIG_DIR this script creates (never ~/.claude) and is
// removed at the end (`--keep` keeps it). Timing: hyperfine when installed (`--export-json`), else the
// paired runner of bench-run.mjs (`--runner paired` forces it). It is not part of `npm test`.
//
//   node scripts/bench.mjs [--size 1GB] [--runs 15] [--report-runs 5] [--runner hyperfine|paired]
//                          [--only hooks,status,report,session] [--keep] [--timeout-sec 900]
//                          [--session-runs 5] [--calibrate] [--verbose]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs as parseCliArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ccoEnvPrefix, hasHyperfine, hyperfineVersion, median, peakRssKb, shellLine, timePaired, timeWithHyperfine } from './bench-run.mjs';
import { appendToSession, generateHistory, parseSize } from './gen-history.mjs';
import { sessionLines } from './bench-session-row.mjs';
import { removeTempHome, stopTracker, stopTrackerShell } from './tracker-stop.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** The second history size of the report rows (issue 19): cold and warm are measured on it too when `--size` is larger. */
const MID_SIZE = 256 << 20;
const DIST = path.join(ROOT, 'dist');
/** The peer, pinned. Not a devDependency: its native packages for other platforms are not in every
 * registry, and an unresolvable optional dependency breaks `npm ci` for everyone. The bench installs
 * it on first use into a cache folder outside the repo ($CCO_BENCH_CACHE, else ~/.cache). */
const PEER_VERSION = '20.0.24';
const PEER_DIR = path.join(process.env.CCO_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'claude-code-optimizer-bench'), `ccusage-${PEER_VERSION}`);
const PEER = path.join(PEER_DIR, 'node_modules', '.bin', 'ccusage');

/** Installs the pinned peer into PEER_DIR if it is not there; false when that fails (peer rows are skipped). */
function ensurePeer() {
  if (existsSync(PEER)) return true;
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', PEER_DIR, `ccusage@${PEER_VERSION}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
  });
  return r.status === 0 && existsSync(PEER);
}
const LIVE_SESSIONS = 50;

function parseArgs(argv) {
  const { values: v } = parseCliArgs({
    args: argv,
    options: {
      size: { type: 'string', default: '1GB' },
      runs: { type: 'string', default: '15' },
      'report-runs': { type: 'string', default: '5' },
      runner: { type: 'string', default: hasHyperfine() ? 'hyperfine' : 'paired' },
      only: { type: 'string', default: 'hooks,status,report,session' },
      keep: { type: 'boolean', default: false },
      'timeout-sec': { type: 'string', default: '900' },
      'session-runs': { type: 'string', default: '5' },
      calibrate: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (v.help) {
    process.stdout.write(
      'usage: node scripts/bench.mjs [--size 1GB] [--runs 15] [--report-runs 5] [--runner hyperfine|paired] [--only hooks,status,report,session] [--keep] [--timeout-sec 900] [--session-runs 5] [--calibrate] [--verbose]\n',
    );
    process.exit(0);
  }
  if (v.runner !== 'hyperfine' && v.runner !== 'paired') throw new Error('--runner is hyperfine or paired');
  if (v.runner === 'hyperfine' && !hasHyperfine()) throw new Error('hyperfine is not installed (apt-get install hyperfine), or use --runner paired');
  return {
    size: parseSize(v.size),
    runs: Math.max(3, Number(v.runs)),
    reportRuns: Math.max(1, Number(v['report-runs'])),
    runner: v.runner,
    only: new Set(v.only.split(',')),
    keep: v.keep,
    timeoutSec: Number(v['timeout-sec']),
    sessionRuns: Math.max(1, Number(v['session-runs'])),
    calibrate: v.calibrate,
    verbose: v.verbose,
  };
}

const opts = parseArgs(process.argv.slice(2));
// Read now: the report is printed at the end, when the bench's own runs have raised it.
const loadAtStart = os.loadavg();
for (const f of ['cli.mjs', 'statusline.cjs', 'tracker.mjs', 'hooks/session-start.cjs', 'hooks/post-tool-use.cjs', 'hooks/stop.cjs']) {
  if (!existsSync(path.join(DIST, f))) throw new Error(`dist/${f} is missing: run npm run build (npm run bench does)`);
}

const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cco-bench-')));
const home = path.join(work, 'home');
mkdirSync(home);
const log = (s) => process.stderr.write(`bench: ${s}\n`);
/** The hook states built so far ([label, state]): their config dirs have trackers to stop before cleanup. */
const states = [];
const cleanup = () => {
  if (opts.keep) log(`kept ${work}`);
  // The states' trackers stay while this process (their CLAUDE_PID) runs: stopped before the files go.
  else
    removeTempHome(
      work,
      states.map(([, st]) => st.cfg),
    );
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

/** A clean environment: no inherited CLAUDE_* / ANTHROPIC_* / NODE_OPTIONS, HOME and the config dir here. */
/** cco's home for a bench config dir (src/claude/account-home.ts): one per state, so the states' config dirs are not one account. */
function ccoHomeOf(configDir) {
  return path.join(path.dirname(configDir), 'cco-home');
}

function envFor(configDir, extra = {}) {
  const base = {};
  for (const k of ['PATH', 'LANG', 'TERM']) if (process.env[k] !== undefined) base[k] = process.env[k];
  return {
    ...base,
    TZ: 'UTC',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    CCO_HOME: ccoHomeOf(configDir),
    CLAUDE_CONFIG_DIR: configDir,
    ...extra,
  };
}

function run(argv, env, input) {
  const r = spawnSync(argv[0], argv.slice(1), { env, input, encoding: 'utf8', maxBuffer: 1 << 30, timeout: opts.timeoutSec * 1000, cwd: home });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr || '').slice(-600)}`);
  return r.stdout;
}

function time(cmds, runs, warmup, perRound = 3) {
  const o = { runs, warmup, dir: work, timeoutSec: opts.timeoutSec, perRound };
  return opts.runner === 'hyperfine' ? timeWithHyperfine(cmds, o) : timePaired(cmds, o);
}

const rows = [];
const failures = [];
const nodeBin = process.execPath;
const bench = (c) => ({ ...c, prepareShell: c.prepareShell ?? 'true' });

// ---------------------------------------------------------------- live states: hooks, statusline, status
/**
 * A config dir with `n` sessions that were active in the last hours (transcripts up to 2 MB each, with
 * subagents), registered the way Claude Code would: each session's SessionStart hook ran (which also
 * built the caches), and the status line ran once with official rate_limits. Returns the payload files
 * of the first session and the commands to time.
 */
function liveState(name, n, seed) {
  const cfg = path.join(work, name, '.claude');
  const nowMs = Date.now();
  generateHistory({ out: cfg, size: parseSize('2MB'), sessions: n, seed, endMs: nowMs - 60_000 });
  const transcripts = [];
  for (const d of readdirSync(path.join(cfg, 'projects'))) {
    for (const f of readdirSync(path.join(cfg, 'projects', d)))
      if (f.endsWith('.jsonl') && !f.startsWith('agent-')) transcripts.push(path.join(cfg, 'projects', d, f));
  }
  transcripts.sort();
  const env = envFor(cfg, { CLAUDE_PID: String(process.pid) });
  const payloadDir = path.join(work, name, 'payloads');
  mkdirSync(payloadDir, { recursive: true });
  const common = (t) => ({ session_id: path.basename(t, '.jsonl'), transcript_path: t, cwd: '/home/dev/work/live', permission_mode: 'default' });
  for (const t of transcripts)
    run(
      [nodeBin, path.join(DIST, 'hooks', 'session-start.cjs')],
      env,
      JSON.stringify({ ...common(t), hook_event_name: 'SessionStart', source: 'startup', model: 'claude-sonnet-4-5-20250929' }),
    );
  run([nodeBin, path.join(DIST, 'cli.mjs'), 'sync', '--wait-ms', '120000'], env);
  const main = transcripts[0];
  const sid = path.basename(main, '.jsonl');
  const resetsAt = Math.floor(nowMs / 1000) + 3 * 3600;
  const payloads = {
    'session-start': {
      ...common(main),
      hook_event_name: 'SessionStart',
      source: 'resume',
      model: 'claude-sonnet-4-5-20250929',
      seconds_since_last_response: 40,
      context_tokens: 91_000,
      prompt_cache_likely_expired: false,
    },
    'post-tool-use': {
      ...common(main),
      prompt_id: '3da9c0de-0000-4000-8000-000000000001',
      effort: { level: 'medium' },
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'npm test', description: 'run the tests' },
      tool_response: { stdout: 'Tests 412 passed (412)\n'.repeat(20), stderr: '', interrupted: false, isImage: false, noOutputExpected: false },
      tool_use_id: 'toolu_01BenchPostToolUse0000001',
      duration_ms: 5210,
    },
    'user-prompt-submit': {
      ...common(main),
      prompt_id: '3da9c0de-0000-4000-8000-000000000002',
      effort: { level: 'medium' },
      hook_event_name: 'UserPromptSubmit',
      prompt: 'now run the linter',
    },
    stop: {
      ...common(main),
      prompt_id: '3da9c0de-0000-4000-8000-000000000001',
      effort: { level: 'medium' },
      hook_event_name: 'Stop',
      stop_hook_active: false,
      last_assistant_message: 'Done: the tests pass.',
      background_tasks: [],
      session_crons: [],
    },
    statusline: {
      session_id: sid,
      transcript_path: main,
      cwd: '/home/dev/work/live',
      prompt_id: '3da9c0de-0000-4000-8000-000000000001',
      effort: { level: 'medium' },
      model: { id: 'claude-sonnet-4-5-20250929', display_name: 'Sonnet 4.5' },
      workspace: { current_dir: '/home/dev/work/live', project_dir: '/home/dev/work/live', added_dirs: [] },
      version: '2.1.329',
      output_style: { name: 'default' },
      cost: { total_cost_usd: 4.21, total_duration_ms: 3_600_000, total_api_duration_ms: 900_000, total_lines_added: 420, total_lines_removed: 96 },
      context_window: {
        total_input_tokens: 91_000,
        total_output_tokens: 1_200,
        context_window_size: 200_000,
        current_usage: { input_tokens: 12, output_tokens: 1_200, cache_creation_input_tokens: 3_000, cache_read_input_tokens: 87_988 },
        used_percentage: 46,
        remaining_percentage: 54,
      },
      exceeds_200k_tokens: false,
      rate_limits: { five_hour: { used_percentage: 37.5, resets_at: resetsAt }, seven_day: { used_percentage: 12.1, resets_at: resetsAt + 4 * 86_400 } },
    },
  };
  const payloadFile = {};
  for (const [k, v] of Object.entries(payloads)) {
    payloadFile[k] = path.join(payloadDir, `${k}.json`);
    writeFileSync(payloadFile[k], JSON.stringify(v));
  }
  run([nodeBin, path.join(DIST, 'statusline.cjs')], env, JSON.stringify(payloads.statusline));
  run([nodeBin, path.join(DIST, 'cli.mjs'), 'sync', '--wait-ms', '120000'], env);
  let seed2 = seed * 1000;
  const sync = (e) => run([nodeBin, path.join(DIST, 'cli.mjs'), 'sync', '--wait-ms', '120000'], e);
  const appendShell = `${shellQuote(nodeBin)} ${shellQuote(path.join(ROOT, 'scripts', 'gen-history.mjs'))} --append ${shellQuote(main)} --bytes 4K --seed $(date +%s%N | cut -c10-18)`;
  const syncShell = (e) => `${envShell(e)} ${shellQuote(nodeBin)} ${shellQuote(path.join(DIST, 'cli.mjs'))} sync --wait-ms 120000 >/dev/null`;
  // No tracker running: one still draining (of the rows before) is stopped (SIGTERM lets go of its lock).
  const noTracker = () => stopTracker(cfg);
  const noTrackerShell = stopTrackerShell(cfg);
  // The PostToolUse hook is a shell front (hooks/post-tool-use.sh), run as hooks.json runs it, with the
  // variables Claude Code gives a plugin's hook; 'first' makes its throttled tracker start due.
  const kick = path.join(cfg, 'cco', 'kick');
  const kickDue = () => {
    if (existsSync(kick)) utimesSync(kick, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  };
  const hookEnvOf = (e) => ({ ...e, CLAUDE_PLUGIN_ROOT: ROOT, CLAUDE_CODE_SESSION_ID: sid });
  const hookCmd = (hook, file, variant = 'running') =>
    bench({
      name: `${hook} hook (${file}${hook === 'post-tool-use' ? ', async' : ''})${variant === 'running' ? '' : ', no tracker running (starts one)'}`,
      argv: file.endsWith('.sh') ? ['/bin/sh', path.join(ROOT, 'hooks', file)] : [nodeBin, path.join(DIST, 'hooks', file)],
      stdin: payloadFile[hook],
      env: hookEnvOf(env),
      // One more response (with its tool results) in the transcript before each run, and the previous
      // event tracked, as in a live session (the model takes seconds between tool calls).
      prepare: () => {
        appendToSession(main, 4096, { seed: seed2++, nowMs: Date.now() });
        sync(env);
        if (variant === 'first') {
          noTracker();
          kickDue();
        }
      },
      prepareShell: `${appendShell} && ${syncShell(env)}${variant === 'first' ? ` && ${noTrackerShell} && { [ ! -e ${shellQuote(kick)} ] || touch -d '1 min ago' ${shellQuote(kick)}; }` : ''}`,
    });
  // The tracker's own cost per event, in the background: the front spools (CCO_TRACKER=manual: it starts
  // none), then the tracker drains that one event and goes.
  const manualEnv = { ...env, CCO_TRACKER: 'manual' };
  const spoolOne = [nodeBin, path.join(DIST, 'hooks', 'post-tool-use.cjs')];
  const trackerCmd = bench({
    name: 'background tracker, per PostToolUse (not waited for)',
    argv: [nodeBin, path.join(DIST, 'tracker.mjs')],
    env,
    prepare: () => {
      appendToSession(main, 4096, { seed: seed2++, nowMs: Date.now() });
      sync(env);
      noTracker();
      run(spoolOne, manualEnv, readFileSync(payloadFile['post-tool-use'], 'utf8'));
    },
    prepareShell: `${appendShell} && ${syncShell(env)} && ${noTrackerShell} && ${envShell(manualEnv)} ${shellQuote(nodeBin)} ${shellQuote(spoolOne[1])} < ${shellQuote(payloadFile['post-tool-use'])}`,
  });
  const state = { cfg, env, sid, main, transcripts, files: describeState(cfg), label: name };
  return {
    state,
    baseline: bench({ name: 'node -e 0', argv: [nodeBin, '-e', '0'], env, stdin: payloadFile['post-tool-use'] }),
    hooks: [
      hookCmd('session-start', 'session-start.cjs'),
      hookCmd('post-tool-use', 'post-tool-use.sh'),
      hookCmd('stop', 'stop.sh'),
      hookCmd('user-prompt-submit', 'user-prompt-submit.sh'),
      bench({ name: 'statusline (dist/statusline.cjs)', argv: [nodeBin, path.join(DIST, 'statusline.cjs')], stdin: payloadFile.statusline, env }),
      hookCmd('post-tool-use', 'post-tool-use.sh', 'first'),
    ],
    tracker: trackerCmd,
    status: bench({ name: 'cco status', argv: [nodeBin, path.join(DIST, 'cli.mjs'), 'status'], env: { ...env, CLAUDE_CODE_SESSION_ID: sid } }),
  };
}

/** Sizes of the state files, for the printed record. */
function describeState(cfg) {
  const size = (f) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  };
  const quota = path.join(ccoHomeOf(cfg), 'accounts', 'default', 'quota-tracker.json');
  return `session-tracker.json ${fmtBytes(size(path.join(cfg, 'session-tracker.json')))}, quota-tracker.json ${fmtBytes(size(quota))}`;
}

function hookRows(group, live, label) {
  log(`hooks and statusline, ${label}: ${opts.runs} runs each (${opts.runner})`);
  const res = time([live.baseline, ...live.hooks], opts.runs, 3);
  const base = res[0].median;
  rows.push({ group, name: `node -e 0 (${label})`, median: base, ratio: 1, vs: '', goal: '', rss: peakRssKb(live.baseline, 60) });
  live.hooks.forEach((c, i) => {
    rows.push({ group, name: c.name, median: res[i + 1].median, ratio: res[i + 1].median / base, vs: 'node -e 0', goal: 1.3, rss: peakRssKb(c, 60) });
  });
  const t = time([live.baseline, live.tracker], opts.runs, 1);
  rows.push({
    group,
    name: live.tracker.name,
    median: t[1].median,
    ratio: t[1].median / t[0].median,
    vs: 'node -e 0',
    goal: 'background',
    rss: peakRssKb(live.tracker, 60),
  });
  checkHookWork(live.state);
  // It would stay while this process (the hooks' CLAUDE_PID) runs, idle; the next rows need no tracker of it.
  stopTracker(live.state.cfg);
}

/**
 * The hooks' work really happened: after the runs (and `cco sync`), the main session's tokens in
 * session-tracker.json equal a fresh full scan of its transcripts (`cco report --json --no-cache`).
 */
function checkHookWork(st) {
  run([nodeBin, path.join(DIST, 'cli.mjs'), 'sync', '--wait-ms', '120000'], st.env);
  const tracked = JSON.parse(readFileSync(path.join(st.cfg, 'session-tracker.json'), 'utf8')).sessions[st.sid];
  const report = JSON.parse(run([nodeBin, path.join(DIST, 'cli.mjs'), 'report', '--json', '--no-cache'], st.env));
  const fresh = report.sessions[st.sid];
  const ok = tracked !== undefined && fresh !== undefined && JSON.stringify(tracked.tokens) === JSON.stringify(fresh);
  hookChecks.push([st.label, ok, tracked?.entries ?? 0]);
  if (!ok)
    failures.push(
      `hooks (${st.label}): the tracked session ${st.sid} differs from a fresh scan: ${JSON.stringify(tracked?.tokens)} vs ${JSON.stringify(fresh?.tokens)}`,
    );
}
const hookChecks = [];

if (opts.only.has('hooks')) {
  log('typical state: 3 sessions of the day, one of them being worked in');
  const typical = liveState('typical', 3, 5);
  states.push(['typical', typical.state]);
  hookRows('hooks-typical', typical, 'typical state');
}
if (opts.only.has('hooks') || opts.only.has('status')) {
  log(`heavy state: ${LIVE_SESSIONS} live sessions`);
  const heavy = liveState('heavy', LIVE_SESSIONS, 7);
  states.push([`${LIVE_SESSIONS} live sessions`, heavy.state]);
  if (opts.only.has('hooks')) hookRows('hooks-heavy', heavy, `${LIVE_SESSIONS} live sessions`);
  if (opts.only.has('status')) {
    log(`cco status with ${LIVE_SESSIONS} live sessions: ${opts.runs} runs`);
    const base = { ...heavy.baseline, stdin: undefined };
    const res = time([base, heavy.status], opts.runs, 2);
    const out = run(heavy.status.argv, heavy.status.env);
    const live = /(\d+) live/i.exec(out)?.[1];
    rows.push({ group: 'status', name: 'node -e 0', median: res[0].median, ratio: 1, vs: '', goal: '', rss: peakRssKb(base, 60) });
    rows.push({
      group: 'status',
      name: `cco status (${LIVE_SESSIONS} live sessions${live ? `, ${live} shown live` : ''})`,
      median: res[1].median,
      ratio: res[1].median / res[0].median,
      vs: 'node -e 0',
      goal: 'none',
      rss: peakRssKb(heavy.status, 120),
    });
  }
}

// ---------------------------------------------------------------- history: cold, warm, incremental vs the peer
let history = null;
if (opts.only.has('report')) {
  const cfg = path.join(work, 'history', '.claude');
  log(`generating a ${fmtBytes(opts.size)} history in ${cfg}`);
  const t0 = Date.now();
  const g = generateHistory({ out: cfg, size: opts.size, seed: 1 });
  history = g;
  log(`  ${g.files} files, ${fmtBytes(g.bytes)}, ${g.sessions} sessions (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const env = envFor(cfg);
  const cli = [nodeBin, path.join(DIST, 'cli.mjs'), 'report', '--json'];
  const stateFiles = [...['cco', 'session-tracker.json'].map((f) => path.join(cfg, f)), ccoHomeOf(cfg)];
  const wipe = () => {
    for (const f of stateFiles) rmSync(f, { recursive: true, force: true });
  };
  const wipeShell = `rm -rf ${stateFiles.map(shellQuote).join(' ')}`;
  // The file that grows: the newest session's transcript, as when a live session goes on.
  const target = newestTranscript(path.join(cfg, 'projects'));
  const MB = 1 << 20;

  const cold = bench({ name: 'cco report --json (cold)', argv: cli, env, prepare: wipe, prepareShell: wipeShell });
  const hasPeer = ensurePeer();
  const peer = hasPeer
    ? bench({ name: 'ccusage claude daily --json --offline', argv: [PEER, 'claude', 'daily', '--json', '--offline'], env, prepareShell: 'true' })
    : null;
  if (!hasPeer) log(`ccusage@${PEER_VERSION} could not be installed into ${PEER_DIR}: peer comparisons skipped`);
  log(`cold scan${hasPeer ? ' and the peer' : ''}: ${opts.reportRuns} runs each`);
  // One untimed pass of each first: the history in the page cache for both, alike.
  // (its report gives the history's line and entry counts, before the bench appends to it)
  const firstOut = JSON.parse(run(cli, env));
  history.entries = firstOut.stats.entries;
  history.lines = firstOut.stats.lines;
  if (peer) run(peer.argv, env);
  const coldRes = time(peer ? [peer, cold] : [cold], opts.reportRuns, 0, 1);
  const peerMed = peer ? coldRes[0].median : NaN;
  const coldMed = coldRes[peer ? 1 : 0].median;

  // Warm (nothing changed since the last run) and incremental (1 MB or 4 MB appended to one file before
  // each run), timed in the same rounds so the difference is the increment's own cost.
  wipe();
  run(cli, env);
  log(`warm and incremental (+1 MB, +4 MB): ${opts.runs} runs each`);
  const [warmRes, incr1Res, incr4Res] = time([warmBench(cli, env), incrBench(cli, env, target.file, 1), incrBench(cli, env, target.file, 4)], opts.runs, 1, 1);
  const warmMed = warmRes.median;
  // The same on a history 8x smaller: what an increment costs must not follow the history's size.
  const smallCfg = path.join(work, 'history-small', '.claude');
  const small = generateHistory({ out: smallCfg, size: Math.round(opts.size / 8), seed: 2 });
  const smallEnv = envFor(smallCfg);
  run(cli, smallEnv);
  log(`the same on a ${fmtBytes(small.bytes)} history: ${opts.runs} runs each`);
  const [smallWarm, smallIncr] = time(
    [warmBench(cli, smallEnv), incrBench(cli, smallEnv, newestTranscript(path.join(smallCfg, 'projects')).file, 1)],
    opts.runs,
    1,
    1,
  );

  if (peer)
    rows.push({
      group: 'report',
      name: 'ccusage claude daily --json --offline',
      median: peerMed,
      ratio: 1,
      vs: '',
      goal: '',
      rss: peakRssKb(peer, opts.timeoutSec),
    });
  rows.push({
    group: 'report',
    name: 'cco report --json, cold (no cache, no state)',
    median: coldMed,
    ratio: coldMed / peerMed,
    vs: 'ccusage',
    goal: 1.0,
    rss: peakRssKb(cold, opts.timeoutSec),
  });
  rows.push({
    group: 'report',
    name: 'cco report --json, warm (nothing changed)',
    median: warmMed,
    ratio: warmMed / peerMed,
    vs: 'ccusage',
    goal: 0.1,
    rss: peakRssKb(warmBench(cli, env), opts.timeoutSec),
  });
  for (const [mb, res] of [
    [1, incr1Res],
    [4, incr4Res],
  ]) {
    rows.push({
      group: 'report',
      name: `cco report --json, incremental (+${mb} MB to one file)`,
      median: res.median,
      ratio: res.median / peerMed,
      vs: 'ccusage',
      goal: null,
      rss: peakRssKb(incrBench(cli, env, target.file, mb), opts.timeoutSec),
    });
  }
  // The same cold and warm rows on a 256 MB history when the main one is larger (issue 19): the report's
  // fixed costs (start-up, worker pool, cache write) weigh more on a smaller history than on 1 GB.
  if (opts.size > MID_SIZE && peer) {
    const midCfg = path.join(work, 'history-256', '.claude');
    const mid = generateHistory({ out: midCfg, size: MID_SIZE, seed: 3 });
    const midEnv = envFor(midCfg);
    const midState = [...['cco', 'session-tracker.json'].map((f) => path.join(midCfg, f)), ccoHomeOf(midCfg)];
    const midWipe = () => {
      for (const f of midState) rmSync(f, { recursive: true, force: true });
    };
    const midCold = bench({
      name: 'cco report --json (cold, 256 MB)',
      argv: cli,
      env: midEnv,
      prepare: midWipe,
      prepareShell: `rm -rf ${midState.map(shellQuote).join(' ')}`,
    });
    const midPeer = bench({ name: 'ccusage (256 MB)', argv: peer.argv, env: midEnv });
    log(`the cold scan and the peer on a ${fmtBytes(mid.bytes)} history: ${opts.reportRuns} runs each; warm: ${opts.runs}`);
    run(cli, midEnv);
    run(peer.argv, midEnv);
    const [midPeerRes, midColdRes] = time([midPeer, midCold], opts.reportRuns, 0, 1);
    midWipe();
    run(cli, midEnv);
    const [midWarmRes] = time([warmBench(cli, midEnv)], opts.runs, 1, 1);
    rows.push({
      group: 'report',
      name: `ccusage claude daily --json --offline (${fmtBytes(mid.bytes)})`,
      median: midPeerRes.median,
      ratio: 1,
      vs: '',
      goal: '',
      rss: peakRssKb(midPeer, opts.timeoutSec),
    });
    rows.push({
      group: 'report',
      name: `cco report --json, cold (${fmtBytes(mid.bytes)})`,
      median: midColdRes.median,
      ratio: midColdRes.median / midPeerRes.median,
      vs: 'ccusage',
      goal: 1.0,
      rss: peakRssKb(midCold, opts.timeoutSec),
    });
    rows.push({
      group: 'report',
      name: `cco report --json, warm (${fmtBytes(mid.bytes)})`,
      median: midWarmRes.median,
      ratio: midWarmRes.median / midPeerRes.median,
      vs: 'ccusage',
      goal: 0.1,
      rss: peakRssKb(warmBench(cli, midEnv), opts.timeoutSec),
    });
  }
  const extra1 = pairedExtra(incr1Res, warmRes);
  const extra4 = pairedExtra(incr4Res, warmRes);
  const extraSmall = pairedExtra(smallIncr, smallWarm);
  history.incremental = {
    target: `${path.basename(target.file)} (${fmtBytes(target.size)} before the appends)`,
    extra1,
    extra4,
    extraSmall,
    smallBytes: small.bytes,
    smallWarm: smallWarm.median,
  };
  // cost = fixed + perMb x MB: the slope from +1 MB and +4 MB. Follows the appended bytes: a slope that is
  // there. Not the history: +1 MB on the 8x larger history costs no more than on the smaller one, give or
  // take a quarter or 3 ms (a cost that followed the history would be about 8x; one that costs less on
  // the larger history is noise, not a dependence on it).
  const x = history.incremental;
  x.perMb = (extra4 - extra1) / 3;
  x.fixed = extra1 - x.perMb;
  x.proportional = x.perMb > 0 && extra1 - extraSmall <= Math.max(extraSmall / 4, 0.003);

  // Correctness: each kind of run against a fresh full scan of the same bytes.
  log('correctness: cold, warm and incremental reports against a fresh full scan (--no-cache)');
  const fresh = () => run([...cli, '--no-cache'], env);
  wipe();
  const checks = [];
  const coldOut = run(cli, env);
  checks.push(['cold', coldOut, fresh()]);
  checks.push(['warm', run(cli, env), fresh()]);
  appendToSession(target.file, MB, { seed: 99_999, nowMs: Date.parse('2026-10-31T13:00:00Z') });
  checks.push(['incremental', run(cli, env), fresh()]);
  for (const [name, got, want] of checks) {
    const ok = got === want;
    if (!ok) failures.push(`${name} report differs from the fresh full scan`);
    history[`check_${name}`] = ok;
  }
}

// ---------------------------------------------------------------- in a real session: extra per tool call
let session = null;
if (opts.only.has('session')) session = sessionBench();

/**
 * Runs scripts/bench-session.ts through tsx (the mock and the sandbox are the e2e harness's TypeScript) and
 * returns its JSON result: the paired figures, `{ skipped }` or `{ error }` (a failure of the bench).
 */
function sessionBench() {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  if (!existsSync(tsx)) return { skipped: 'tsx is not installed (npm install)' };
  const args = [
    path.join(ROOT, 'scripts', 'bench-session.ts'),
    '--json',
    '--runs',
    String(opts.sessionRuns),
    ...(opts.calibrate ? ['--calibrate'] : []),
    ...(opts.verbose ? ['--verbose'] : []),
  ];
  log(
    `in a real session: ${opts.sessionRuns} rounds of the pinned Claude Code CLI with and without cco${opts.calibrate ? ' (and the calibration plugin)' : ''}`,
  );
  // Each run has its own kill timer (bench-session.ts --timeout-sec); this one is only a backstop.
  const r = spawnSync(tsx, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: opts.sessionRuns * 3 * 300_000 });
  let res;
  try {
    res = JSON.parse(r.stdout.trim().split('\n').at(-1));
  } catch {
    res = { error: `bench-session.ts exited ${r.status ?? r.signal} without a result` };
  }
  if (res.error) failures.push(`in-session: ${res.error}`);
  return res;
}

// ---------------------------------------------------------------- output
printReport();
cleanup();
process.exitCode = failures.length > 0 ? 1 : 0;

function printReport() {
  const out = [];
  out.push('cco bench');
  out.push(machine());
  if (rows.length > 0)
    out.push(
      `runner: ${opts.runner === 'hyperfine' ? `${hyperfineVersion()}, in rounds that rotate the commands` : 'paired, alternating'}; median of ${opts.runs} runs (cold report and peer: ${opts.reportRuns})`,
    );
  for (const [label, st] of states) out.push(`state, ${label}: ${st.files}`);
  if (history)
    out.push(
      `history: ${fmtBytes(history.bytes)} in ${history.files} files (${history.sessions} sessions, seed 1), ${history.lines ?? '?'} lines, ${history.entries ?? '?'} deduplicated usage entries`,
    );
  // The ratio table; the in-session row below it has its own runs and units (ms added per tool call).
  if (rows.length > 0) printTable(out);
  if (session) {
    out.push('');
    out.push(...sessionLines(session));
  }
  if (history?.incremental) {
    const x = history.incremental;
    out.push('');
    out.push(`incremental: bytes appended to the newest session, ${x.target}, before each run; each run's cost over the warm run of its round (median)`);
    out.push(
      `  ${fmtBytes(history.bytes)} history: +1 MB costs ${fmtMs(x.extra1)} more than warm, +4 MB ${fmtMs(x.extra4)} (${(x.extra4 / x.extra1).toFixed(1)}x for 4x the bytes)`,
    );
    out.push(`  ${fmtBytes(x.smallBytes)} history (8x smaller; warm ${fmtMs(x.smallWarm)}): +1 MB costs ${fmtMs(x.extraSmall)} more than warm`);
    out.push(
      `  -> ${x.fixed > 0 ? fmtMs(x.fixed) : `about 0 (${fmtMs(x.fixed)}: noise)`} per update (its fixed work: the cache's head and side read and written again, the grown file's part) + ${fmtMs(x.perMb)} per MB appended`,
    );
    out.push(`  -> ${x.proportional ? 'follows the appended bytes, not the history (met)' : 'NOT shown to follow the appended bytes rather than the history'}`);
  }
  for (const [label, ok, entries] of hookChecks)
    out.push(`hooks, ${label}: the session's tokens after the runs ${ok ? 'equal' : 'DIFFER from'} a fresh scan of its transcripts (${entries} entries)`);
  if (history && 'check_cold' in history) {
    out.push('');
    out.push(
      `correctness (identical to a fresh full scan, --no-cache): cold ${history.check_cold ? 'yes' : 'NO'}, warm ${history.check_warm ? 'yes' : 'NO'}, incremental ${history.check_incremental ? 'yes' : 'NO'}`,
    );
  }
  const rssHow = rows.find((r) => r.rss)?.rss.how;
  if (rssHow)
    out.push(
      `peak RSS: ${rssHow === 'GNU time' ? 'GNU time (/usr/bin/time -f %M), one extra run each' : 'process.resourceUsage().maxRSS, one extra run each'}`,
    );
  for (const f of failures) out.push(`FAIL: ${f}`);
  process.stdout.write(out.join('\n') + '\n');
}

/** The rows of the ratio sections as an aligned table, appended to `out` (after a blank line). */
function printTable(out) {
  out.push('');
  const head = ['', 'median', 'ratio', 'goal', 'peak RSS'];
  const table = [head];
  let group = null;
  for (const r of rows) {
    if (r.group !== group) {
      group = r.group;
      if (table.length > 1) table.push(null);
    }
    const goal =
      typeof r.goal === 'number'
        ? `<= ${r.goal}x ${verdict(r.ratio <= r.goal)}`
        : r.goal === null
          ? 'see below'
          : r.goal === 'none'
            ? '(none set)'
            : r.goal === 'background'
              ? '(background)'
              : '';
    table.push([r.name, fmtMs(r.median), r.vs ? `${r.ratio.toFixed(2)}x ${r.vs}` : '', goal, r.rss ? `${(r.rss.kb / 1024).toFixed(0)} MB` : '']);
  }
  const widths = head.map((_, i) => Math.max(...table.filter(Boolean).map((row) => row[i].length)));
  for (const row of table)
    out.push(
      row === null
        ? ''
        : row
            .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
            .join('  ')
            .trimEnd(),
    );
}

function verdict(ok) {
  return ok ? '(met)' : '(NOT met)';
}

function machine() {
  const cpus = os.cpus();
  const mem = (os.totalmem() / 2 ** 30).toFixed(0);
  let distro = os.type();
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? distro;
  } catch {}
  let peerV = '';
  try {
    peerV = execFileSync(PEER, ['--version'], { encoding: 'utf8' }).trim();
  } catch {}
  return `machine: ${cpus[0]?.model ?? 'cpu'} x${cpus.length}, ${mem} GB RAM, ${distro}, kernel ${os.release()}, Node ${process.version}${peerV ? `, peer ${peerV}` : ''}; load average at start ${loadAtStart.map((x) => x.toFixed(2)).join(' ')}`;
}

/** `cco report --json` with nothing changed since its last run. */
function warmBench(cli, env) {
  return bench({ name: 'cco report --json (warm)', argv: cli, env });
}

/** `cco report --json` after `mb` MB more of a live session's records were appended to `file`. */
function incrBench(cli, env, file, mb) {
  let seed = mb * 100_000;
  const shell = `${shellQuote(process.execPath)} ${shellQuote(path.join(ROOT, 'scripts', 'gen-history.mjs'))} --append ${shellQuote(file)} --bytes ${mb}M --end 2026-10-31T12:30:00Z --seed $(date +%s%N | cut -c10-18)`;
  return bench({
    name: `cco report --json (incremental, +${mb} MB)`,
    argv: cli,
    env,
    prepare: () => appendToSession(file, mb << 20, { seed: seed++, nowMs: Date.parse('2026-10-31T12:30:00Z') }),
    prepareShell: shell,
  });
}

/** The median of `a`'s time minus `b`'s in the same round (seconds): what `a` costs over `b`, with load that comes and goes paired away. */
function pairedExtra(a, b) {
  return median(a.times.map((t, i) => t - b.times[i]));
}

function newestTranscript(dir) {
  let best = null;
  for (const d of readdirSync(dir)) {
    const p = path.join(dir, d);
    if (!statSync(p).isDirectory()) continue;
    for (const f of readdirSync(p)) {
      if (!f.endsWith('.jsonl') || f.startsWith('agent-')) continue;
      const st = statSync(path.join(p, f));
      if (best === null || st.mtimeMs > best.mtimeMs) best = { file: path.join(p, f), mtimeMs: st.mtimeMs, size: st.size };
    }
  }
  return best;
}

function fmtMs(sec) {
  return sec >= 10 ? `${sec.toFixed(1)} s` : sec >= 1 ? `${sec.toFixed(2)} s` : `${(sec * 1000).toFixed(1)} ms`;
}

function fmtBytes(n) {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`;
}

/** `env CCO_X=...` for a command line in a shell step: the CCO_* variables of `e` (the rest is the bench's env). */
function envShell(e) {
  return ccoEnvPrefix(e).trim();
}

function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

void median;
void shellLine;
