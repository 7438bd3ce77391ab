import { renderCompactPlan } from '../render/compact-plan.ts';
import type { CommandRun } from './command.ts';
import { contextCommand } from './context.ts';
import { COMPACT_PLAN } from './specs.ts';

/**
 * `cco compact-plan [--session <id>] [--json] [--keep-turns <n>]`: the compaction opportunities in
 * detail, their total, what to keep, then the exact `/compact` line to copy (the /compact-context
 * report). Exit 0 with a message when there is no transcript to plan from.
 */
export const run: CommandRun = contextCommand(COMPACT_PLAN, renderCompactPlan);
