import type { SessionRecord, SessionTracker } from '../store/schemas.ts';
import { CommandFailure } from './errors.ts';

/**
 * The session a report is about: `wanted` (`--session`), else `envId` (`CLAUDE_CODE_SESSION_ID`, which
 * `!` commands of a slash command receive) when tracked, else the most recently seen session in `cwd`,
 * else the most recently seen one. Also says how it was chosen.
 *
 * @throws CommandFailure for a `wanted` id that is not tracked
 */
export function pickSession(
  t: SessionTracker,
  wanted: string | null,
  envId: string | undefined,
  cwd: string,
): { session: SessionRecord | null; chosenBy: string } {
  if (wanted !== null) {
    const s = t.sessions[wanted];
    if (s === undefined) throw new CommandFailure(`no tracked session with id ${wanted}`);
    return { session: s, chosenBy: '--session' };
  }
  if (envId !== undefined && t.sessions[envId] !== undefined) return { session: t.sessions[envId]!, chosenBy: 'this session' };
  const all = Object.values(t.sessions).sort(
    (a, b) => Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt) || Date.parse(b.lastUsageAt ?? '0') - Date.parse(a.lastUsageAt ?? '0'),
  );
  const here = all.find((s) => s.cwd === cwd);
  if (here !== undefined) return { session: here, chosenBy: 'latest in this directory' };
  return { session: all[0] ?? null, chosenBy: 'latest on this machine' };
}
