/**
 * `cco sync [--wait-ms <ms>]`: tracks the hook events still waiting in the spool now (the background
 * tracker's work, src/tracker/), waiting up to `--wait-ms` (default 10,000) for a tracker already at it.
 * Prints what it did; exit 0 when the spool is empty afterwards, 1 when events are left (a tracker
 * still holding the lock past the wait).
 */
import { listSpool } from '../front/spool.ts';
import { waitForSpool } from '../tracker/tracker-run.ts';
import type { CommandRun } from './command.ts';
import { UsageError } from './errors.ts';

export const run: CommandRun = async (rt, args, io) => {
  let waitMs = 10_000;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--wait-ms' && args[i + 1] !== undefined && /^\d+$/.test(args[i + 1]!)) waitMs = Number(args[++i]);
    else throw new UsageError(`usage: cco sync [--wait-ms <ms>]`);
  }
  const before = listSpool(rt.paths.spoolDir).length;
  const { left, tracked } = await waitForSpool(rt, waitMs);
  io.stdout(`cco sync: ${before} hook event(s) were waiting; ${tracked} tracking job(s) run here; ${left} left\n`);
  return left === 0 ? 0 : 1;
};
