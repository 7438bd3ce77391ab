// The command line of the status line, read once for both of its entry points: the status line front
// (dist/statusline.cjs, what install sets) and `cco statusline`.
import { parseCommand } from './args.ts';
import { UsageError } from './errors.ts';
import { STATUSLINE } from './specs.ts';
import type { StatuslineArgs } from '../statusline/wrap.ts';

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
