import { renderCompactPlan } from '../render/compact-plan.ts';
import type { CommandRun } from './command.ts';
import { contextJson } from './context.ts';
import { loadContext, parseContextArgs } from './context-load.ts';
import { COMPACT_PLAN } from './specs.ts';

/**
 * `cco compact-plan [--session <id>] [--json] [--keep-turns <n>]`: the compaction opportunities in
 * detail, their total, what to keep, then the exact `/compact` line to copy (the /compact-context
 * report). Exit 0 with a message when there is no transcript to plan from.
 */
export const run: CommandRun = async (rt, args, io) => {
  const a = parseContextArgs(COMPACT_PLAN, args);
  const c = await loadContext(rt, a, io.cwd);
  if (a.json) {
    io.stdout(JSON.stringify(contextJson(c), null, 1) + '\n');
    if (c.problem !== null) io.stderr(`cco: ${c.problem}\n`);
    return 0;
  }
  const text = renderCompactPlan({
    nowMs: c.nowMs,
    sessionId: c.session?.sessionId ?? null,
    chosenBy: c.chosenBy,
    status: c.status,
    analysis: c.analysis,
    reason: c.reason,
  });
  io.stdout(text + (c.problem === null ? '' : `\nNote: ${c.problem}\n`));
  return 0;
};
