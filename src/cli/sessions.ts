import { accountDirs } from '../store/account-dirs.ts';
import { probeProcess, type ProcessProbe } from '../claude/process-memory.ts';
import type { FileDigest } from '../claude/transcript-digest.ts';
import { listTranscripts, subagentTranscripts } from '../claude/transcript-files.ts';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { quotaFromState } from '../quota/quota-from-state.ts';
import type { QuotaStatus } from '../quota/quota-status.ts';
import { sessionsToLoad, sessionsView, type SessionsView } from '../quota/sessions-view.ts';
import { renderSessions } from '../render/sessions.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { emptySessionTracker, QuotaTrackerSchema, type SessionTracker, SessionTrackerSchema } from '../store/schemas.ts';
import { trackAll } from '../tracker/track-step.ts';
import { catchUpCached } from '../store/transcript-cache.ts';
import { LockBusyError, readState } from '../store/update.ts';
import { sessionUsage, type SessionUsage } from '../usage/session-usage.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';
import type { CommandRun } from './command.ts';
import { parseCommand } from './args.ts';
import { SESSIONS } from './specs.ts';

/** Transcripts modified within this span are caught up first (two 5-hour windows), as for `cco status`. */
const CATCH_UP_SPAN_MS = 10 * 3_600_000;

/**
 * `cco sessions [--json]`: catches up recent transcripts, then shows the sessions on this machine
 * (live ones with their share of the window, burn rate, context and memory; the others of the last
 * 24 h with `claude --resume <id>`). `--json` prints the SessionsView (times in epoch ms, token
 * figures in counted tokens, memory in bytes).
 *
 * @throws UsageError for a bad command line; LockBusyError when the state files stay locked
 */
export const run: CommandRun = async (rt, args, io) => {
  const { values } = parseCommand(SESSIONS, args);
  const { config, problem } = loadConfig(rt);
  const nowMs = rt.now().getTime();
  await trackAll(rt, nowMs - CATCH_UP_SPAN_MS, { lockBudgetMs: 5_000 });
  const tracker = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker);
  const quota = quotaFromState(readState(rt.paths.quotaTracker, QuotaTrackerSchema, emptyQuotaTracker), tracker, config, nowMs);
  const view = await loadSessionsView(rt, tracker, quota, config, nowMs);
  if (values.json === true) io.stdout(JSON.stringify(view, null, 1) + '\n');
  else io.stdout(renderSessions(view) + (problem === null ? '' : `\nNote: ${problem}\n`));
  return 0;
};

/**
 * Gathers what `sessionsView` needs from the outside world and builds it: the cached digests of each
 * live session's transcripts (main + subagents; read-only when a cache lock is busy) for its usage,
 * and a probe of each recent session's Claude process (`CLAUDE_PID`). Call after the transcripts were
 * caught up (`trackAll`), so the tracker is current. Also used by `cco status` for its section.
 *
 * @param quota the quota picture at `nowMs` (its window and the counted tokens in it)
 * @param probe process probe, injectable for tests (default: process-memory.ts)
 * @returns the view; a session whose transcripts could not be read (other than ENOENT, which means no
 *   usage yet) is logged and shown with its usage unknown
 * @throws nothing for transcripts; only what `sessionsView` and the injected probe throw (neither does)
 */
export async function loadSessionsView(
  rt: Runtime,
  tracker: SessionTracker,
  quota: Pick<QuotaStatus, 'window' | 'used'>,
  config: Config,
  nowMs: number,
  probe: (pid: number) => ProcessProbe = probeProcess,
): Promise<SessionsView> {
  const account = await accountSessions(rt, tracker, quota.window, config);
  const all = account?.tracker ?? tracker;
  const { live, pids } = sessionsToLoad(all, config, nowMs);
  const processes = new Map(pids.map((p) => [p, probe(p)] as const));
  const usage = new Map<string, SessionUsage>();
  for (const s of live) {
    if (s.transcriptPath === null) continue;
    const digests = await sessionDigests(rt, s.transcriptPath);
    if (digests !== null) usage.set(s.sessionId, sessionUsage(digests, quota.window, nowMs, config.quota.weights));
  }
  const home = rt.env.HOME !== undefined && rt.env.HOME.length > 0 ? rt.env.HOME : null;
  return sessionsView({
    tracker: all,
    usage,
    processes,
    window: quota.window,
    windowTokens: quota.used,
    config,
    nowMs,
    home,
    ...(account === null ? {} : { configDirs: { dirs: account.dirs, dirOf: account.dirOf } }),
  });
}

/**
 * The sessions of every config dir of the account (their session-tracker.json files, read-only; an
 * unreadable one counts as empty and is logged) merged with this dir's, the dir of each session, and
 * each dir's counted tokens in the window (from its transcripts through the caches; null when one could
 * not be read). Null when the account has only this config dir.
 */
async function accountSessions(
  rt: Runtime,
  own: SessionTracker,
  window: { startMs: number } | null,
  config: Config,
): Promise<{ tracker: SessionTracker; dirs: { dir: string; windowTokens: number | null }[]; dirOf: Map<string, string> } | null> {
  const dirs = accountDirs(rt).dirs;
  if (dirs.length < 2) return null;
  const sessions: SessionTracker['sessions'] = {};
  const dirOf = new Map<string, string>();
  const shares: { dir: string; windowTokens: number | null }[] = [];
  for (const dir of dirs) {
    const t =
      dir === rt.dirs.stateDir
        ? own
        : readState(path.join(dir, 'session-tracker.json'), SessionTrackerSchema, emptySessionTracker, (why) =>
            rt.log('warn', 'sessions', `${dir}/session-tracker.json unreadable (${why})`),
          );
    for (const [id, s] of Object.entries(t.sessions)) {
      if (dirOf.has(id)) continue; // the same session seen by two dirs' scans: the first (this dir) wins
      sessions[id] = s;
      dirOf.set(id, dir);
    }
    shares.push({ dir, windowTokens: window === null ? 0 : await dirWindowTokens(rt, dir, window.startMs, config) });
  }
  return { tracker: { ...own, sessions }, dirs: shares, dirOf };
}

/** Counted tokens of a config dir's transcripts timestamped in the window (measured); null when one could not be read. */
async function dirWindowTokens(rt: Runtime, dir: string, startMs: number, config: Config): Promise<number | null> {
  const digests: FileDigest[] = [];
  for (const f of listTranscripts([dir])) {
    try {
      if (statSync(f).mtimeMs < startMs) continue;
      digests.push((await catchUp(rt, f)).cursor.digest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      rt.log('warn', 'sessions', `${f}: ${(e as Error).message}`);
      return null;
    }
  }
  return sessionUsage(digests, { startMs }, rt.now().getTime(), config.quota.weights).windowTokens;
}

/**
 * The digests of a session's transcripts, main file first. A file that does not exist (yet) has no
 * usage; null when one could not be read (the session's usage is then shown as unknown).
 */
async function sessionDigests(rt: Runtime, main: string): Promise<FileDigest[] | null> {
  const out: FileDigest[] = [];
  for (const f of [main, ...subagentTranscripts(main)]) {
    try {
      out.push((await catchUp(rt, f)).cursor.digest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      rt.log('warn', 'sessions', `${f}: ${(e as Error).message}`);
      return null;
    }
  }
  return out;
}

async function catchUp(rt: Runtime, f: string) {
  try {
    return await catchUpCached(rt, f, { lockBudgetMs: 1_000 });
  } catch (e) {
    if (e instanceof LockBusyError) return catchUpCached(rt, f, { persist: false });
    throw e;
  }
}
