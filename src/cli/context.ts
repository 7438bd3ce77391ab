import { compactCommand, compactKeepList } from '../context/compact-line.ts';
import { renderContextReport, type ContextReportView } from '../render/context-report.ts';
import type { CommandRun } from './command.ts';
import { loadContext, parseContextArgs, type LoadedContext } from './context-load.ts';
import { CONTEXT } from './specs.ts';

/**
 * `cco context [--session <id>] [--json] [--keep-turns <n>]`: the /context-status report (context
 * window, level, breakdown with counts, compaction opportunities in short), or its data as JSON.
 * A session without a readable transcript or without usage yet gives a report saying n/a and why
 * (exit 0).
 */
export const run: CommandRun = contextCommand(CONTEXT, renderContextReport);

/**
 * A command over one session's context window (`cco context`, `cco compact-plan`): reads the command
 * line by `spec`, loads the session's context (context-load.ts), then prints `render`'s report, or with
 * --json the data both share (contextJson). A problem on the way (no transcript yet) is said after the
 * report (on stderr with --json); the exit code is 0 either way.
 */
export function contextCommand(spec: typeof CONTEXT, render: (v: ContextReportView) => string): CommandRun {
  return async (rt, args, io) => {
    const a = parseContextArgs(spec, args);
    const c = await loadContext(rt, a, io.cwd);
    if (a.json) {
      io.stdout(JSON.stringify(contextJson(c), null, 1) + '\n');
      if (c.problem !== null) io.stderr(`cco: ${c.problem}\n`);
      return 0;
    }
    const text = render({
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
}

/** The JSON form: everything the report shows, without the per-item list. */
export function contextJson(c: LoadedContext): Record<string, unknown> {
  const a = c.analysis;
  return {
    session: c.session === null ? null : { id: c.session.sessionId, chosenBy: c.chosenBy, cwd: c.session.cwd, transcriptPath: c.session.transcriptPath },
    status: c.status,
    reason: c.reason,
    compacted: a?.compacted ?? null,
    system: a?.system ?? null,
    breakdown: a?.breakdown ?? null,
    opportunities: a === null ? null : a.opportunities,
    keepList: a === null ? null : compactKeepList(a),
    compactCommand: a === null ? null : compactCommand(a),
  };
}
