import type { Runtime } from '../runtime.ts';

/** Where a command writes: injected so tests can capture output and feed stdin. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of stdin (resolves '' when stdin is a terminal). */
  readStdin: () => Promise<string>;
  cwd: string;
}

/**
 * A `cco` subcommand, given the words after its name (never `--help`: main.ts prints the help). Returns
 * the exit code; throws UsageError for a bad command line (exit 2) and CommandFailure for a failure that
 * is the user's situation (exit 1); see error-line.ts.
 */
export type CommandRun = (rt: Runtime, args: string[], io: CommandIo) => Promise<number>;
