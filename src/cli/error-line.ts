import { ConfigDirError } from '../claude/config-dirs.ts';
import { CommandFailure, EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.ts';

/** What the CLI does with an error a command threw: the one line for stderr, the exit code, whether to log it. */
export interface ErrorOutcome {
  /** One line, with its newline. */
  line: string;
  code: number;
  /** True for an unexpected error (a bug or an I/O problem): its stack goes to the log. */
  log: boolean;
}

/**
 * How an error ends `cco <sub>` (`sub` null before a subcommand was found):
 * - UsageError: `cco <command>: <what>; see <self> <command> --help`, exit 2;
 * - CommandFailure, and ConfigDirError (CLAUDE_CONFIG_DIR names no usable state dir: src/runtime.ts): `cco <sub>: <what>`, exit 1;
 * - anything else: `cco <sub>: <first line of its message>`, exit 1, logged; a file system error (it
 *   names its path) adds that `<self> doctor` checks the state dirs.
 * `self` is how the person runs cco (selfCommand). Pure.
 */
export function errorOutcome(e: unknown, sub: string | null, self: string): ErrorOutcome {
  const first = (m: string) => m.split('\n')[0] ?? '';
  if (e instanceof UsageError) {
    const cmd = e.command ?? sub;
    const at = cmd === null || cmd === '' ? '' : ` ${cmd}`;
    return { line: `cco${at}: ${first(e.message)}; see ${self}${at} --help\n`, code: EXIT_USAGE, log: false };
  }
  const at = sub === null ? '' : ` ${sub}`;
  if (e instanceof CommandFailure || e instanceof ConfigDirError) return { line: `cco${at}: ${first(e.message)}\n`, code: EXIT_FAILURE, log: false };
  const msg = e instanceof Error ? e.message : String(e);
  const hint = typeof (e as NodeJS.ErrnoException | undefined)?.path === 'string' ? ` (${self} doctor checks the state dirs)` : '';
  return { line: `cco${at}: ${first(msg)}${hint}\n`, code: EXIT_FAILURE, log: true };
}
