/**
 * `npm run stress [-- --writers 32 --events 25 --sessions 16 --kill-events 13 --think-ms 0 --hold-ms 2500 --no-kill
 *  --seed N --dir /tmp --keep --json]`: many sessions' hooks at once through the real bundles, in a temp
 * HOME it creates and removes (see scripts/stress-core.ts). Prints the figures; exits 1 when a check
 * failed, 2 on bad arguments.
 */
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
try {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      writers: { type: 'string' }, events: { type: 'string' }, sessions: { type: 'string' },
      'kill-events': { type: 'string' }, 'think-ms': { type: 'string' }, 'hold-ms': { type: 'string' }, seed: { type: 'string' },
      'no-kill': { type: 'boolean' }, dir: { type: 'string' }, keep: { type: 'boolean' }, json: { type: 'boolean' },
    },
  });
  json = values.json === true;
  opts = {
    writers: int('writers', values.writers), events: int('events', values.events), sessions: int('sessions', values.sessions),
    killEvents: int('kill-events', values['kill-events']), thinkMs: int('think-ms', values['think-ms']), lockHoldMs: int('hold-ms', values['hold-ms']), seed: int('seed', values.seed),
    killPhase: values['no-kill'] !== true, dir: values.dir, keep: values.keep === true,
    onProgress: (line) => process.stderr.write(`stress: ${line}\n`),
  };
} catch (e) {
  process.stderr.write(`stress: ${(e as Error).message}\n`);
  process.exit(2);
}

const figures = await runStress(opts);
process.stdout.write(json ? `${JSON.stringify(figures, null, 1)}\n` : `${renderFigures(figures)}\n`);
if (opts.keep) process.stderr.write(`stress: kept ${figures.home}\n`);
process.exitCode = figures.failures.length === 0 ? 0 : 1;
