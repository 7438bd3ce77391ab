import { trackerRunning } from '../front/kick.ts';
import { listSpool } from '../front/spool.ts';
import { refusedLine } from '../claude/config-dirs.ts';
import { terminalText } from '../render/display-text.ts';
import { logWithoutRuntime, processRuntime } from '../runtime.ts';
import { wantsHelp, wantsVersion } from './args.ts';
import type { CommandIo } from './command.ts';
import { checkCommandLine, commandEntry, commandHelpText, mainHelpText } from './commands.ts';
import { errorOutcome } from './error-line.ts';
import { EXIT_OK, UsageError } from './errors.ts';
import { selfCommand } from './self-command.ts';
import { VERSION } from './version.ts';

/** How long a reporting command waits for the background tracker to finish the hook events so far (ms). */
const SETTLE_BUDGET_MS = 5_000;

/**
 * What a command prints reaches a terminal through terminalText: no control character from a name or
 * path in a transcript, payload or state file acts on it (JSON output passes unchanged). `cco statusline`
 * guards its own segment: the wrapped command's colours are the person's own.
 */
const guard = (t: string) => (running === 'statusline' ? t : terminalText(t));
const io: CommandIo = {
  stdout: (t) => process.stdout.write(guard(t)),
  stderr: (t) => process.stderr.write(guard(t)),
  readStdin: () =>
    new Promise((resolve, reject) => {
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

/** The subcommand being run, for the error line (null before one was found). */
let running: string | null = null;

/**
 * Entry of the `cco` command. `cco`, `cco --help`, `cco help [<command> [<action>]]` print help;
 * `cco --version`, `-V`, `version` the version; `cco <command> ... --help` (or `-h`) that command's help
 * and `--version` the version, running nothing else (no tracker settle); a bad command line is refused
 * before anything runs too. Exit 0 on success; see errorOutcome for the rest (2 for a bad command line,
 * 1 for a failure, one line on stderr each).
 */
async function main(argv: string[]): Promise<number> {
  const self = selfCommand();
  const [cmd, ...args] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h') {
    io.stdout(mainHelpText(self));
    return EXIT_OK;
  }
  if (cmd === 'help') {
    if (args[0] === undefined) io.stdout(mainHelpText(self));
    else io.stdout(commandHelpText(known(args[0]), args.slice(1), self));
    return EXIT_OK;
  }
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    if (cmd === 'version' && args.length > 0 && !wantsVersion(args)) throw new UsageError(`unexpected argument "${args[0]}"`);
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  const entry = known(cmd);
  running = cmd;
  if (wantsHelp(args)) {
    io.stdout(commandHelpText(entry, args, self));
    return EXIT_OK;
  }
  if (wantsVersion(args)) {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  checkCommandLine(entry, args);
  const rt = processRuntime();
  // Relative CLAUDE_CONFIG_DIR entries beside absolute ones: the absolute ones serve, the others are named.
  if (rt.dirs.refused.length > 0) io.stderr(`cco ${cmd}: ${refusedLine(rt.dirs.refused)}; using ${rt.dirs.stateDir}\n`);
  // Hooks leave their tracking to the background tracker (src/tracker/); a report must include what
  // the session's hooks have seen so far.
  // The tracker's code (state schemas, locks, transcript tracking: about a fifth of this bundle to load) only
  // when there is something to wait for.
  if (entry.settle !== false && (listSpool(rt.paths.spoolDir).length > 0 || trackerRunning(rt.paths)))
    await (await import('../tracker/tracker-run.ts')).settleTracker(rt, SETTLE_BUDGET_MS);
  const code = await (await entry.load()).run(rt, args, io);
  if (entry.report === true) exitWhenFlushed(code);
  return code;
}

/** The entry of subcommand `name`. @throws UsageError for an unknown one (or an option in its place) */
function known(name: string) {
  const entry = commandEntry(name);
  if (entry === undefined) throw new UsageError(name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`);
  return entry;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const out = errorOutcome(e, running, selfCommand());
    process.stderr.write(terminalText(out.line));
    if (out.log) logCliError(e);
    process.exitCode = out.code;
  },
);

/** Logs an unexpected error in cco.log (the config dir's, else cco home's when there is no usable config dir). */
function logCliError(e: unknown): void {
  const msg = `${process.argv.slice(2).join(' ')}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  try {
    processRuntime().log('error', 'cli', msg);
  } catch {
    logWithoutRuntime(process.env, 'error', 'cli', msg);
  }
}
