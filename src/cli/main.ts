import { listSpool } from '../front/spool.ts';
import { processRuntime } from '../runtime.ts';
import type { CommandIo, CommandRun } from './command.ts';
import { UsageError } from './errors.ts';

/**
 * Every subcommand, loaded lazily so that each pays only for its own imports. `settle: false`: it does
 * not wait for the background tracker first. `report: true`: a report that leaves no work behind once its
 * run resolves, so the process ends as soon as its output is flushed (exitWhenFlushed).
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: CommandRun }>; settle?: false; report?: true }> = {
  status: { summary: 'status [--session <id>]      the /session-status report (5-hour window, quota, context)', load: () => import('./status.ts'), report: true },
  report: { summary: 'report [--json] [--no-cache] usage of every transcript: totals, sessions, 5-hour blocks, models, days', load: () => import('./report-command.ts'), report: true },
  sessions: { summary: 'sessions [--json]            live and recent sessions on this machine', load: () => import('./sessions.ts'), report: true },
  tools: { summary: 'tools [--session <id>] [--json] calls, tokens, share and average per tool', load: () => import('./tools.ts'), report: true },
  context: { summary: 'context [--session <id>] [--json] [--keep-turns <n>]  the /context-status report (window, breakdown, what to drop)', load: () => import('./context.ts'), report: true },
  'compact-plan': { summary: 'compact-plan [--session <id>] [--json] [--keep-turns <n>]  the /compact-context plan and the exact /compact line', load: () => import('./compact-plan.ts'), report: true },
  handoff: { summary: 'handoff save|show|list ...', load: () => import('./handoff.ts') },
  plan: { summary: 'plan add|list|show|start|done|skip|remove|import|schedule|next|current ...  the planned-session queue', load: () => import('./plan.ts') },
  calendar: { summary: 'calendar [--out <dir>]       .ics files of the scheduled sessions (calendar/session-<n>.ics, all-sessions.ics)', load: () => import('./calendar.ts'), settle: false },
  doctor: { summary: 'doctor                        checks the install, hooks, state files and transcripts', load: () => import('./doctor.ts'), settle: false },
  statusline: { summary: "statusline [--wrap <cmd>] [--wrap-mode append|silent]  the status line (reads Claude Code's statusline JSON on stdin)", load: () => import('./statusline.ts'), settle: false },
  sync: { summary: 'sync [--wait-ms <ms>]         track the hook events still waiting for the background tracker, now', load: () => import('./sync.ts'), settle: false },
};

/** How long a reporting command waits for the background tracker to finish the hook events so far (ms). */
const SETTLE_BUDGET_MS = 5_000;

function help(): string {
  return ['cco: Claude Code quota and context tracker', '', 'Usage:', ...Object.values(COMMANDS).map((c) => `  cco ${c.summary}`), '  cco help                     this text', ''].join('\n');
}

const io: CommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => new Promise((resolve, reject) => {
    if (process.stdin.isTTY) return resolve('');
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  }),
  cwd: process.cwd(),
};

/**
 * Ends the process with `code` once stdout and stderr have taken everything written to them (a pipe is
 * asynchronous on macOS), without the drain of a natural exit: Node waits there for V8's background work (concurrent GC
 * marking and sweeping, compile jobs), which after a report with a large cache costs up to ~10 ms of wall
 * time for nothing. The natural exit stays as the fallback (exitCode is set first).
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

/** Entry of the `cco` command. Exit 0 on success, 1 with one clear line on stderr otherwise. */
async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.stdout(help());
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (entry === undefined) throw new UsageError(`unknown command "${cmd}" (try: cco help)`);
  const rt = processRuntime();
  // Hooks leave their tracking to the background tracker (src/tracker/); a report must include what
  // the session's hooks have seen so far.
  // The tracker's code (state schemas, locks, transcript tracking: about a fifth of this bundle to load) only
  // when there is something to wait for.
  if (entry.settle !== false && listSpool(rt.paths.spoolDir).length > 0) await (await import('../tracker/tracker-run.ts')).settleTracker(rt, SETTLE_BUDGET_MS);
  const code = await (await entry.load()).run(rt, args, io);
  if (entry.report === true) exitWhenFlushed(code);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    // A file system error names its path already; `cco doctor` says what to do about it.
    const hint = typeof (e as NodeJS.ErrnoException).path === 'string' && !(e instanceof UsageError) ? ' (cco doctor checks the state dirs)' : '';
    process.stderr.write(`cco: ${msg.split('\n')[0]}${hint}\n`);
    if (!(e instanceof UsageError)) processRuntime().log('error', 'cli', `${process.argv.slice(2).join(' ')}: ${e instanceof Error ? e.stack ?? msg : msg}`);
    process.exitCode = 1;
  },
);
