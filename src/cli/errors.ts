/** Exit codes of `cco`: done, a real failure (one line on stderr), a bad command line (one line on stderr). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * A bad command line: unknown subcommand or option, a missing or bad value, a missing argument. The CLI
 * prints one line, `cco <command>: <message>; see <cco> <command> --help`, and exits 2 (EXIT_USAGE).
 * `command` is the words after `cco` whose help to point at (`status`, `plan add`); without it the
 * subcommand being run.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A command that could not do what was asked, for a reason that is the user's situation, not a bug (no
 * such session, a planned session larger than one window, nothing to hand off). The CLI prints one line,
 * `cco <command>: <message>`, without a stack, and exits 1 (EXIT_FAILURE).
 */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}
