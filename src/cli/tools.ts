import { transcriptRoots } from '../store/account-dirs.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FileDigest } from '../claude/transcript-digest.ts';
import { listTranscripts, subagentTranscripts } from '../claude/transcript-files.ts';
import { renderToolsReport } from '../render/tools.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { emptySessionTracker, SessionTrackerSchema } from '../store/schemas.ts';
import { trackAll } from '../tracker/track-step.ts';
import { catchUpCached } from '../store/transcript-cache.ts';
import { readState } from '../store/update.ts';
import { tokensPerToolCall } from '../usage/per-tool-call.ts';
import { countedTokens } from '../usage/tokens.ts';
import { buildToolsReport, type ToolsReport } from '../usage/tool-report.ts';
import { mergeToolTallies } from '../usage/tool-tally.ts';
import type { CommandRun } from './command.ts';
import { parseCommand } from './args.ts';
import { CommandFailure } from './errors.ts';
import { TOOLS } from './specs.ts';

/** `cco tools [--session <id>] [--json]`: the report as text, or as JSON (a ToolsReport) with `--json`. */
export const run: CommandRun = async (rt, args, io) => {
  const { values } = parseCommand(TOOLS, args);
  const { report, problem } = await toolsReport(rt, values.session ?? null);
  if (values.json === true) {
    io.stdout(JSON.stringify(report, null, 1) + '\n');
    if (problem !== null) io.stderr(`cco: ${problem}\n`);
  } else {
    io.stdout(renderToolsReport(report) + (problem === null ? '' : `\nNote: ${problem}\n`));
  }
  return 0;
};

/**
 * `cco tools` as data: catches up every transcript under the config dirs (through the per-file caches,
 * recording every session) and sums their tool tallies; with `session`, shows that session's main and
 * subagent files only. The tokens per tool call are those of all sessions (session-tracker.json, as
 * the runway of /session-status computes them), and of the session in scope.
 *
 * @returns the report, and why `cco/config.json` was ignored (null when it was fine or absent)
 * @throws CommandFailure for a session with no transcript; LockBusyError when a state lock stays busy
 */
async function toolsReport(rt: Runtime, session: string | null = null): Promise<{ report: ToolsReport; problem: string | null }> {
  const { config, problem } = loadConfig(rt);
  const w = config.quota.weights;
  const all = await allDigests(rt);
  const records = Object.values(readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker).sessions);
  const perToolCall = tokensPerToolCall(records, w);
  if (session === null) {
    const countedAll = records.reduce((n, s) => n + countedTokens(s.tokens, w), 0);
    return { report: buildToolsReport(mergeToolTallies(all), { scope: 'all sessions', files: all.length, countedTokens: countedAll, perToolCall }), problem };
  }
  const digests = await sessionDigests(rt, session);
  const own = records.find((s) => s.sessionId === session);
  const report = buildToolsReport(mergeToolTallies(digests), {
    scope: `session ${session}`,
    files: digests.length,
    perToolCall,
    countedTokens: own === undefined ? 0 : countedTokens(own.tokens, w),
    sessionPerToolCall: own === undefined ? null : tokensPerToolCall([own], w),
  });
  return { report, problem };
}

const READ_ONLY = new Set(['EACCES', 'EROFS', 'EPERM']);

async function allDigests(rt: Runtime): Promise<FileDigest[]> {
  let scan;
  try {
    scan = await trackAll(rt, null, { lockBudgetMs: 10_000 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined || !READ_ONLY.has(code)) throw e;
    process.stderr.write(`cco: ${rt.paths.stateDir} is not writable (${code}); scanning without the cache\n`);
    scan = await trackAll(rt, null, { ignoreCache: true, persist: false });
  }
  return scan.digests;
}

/**
 * The digests of one session: its main transcript (`<id>.jsonl` under any config dir, else the path the
 * session tracker recorded) and that file's subagent transcripts.
 */
async function sessionDigests(rt: Runtime, id: string): Promise<FileDigest[]> {
  let mains = listTranscripts(transcriptRoots(rt)).filter((f) => path.basename(f, '.jsonl') === id && path.basename(path.dirname(f)) !== 'subagents');
  if (mains.length === 0) {
    const recorded = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker).sessions[id]?.transcriptPath ?? null;
    if (recorded !== null && existsSync(recorded)) mains = [recorded];
  }
  if (mains.length === 0) throw new CommandFailure(`no transcript found for session ${id}`);
  const digests: FileDigest[] = [];
  for (const f of mains.flatMap((m) => [m, ...subagentTranscripts(m)])) {
    try {
      digests.push((await catchUpOne(rt, f)).cursor.digest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return digests;
}

async function catchUpOne(rt: Runtime, f: string) {
  try {
    return await catchUpCached(rt, f, { lockBudgetMs: 5_000 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined || !READ_ONLY.has(code) || !existsSync(f)) throw e;
    return catchUpCached(rt, f, { persist: false });
  }
}
