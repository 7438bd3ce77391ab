import { ConfigDirError } from '../claude/config-dirs.ts';
import { terminalText } from '../render/display-text.ts';
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
 * - anything else: `cco <sub>: <its message>`, exit 1, logged; a file system error (it names its path)
 *   adds that `<self> doctor` checks the state dirs.
 * The message is shown whole on the one line (oneLine): a message quoting the person's input with a line
 * break in it is not cut mid-quote. `self` is how the person runs cco (selfCommand). Pure.
 */
export function errorOutcome(e: unknown, sub: string | null, self: string): ErrorOutcome {
  if (e instanceof UsageError) {
    const cmd = e.command ?? sub;
    const at = cmd === null || cmd === '' ? '' : ` ${cmd}`;
    return { line: `cco${at}: ${oneLine(e.message)}; see ${self}${at} --help\n`, code: EXIT_USAGE, log: false };
  }
  const at = sub === null ? '' : ` ${sub}`;
  if (e instanceof CommandFailure || e instanceof ConfigDirError) return { line: `cco${at}: ${oneLine(e.message)}\n`, code: EXIT_FAILURE, log: false };
  const msg = e instanceof Error ? e.message : String(e);
  const hint = typeof (e as NodeJS.ErrnoException | undefined)?.path === 'string' ? ` (${self} doctor checks the state dirs)` : '';
  return { line: `cco${at}: ${oneLine(msg)}${hint}\n`, code: EXIT_FAILURE, log: true };
}

/**
 * `message` as one line, whole: trailing white space dropped, each line feed shown as the two characters
 * `\n`, U+2028 / U+2029 as `\u2028` / `\u2029`, then terminalText (a CR as `\u000d`, NEL as `\u0085`,
 * ...: as the rest of cco's output shows a control character). Pure.
 */
export function oneLine(message: string): string {
  return terminalText(message.trimEnd().replace(/[\n\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16)}`)));
}
