// One scripted Claude Code session for the in-session bench (scripts/bench-session.ts): the pinned CLI in
// `-p` mode, in a fresh sandbox (temp HOME, CLAUDE_CONFIG_DIR, TMPDIR; API-key sign-in), against the
// loopback mock answering each model request after a fixed latency, with or without a plugin dir.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMockApi, type ScriptTurn, type Usage } from '../test/e2e/mock-anthropic.ts';
import { makeSandbox, runClaude } from '../test/e2e/sandbox.ts';
import { measureRun, type RunMeasure } from './session-gaps.ts';
import { processesOf } from './tracker-stop.mjs';

/** A plugin under test: `dir` goes to `--plugin-dir`; `hooks` are the hook events a run must show. */
export interface Arm {
  name: string;
  /** `null`: the session runs with no plugin. */
  dir: string | null;
  /** Expected `hook_response` count per event name (a PostToolUse count is per tool call). */
  hooks: { perCall: string[]; perSession: string[] };
}

/** Shape of the session: `calls` Bash tool calls (`true`), then a text answer; each answer after `latencyMs`. */
export interface SessionShape {
  calls: number;
  latencyMs: number;
  /** Kill the CLI after this long (ms). */
  timeoutMs: number;
}

const USAGE: Usage = { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 2_000, output_tokens: 9 };
const now = () => performance.timeOrigin + performance.now();

function script(calls: number): ScriptTurn[] {
  const tool: ScriptTurn = { tool: { name: 'Bash', input: { command: 'true', description: 'no-op' } }, usage: USAGE };
  return [...Array.from({ length: calls }, () => tool), { text: 'Done.', usage: USAGE }];
}

/** `hook_response` records of a `--output-format stream-json --include-hook-events` run, counted per event; failures listed. */
function hookResponses(stdout: string): { counts: Record<string, number>; failed: string[] } {
  const counts: Record<string, number> = {};
  const failed: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const rec = JSON.parse(line) as { subtype?: string; hook_event?: string; outcome?: string; stderr?: string };
    if (rec.subtype !== 'hook_response' || !rec.hook_event) continue;
    counts[rec.hook_event] = (counts[rec.hook_event] ?? 0) + 1;
    if (rec.outcome !== 'success') failed.push(`${rec.hook_event}: ${rec.outcome} ${rec.stderr ?? ''}`.trim());
  }
  return { counts, failed };
}

/**
 * Ends every process still running with this sandbox's HOME in its environment (a plugin's background
 * work, e.g. a tracker the sandbox's cleanup could not stop): SIGKILL by pid. Linux only (reads /proc);
 * returns the command lines it ended.
 */
function endStragglers(home: string): string[] {
  const ended: string[] = [];
  for (const pid of processesOf(home)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      process.kill(pid, 'SIGKILL');
      ended.push(`${pid} ${cmd}`);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return ended;
}

/**
 * Runs the scripted session once with `arm` and measures it (ms; see RunMeasure). Checks that the session
 * went as scripted (exit 0, calls + 1 model turns, the arm's hooks each ran and succeeded, no others), then
 * stops the sandbox's background tracker, ends any other process left in it, and removes it. Throws with
 * the reason when a check fails; `stragglers` lists processes it had to end.
 */
export async function runSession(arm: Arm, shape: SessionShape): Promise<RunMeasure & { stragglers: string[] }> {
  const sb = makeSandbox();
  const mock = await startMockApi(script(shape.calls), {
    beforeAnswer: () => new Promise((resolve) => setTimeout(resolve, shape.latencyMs)),
  });
  let measure: RunMeasure;
  let stragglers: string[] = [];
  try {
    // The CLI's own temp files (/tmp/claude-<uid>/…) go into the sandbox too, so nothing outlives it.
    const tmp = path.join(sb.root, 'tmp');
    mkdirSync(tmp);
    const args = [
      '-p',
      `Run \`true\` ${shape.calls} times with Bash.`,
      '--output-format',
      'stream-json',
      '--verbose',
      '--include-hook-events',
      '--allowedTools',
      'Bash',
      ...(arm.dir ? ['--plugin-dir', arm.dir] : []),
    ];
    const spawnedAt = now();
    const res = await runClaude(args, { sandbox: sb, mockUrl: mock.url, timeoutMs: shape.timeoutMs, env: { TMPDIR: tmp } });
    const exitedAt = now();
    const why = `${arm.name} run: ${res.timedOut ? 'timed out' : `exit ${res.code ?? res.signal}`}; ${res.stderr.slice(-400)}`;
    if (res.code !== 0) throw new Error(why);
    const main = mock.requests.filter((r) => r.kind === 'main');
    if (main.length !== shape.calls + 1 || main.some((r) => !r.consumedTurn)) {
      throw new Error(`${arm.name} run: ${main.length} model turns, not ${shape.calls + 1} scripted ones`);
    }
    const { counts, failed } = hookResponses(res.stdout);
    const want: Record<string, number> = {};
    for (const e of arm.hooks.perCall) want[e] = shape.calls;
    for (const e of arm.hooks.perSession) want[e] = (want[e] ?? 0) + 1;
    if (failed.length > 0 || JSON.stringify(sorted(counts)) !== JSON.stringify(sorted(want))) {
      throw new Error(
        `${arm.name} run: hooks ran ${JSON.stringify(counts)}, expected ${JSON.stringify(want)}${failed.length ? `; failed: ${failed.join('; ')}` : ''}`,
      );
    }
    measure = measureRun(mock.requests, spawnedAt, exitedAt);
  } finally {
    await mock.close();
    // The tracker the session's last hooks started tracks its end after the CLI exits: its purpose, so it
    // gets up to 10 s to finish on its own; only a process still there then is one left behind.
    const until = Date.now() + 10_000;
    while (Date.now() < until && processesOf(sb.home).length > 0) await new Promise((r) => setTimeout(r, 50));
    sb.cleanup();
    stragglers = endStragglers(sb.home);
  }
  return { ...measure, stragglers };
}

function sorted(o: Record<string, number>): [string, number][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Writes a throwaway plugin into `dir` whose only hook is a PostToolUse `sleep <seconds>`: a known cost per
 * tool call, to check that the bench measures what a hook adds. Returns its arm.
 */
export function sleepPlugin(dir: string, seconds: number): Arm {
  return commandPlugin(dir, `calibration (PostToolUse sleep ${seconds})`, `sleep ${seconds}`);
}

/**
 * A throwaway plugin in `dir` whose only hook is a PostToolUse `command`: `true` is the floor of any
 * per-tool-call command hook in Claude Code (what its hook machinery costs), `sleep N` a known cost.
 */
export function commandPlugin(dir: string, name: string, command: string): Arm {
  mkdirSync(path.join(dir, '.claude-plugin'), { recursive: true });
  mkdirSync(path.join(dir, 'hooks'));
  writeFileSync(path.join(dir, '.claude-plugin', 'plugin.json'), JSON.stringify({ name: 'bench-hook', version: '0.0.0' }));
  const hook = { matcher: '*', hooks: [{ type: 'command', command }] };
  writeFileSync(path.join(dir, 'hooks', 'hooks.json'), JSON.stringify({ hooks: { PostToolUse: [hook] } }));
  return { name, dir, hooks: { perCall: ['PostToolUse'], perSession: [] } };
}
