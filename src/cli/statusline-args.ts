// The command line of the status line, read once for both of its entry points: the status line front
// (dist/statusline.cjs, what install sets) and `cco statusline`.
import { command, parseCommand } from './args.ts';
import { UsageError } from './errors.ts';
import type { StatuslineArgs } from '../statusline/wrap.ts';

/** `cco statusline` (and the status line front): what it accepts and how its --help reads. */
export const STATUSLINE = command({
  name: 'statusline',
  summary: "The status line: reads Claude Code's statusline JSON on stdin, saves the official readings, prints one line.",
  options: {
    wrap: { type: 'string', arg: '<cmd>', help: 'run your own status line command (sh -c, same stdin, 3 s) and print its output first' },
    'wrap-mode': { type: 'string', arg: 'append|silent', help: 'append: ours after yours on the same line (default); silent: only yours' },
  },
  more: ['It exits 0 whatever it finds (Claude Code shows nothing for a failing command); only a bad command line exits 2.'],
});

/**
 * Parses `[--wrap <cmd>] [--wrap-mode append|silent]` (also `--wrap=<cmd>`) by the STATUSLINE spec.
 * @returns the wrapped command (null: none) and how its output combines with ours (default `append`)
 * @throws UsageError for a bad command line, a `--wrap-mode` other than append or silent, an empty `--wrap`
 */
export function parseStatuslineArgs(args: readonly string[]): StatuslineArgs {
  const { values } = parseCommand(STATUSLINE, args);
  const mode = values['wrap-mode'] ?? 'append';
  if (mode !== 'append' && mode !== 'silent') throw new UsageError(`--wrap-mode must be append or silent, not "${mode}"`, STATUSLINE.name);
  if (values.wrap !== undefined && values.wrap.trim() === '') throw new UsageError('--wrap needs a command', STATUSLINE.name);
  return { wrap: values.wrap ?? null, wrapMode: mode };
}
