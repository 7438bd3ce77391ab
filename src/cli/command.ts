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
 * A `cco` subcommand. Returns the exit code; throws UsageError for a clear one-line failure (exit 1).
 */
export type CommandRun = (rt: Runtime, args: string[], io: CommandIo) => Promise<number>;
