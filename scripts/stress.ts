/**
 * `npm run stress [-- --writers 32 --events 25 --sessions 16 --kill-events 13 --think-ms 0 --hold-ms 2500 --no-kill
 *  --cpu-hog N --seed N --dir /tmp --keep --json]`: many sessions' hooks at once through the real hooks, in a
 * temp HOME it creates and removes (see scripts/stress-core.ts), beside `--cpu-hog` CPU-heavy processes
 * (default: one per core, like a build running next to Claude Code; 0 for none). Prints the figures;
 * exits 1 when a check failed, 2 on bad arguments.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { renderFigures, runStress, type StressOptions } from './stress-core.ts';

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number >= 0, not "${v}"`);
  return n;
}

let opts: StressOptions;
let json = false;
let hogs = 0;
try {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      writers: { type: 'string' },
      events: { type: 'string' },
      sessions: { type: 'string' },
      'kill-events': { type: 'string' },
      'think-ms': { type: 'string' },
      'hold-ms': { type: 'string' },
      seed: { type: 'string' },
      'no-kill': { type: 'boolean' },
      dir: { type: 'string' },
      keep: { type: 'boolean' },
      json: { type: 'boolean' },
      'cpu-hog': { type: 'string' },
    },
  });
  json = values.json === true;
  hogs = int('cpu-hog', values['cpu-hog']) ?? os.cpus().length;
  opts = {
    writers: int('writers', values.writers),
    events: int('events', values.events),
    sessions: int('sessions', values.sessions),
    killEvents: int('kill-events', values['kill-events']),
    thinkMs: int('think-ms', values['think-ms']),
    lockHoldMs: int('hold-ms', values['hold-ms']),
    seed: int('seed', values.seed),
    killPhase: values['no-kill'] !== true,
    dir: values.dir,
    keep: values.keep === true,
    onProgress: (line) => process.stderr.write(`stress: ${line}\n`),
  };
} catch (e) {
  process.stderr.write(`stress: ${(e as Error).message}\n`);
  process.exit(2);
}

// The CPU-heavy job beside the run: busy loops at normal priority, ended with the run.
const hogProcs: ChildProcess[] = Array.from({ length: hogs }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
process.stderr.write(`stress: ${hogs} CPU hog process${hogs === 1 ? '' : 'es'} running beside it (${os.cpus().length} cores)\n`);
let figures;
try {
  figures = await runStress(opts);
} finally {
  for (const p of hogProcs) p.kill('SIGKILL');
}
process.stdout.write(`cpu hogs beside the run: ${hogs} (${os.cpus().length} cores)\n`);
process.stdout.write(json ? `${JSON.stringify(figures, null, 1)}\n` : `${renderFigures(figures)}\n`);
if (opts.keep) process.stderr.write(`stress: kept ${figures.home}\n`);
process.exitCode = figures.failures.length === 0 ? 0 : 1;
