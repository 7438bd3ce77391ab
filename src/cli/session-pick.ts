import type { SessionRecord, SessionTracker } from '../store/schemas.ts';
import { UsageError } from './errors.ts';

/**
 * The session a report is about: `wanted` (`--session`), else `envId` (`CLAUDE_CODE_SESSION_ID`, which
 * `!` commands of a slash command receive) when tracked, else the most recently seen session in `cwd`,
 * else the most recently seen one. Also says how it was chosen.
 *
 * @throws UsageError for a `wanted` id that is not tracked
 */
export function pickSession(t: SessionTracker, wanted: string | null, envId: string | undefined, cwd: string): { session: SessionRecord | null; chosenBy: string } {
  if (wanted !== null) {
    const s = t.sessions[wanted];
    if (s === undefined) throw new UsageError(`no tracked session with id ${wanted}`);
    return { session: s, chosenBy: '--session' };
  }
  if (envId !== undefined && t.sessions[envId] !== undefined) return { session: t.sessions[envId]!, chosenBy: 'this session' };
  const all = Object.values(t.sessions).sort((a, b) => Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt) || Date.parse(b.lastUsageAt ?? '0') - Date.parse(a.lastUsageAt ?? '0'));
  const here = all.find((s) => s.cwd === cwd);
  if (here !== undefined) return { session: here, chosenBy: 'latest in this directory' };
  return { session: all[0] ?? null, chosenBy: 'latest on this machine' };
}

/**
 * The value after `flag` in `args`, or null when the flag is absent.
 *
 * @throws UsageError when the flag has no value (end of args, or another `--flag` follows)
 */
export function flagValue(args: string[], flag: string): string | null {
  const i = args.indexOf(flag);
  if (i < 0) return null;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return v;
}
