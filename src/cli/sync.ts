/**
 * `cco sync [--wait-ms <ms>]`: tracks the hook events still waiting in the spool now (the background
 * tracker's work, src/tracker/), waiting up to `--wait-ms` (default 10,000) for a tracker already at it.
 * Prints what it did; exit 0 when the spool is empty afterwards, 1 when events are left (a tracker
 * still holding the lock past the wait).
 */
import { listSpool } from '../front/spool.ts';
import { waitForSpool } from '../tracker/tracker-run.ts';
import { parseCommand } from './args.ts';
import type { CommandRun } from './command.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './errors.ts';
import { SYNC } from './specs.ts';

export const run: CommandRun = async (rt, args, io) => {
  const { values } = parseCommand(SYNC, args);
  const wait = values['wait-ms'];
  if (wait !== undefined && !/^\d+$/.test(wait)) throw new UsageError(`--wait-ms needs a whole number of ms, not "${wait}"`, SYNC.name);
  const waitMs = wait === undefined ? 10_000 : Number(wait);
  const before = listSpool(rt.paths.spoolDir).length;
  const { left, tracked } = await waitForSpool(rt, waitMs);
  io.stdout(`cco sync: ${before} hook event(s) were waiting; ${tracked} tracking job(s) run here; ${left} left\n`);
  return left === 0 ? EXIT_OK : EXIT_FAILURE;
};
