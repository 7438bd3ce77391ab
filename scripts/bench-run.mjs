// Timing runners of the bench (scripts/bench.mjs): hyperfine when it is installed, else a paired runner
// that alternates the commands run by run (so that load which comes and goes hits them alike) and takes
// medians. Both measure whole processes' wall time; peak memory comes from GNU time (`/usr/bin/time`)
// when present, else from a Node preload that reports `process.resourceUsage().maxRSS` (Node processes only).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A command to time: `argv` run without a shell, `stdin` a file fed to it, `prepare` run (untimed)
 * before each timed run, `env` its whole environment.
 * @typedef {{ name: string, argv: string[], stdin?: string, env: Record<string, string>, cwd?: string, prepare?: () => void, prepareShell?: string }} Cmd
 */

export function hasHyperfine() {
  try {
    execFileSync('hyperfine', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export function hyperfineVersion() {
  try {
    return execFileSync('hyperfine', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

const shq = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The shell command line of `c` (for hyperfine and for the printed record). */
export function shellLine(c) {
  return ccoEnvPrefix(c.env) + c.argv.map(shq).join(' ') + (c.stdin ? ` < ${shq(c.stdin)}` : '');
}

/**
 * `env CCO_X=... ` for the CCO_* variables of `env` (hyperfine runs every command in the first one's
 * environment; these are how the bench's commands differ), '' when there are none.
 */
export function ccoEnvPrefix(env) {
  const kv = Object.entries(env ?? {})
    .filter(([k]) => k.startsWith('CCO_'))
    .map(([k, v]) => `${k}=${shq(v)}`);
  return kv.length === 0 ? '' : `env ${kv.join(' ')} `;
}

/**
 * Times `cmds` with hyperfine and returns per-command wall times in seconds. So that load which comes and
 * goes on the machine hits every command alike, the runs are split into rounds: each round is one
 * hyperfine invocation running every command `perRound` times, in an order rotated from round to round
 * (the first round also does the warmup runs). hyperfine runs each command through `sh -c` (1.15 has no
 * --input) and subtracts the shell's own start-up; `--export-json` of each round is read back.
 * All commands share one environment: the first command's `env`.
 */
export function timeWithHyperfine(cmds, { runs, warmup, dir, timeoutSec, perRound = 3 }) {
  if (cmds.some((c) => c.prepareShell) && cmds.some((c) => !c.prepareShell)) throw new Error('hyperfine: give every command a prepare, or none');
  const times = cmds.map(() => []);
  for (let round = 0, done = 0; done < runs; round++) {
    const n = Math.min(perRound, runs - done);
    const order = cmds.map((_, i) => (i + round) % cmds.length);
    const out = path.join(dir, `hyperfine-${process.pid}-${round}.json`);
    const args = ['--style', 'none', '--runs', String(n), '--export-json', out];
    if (round === 0 && warmup > 0) args.push('--warmup', String(warmup));
    for (const i of order) if (cmds[i].prepareShell) args.push('--prepare', cmds[i].prepareShell);
    for (const i of order) args.push('-n', cmds[i].name, shellLine(cmds[i]));
    const r = spawnSync('hyperfine', args, { env: cmds[0].env, cwd: cmds[0].cwd, encoding: 'utf8', timeout: timeoutSec * 1000 });
    if (r.status !== 0) throw new Error(`hyperfine failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').slice(-800)}`);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    j.results.forEach((x, k) => {
      times[order[k]].push(...x.times);
    });
    rmSync(out, { force: true });
    done += n;
  }
  return cmds.map((c, i) => ({ name: c.name, times: times[i], median: median(times[i]) }));
}

/**
 * Times `cmds` by alternating them: round k runs every command once (order rotated each round), after
 * `warmup` untimed rounds. Returns per-command wall times in seconds and their medians.
 */
export function timePaired(cmds, { runs, warmup, timeoutSec }) {
  const times = cmds.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    for (let k = 0; k < cmds.length; k++) {
      const i = (k + round) % cmds.length;
      const c = cmds[i];
      c.prepare?.();
      if (c.prepareShell && !c.prepare) spawnSync('sh', ['-c', c.prepareShell], { env: c.env, cwd: c.cwd, stdio: 'ignore' });
      const input = c.stdin ? readFileSync(c.stdin) : undefined;
      const t0 = process.hrtime.bigint();
      const r = spawnSync(c.argv[0], c.argv.slice(1), {
        env: c.env,
        cwd: c.cwd,
        input,
        stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'],
        timeout: timeoutSec * 1000,
        maxBuffer: 1 << 30,
      });
      const dt = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.status !== 0) throw new Error(`${c.name} failed (${r.status ?? r.signal}): ${String(r.stderr).slice(-500)}`);
      if (round >= warmup) times[i].push(dt);
    }
  }
  return cmds.map((c, i) => ({ name: c.name, times: times[i], median: median(times[i]) }));
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let preloadFile = null;
function rssPreload() {
  if (preloadFile === null) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cco-bench-rss-'));
    preloadFile = path.join(dir, 'rss.cjs');
    writeFileSync(
      preloadFile,
      "process.on('exit', () => { try { require('fs').writeSync(2, `\\ncco-bench-maxrss-kb ${process.resourceUsage().maxRSS}\\n`); } catch {} });\n",
    );
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return preloadFile;
}

/**
 * Peak resident memory (KB) of one run of `c`: GNU time's "Maximum resident set size" (the largest
 * of the process and the children it waited for), else the Node preload (the process itself only).
 */
export function peakRssKb(c, timeoutSec) {
  c.prepare?.();
  if (c.prepareShell && !c.prepare) spawnSync('sh', ['-c', c.prepareShell], { env: c.env, cwd: c.cwd, stdio: 'ignore' });
  const input = c.stdin ? readFileSync(c.stdin) : undefined;
  const stdio = [input ? 'pipe' : 'ignore', 'ignore', 'pipe'];
  // GNU time waits for the command only; a tracker a hook starts is its own process (see its own row).
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-f', 'cco-bench-maxrss-kb %M', ...c.argv], {
      env: c.env,
      cwd: c.cwd,
      input,
      stdio,
      timeout: timeoutSec * 1000,
      maxBuffer: 1 << 30,
    });
    const m = /cco-bench-maxrss-kb (\d+)/.exec(String(r.stderr));
    if (m) return { kb: Number(m[1]), how: 'GNU time' };
  }
  const env = { ...c.env, NODE_OPTIONS: `${c.env.NODE_OPTIONS ?? ''} --require ${rssPreload()}`.trim() };
  const r = spawnSync(c.argv[0], c.argv.slice(1), { env, cwd: c.cwd, input, stdio, timeout: timeoutSec * 1000, maxBuffer: 1 << 30 });
  const all = [...String(r.stderr).matchAll(/cco-bench-maxrss-kb (\d+)/g)].map((m) => Number(m[1]));
  return all.length ? { kb: Math.max(...all), how: 'resourceUsage' } : { kb: NaN, how: 'n/a' };
}
