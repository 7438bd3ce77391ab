/**
 * The in-session row of `npm run bench`: how many milliseconds cco adds to each tool call of a real
 * Claude Code session, which is what a person waits for (the gap between one model request and the next),
 * not a hook process timed alone.
 *
 *   tsx scripts/bench-session.ts [--runs 5] [--calls 15] [--latency-ms 400] [--calibrate] [--verbose] [--json]
 *
 * Each round runs one scripted `-p` session (one prompt; the model's turns are `--calls` Bash tool calls
 * of `true`, then a text answer; the loopback mock answers every model request after `--latency-ms`) with
 * the plugin (`--plugin-dir <repo root>`: the committed dist/ and hooks/hooks.json) and then without it,
 * each in a fresh sandbox. `--calibrate` adds a third run per round with a throwaway plugin whose
 * PostToolUse hook is `sleep 0.3`, which must come out at ~300 ms. Prints the row (or, with `--json`, the
 * figures for scripts/bench.mjs); per-run gaps go to stderr with `--verbose`. Needs the pinned CLI in the
 * e2e cache (test/e2e/paths.ts; `npm run test:e2e` installs it); without it the result says it skipped.
 * Exits 1 when a run failed, 2 on bad arguments.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLAUDE_CODE_VERSION } from '../test/e2e/claude-version.ts';
import { hasPinnedCli } from '../test/e2e/global-setup.ts';
import { claudeBin, claudeCacheDir, REPO_ROOT } from '../test/e2e/paths.ts';
import { sessionLines } from './bench-session-row.mjs';
import { pairedExtra, type PairedExtra, type RunMeasure } from './session-gaps.ts';
import { runSession, commandPlugin, sleepPlugin, type Arm, type SessionShape } from './session-run.ts';

const CALIBRATION_SEC = 0.3;

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}, not "${v}"`);
  return n;
}

let o: { runs: number; calls: number; latencyMs: number; timeoutMs: number; calibrate: boolean; verbose: boolean; json: boolean };
try {
  const { values: v } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      runs: { type: 'string', default: '5' },
      calls: { type: 'string', default: '15' },
      'latency-ms': { type: 'string', default: '400' },
      'timeout-sec': { type: 'string', default: '180' },
      calibrate: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  o = {
    runs: int('runs', v.runs, 1),
    calls: int('calls', v.calls, 2),
    latencyMs: int('latency-ms', v['latency-ms'], 0),
    timeoutMs: int('timeout-sec', v['timeout-sec'], 10) * 1000,
    calibrate: v.calibrate,
    verbose: v.verbose,
    json: v.json,
  };
} catch (e) {
  process.stderr.write(`bench-session: ${(e as Error).message}\n`);
  process.exit(2);
}

const log = (s: string) => process.stderr.write(`bench-session: ${s}\n`);
const fmtGaps = (m: RunMeasure) => m.gaps.map((g) => Math.round(g)).join(' ');

/** An arm's result in the JSON: its label for the row, the paired figures and its runs. */
interface ArmResult {
  name: string;
  label: string;
  expectMs?: number;
  extra: PairedExtra;
  runs: RunMeasure[];
}

async function measure(): Promise<Record<string, unknown>> {
  if (!existsSync(claudeBin()) || !(await hasPinnedCli(claudeCacheDir()))) {
    return {
      skipped: `the pinned Claude Code CLI ${CLAUDE_CODE_VERSION} is not in ${claudeCacheDir()} (npm run test:e2e installs it there; CCO_TEST_CACHE moves it)`,
    };
  }
  const shape: SessionShape = { calls: o.calls, latencyMs: o.latencyMs, timeoutMs: o.timeoutMs };
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'cco-bench-session-'));
  try {
    const cco: Arm = { name: 'cco', dir: REPO_ROOT, hooks: { perCall: ['PostToolUse'], perSession: ['SessionStart', 'UserPromptSubmit', 'Stop'] } };
    const none: Arm = { name: 'none', dir: null, hooks: { perCall: [], perSession: [] } };
    // The floor: an empty PostToolUse hook (`true`), what Claude Code's hook machinery itself costs a tool call.
    const floor = commandPlugin(path.join(scratch, 'empty-hook-plugin'), 'an empty PostToolUse hook (`true`)', 'true');
    const arms = [cco, floor, ...(o.calibrate ? [sleepPlugin(path.join(scratch, 'calibration-plugin'), CALIBRATION_SEC)] : [])];
    const runs = new Map<Arm, RunMeasure[]>([...arms, none].map((a) => [a, []]));
    log(`${o.runs} rounds of ${[cco, none, ...arms.slice(1)].map((a) => a.name).join(', ')}: ${o.calls} Bash calls each, API latency ${o.latencyMs} ms`);
    for (let round = 1; round <= o.runs; round++) {
      // Interleaved (with, without, ...): load that comes and goes hits every arm of a round alike.
      for (const arm of [cco, none, ...arms.slice(1)]) {
        const m = await runSession(arm, shape);
        runs.get(arm)!.push(m);
        if (o.verbose) {
          log(
            `round ${round} ${arm.name}: gaps ${fmtGaps(m)} ms; median ${Math.round(m.medianGap)} ms; wall ${(m.wallMs / 1000).toFixed(2)} s (start ${Math.round(m.startMs)} ms, end ${Math.round(m.endMs)} ms)`,
          );
        }
        if (m.stragglers.length > 0) log(`round ${round} ${arm.name}: ended processes left behind: ${m.stragglers.join('; ')}`);
      }
    }
    const results: ArmResult[] = arms.map((a) => ({
      name: a.name,
      label: a === cco ? 'extra per tool call' : `extra per tool call, ${a.name}`,
      ...(a === cco || a === floor ? {} : { expectMs: CALIBRATION_SEC * 1000 }),
      extra: pairedExtra(runs.get(a)!, runs.get(none)!),
      runs: runs.get(a)!,
    }));
    return {
      cli: CLAUDE_CODE_VERSION,
      shape: { calls: o.calls, latencyMs: o.latencyMs, rounds: o.runs, order: [cco, none, ...arms.slice(1)].map((a) => a.name) },
      arms: results,
      without: runs.get(none),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

let result: Record<string, unknown>;
try {
  result = await measure();
} catch (e) {
  result = { error: (e as Error).message };
  process.exitCode = 1;
}
process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : `${sessionLines(result).join('\n')}\n`);
