import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readState, update } from './update.ts';

/**
 * `<cco home>/config-dirs.json`: every Claude config dir cco has seen on this machine, with the account
 * it counts toward (src/claude/account-home.ts). cco reads the transcripts of all of an account's dirs
 * for the 5-hour window, so parallel clones with one `CLAUDE_CONFIG_DIR` each share one quota picture.
 */
export const ConfigDirsRegistrySchema = z.looseObject({
  version: z.literal(1),
  dirs: z.record(
    z.string(),
    z.object({
      /** The cco account (`default`, or `CCO_ACCOUNT`). */
      account: z.string(),
      /** ISO-8601 UTC: first and last seen by a tracker or a `cco` command. */
      firstSeenAt: z.string(),
      lastSeenAt: z.string(),
      /** The Claude account the dir is signed in to (`oauthAccount.accountUuid` of its `.claude.json`), when known. */
      claudeAccount: z.string().nullable(),
    }),
  ),
});
export type ConfigDirsRegistry = z.infer<typeof ConfigDirsRegistrySchema>;

/** An empty registry. */
export function emptyRegistry(): ConfigDirsRegistry {
  return { version: 1, dirs: {} };
}

/** A registered dir that no longer exists is dropped this long after it was last seen (ms). */
export const FORGET_GONE_AFTER_MS = 7 * 24 * 3_600_000;
/** A dir's `lastSeenAt` is refreshed at most this often (ms): registering is a locked write. */
export const REFRESH_AFTER_MS = 60 * 60_000;

/** Dirs kept in the registry: past this many, the least recently seen are dropped (bounds every read of it). */
export const MAX_REGISTERED_DIRS = 256;

/**
 * The registry as it is. Never throws: an invalid one reads as empty (the next registration moves it
 * aside and rebuilds it), and so does one that cannot be read (`onProblem` hears why: EACCES, a
 * directory in its place...), since the registry only widens what is read.
 */
export function readRegistry(file: string, onProblem?: (why: string) => void): ConfigDirsRegistry {
  try {
    return readState(file, ConfigDirsRegistrySchema, emptyRegistry, onProblem);
  } catch (e) {
    onProblem?.(e instanceof Error ? e.message : String(e));
    return emptyRegistry();
  }
}

/**
 * The registry with `dir` seen at `nowIso` for `account` (first sight, or a refresh older than
 * REFRESH_AFTER_MS, or another account or Claude account), and forgotten: dirs that are gone once last
 * seen over FORGET_GONE_AFTER_MS ago, relative keys (hand edits: they would mean the reader's current
 * directory), and the least recently seen past MAX_REGISTERED_DIRS. Pure but for `exists`.
 * @returns the new registry, or undefined when nothing changes (nothing to write)
 */
export function foldSighting(
  r: ConfigDirsRegistry,
  dir: string,
  account: string,
  claudeAccount: string | null,
  nowMs: number,
  exists: (d: string) => boolean,
): ConfigDirsRegistry | undefined {
  const prev = Object.hasOwn(r.dirs, dir) ? r.dirs[dir] : undefined;
  const nowIso = new Date(nowMs).toISOString();
  const others = Object.entries(r.dirs).filter(([d]) => d !== dir);
  const overflow = new Set(
    byLastSeen(others)
      .slice(MAX_REGISTERED_DIRS - 1)
      .map(([d]) => d),
  );
  const forget = others.filter(([d, e]) => overflow.has(d) || !path.isAbsolute(d) || (nowMs - seenMs(e) > FORGET_GONE_AFTER_MS && !exists(d))).map(([d]) => d);
  const stale =
    prev === undefined ||
    prev.account !== account ||
    (claudeAccount !== null && prev.claudeAccount !== claudeAccount) ||
    nowMs - Date.parse(prev.lastSeenAt) >= REFRESH_AFTER_MS;
  if (!stale && forget.length === 0) return undefined;
  const dirs = { ...r.dirs };
  for (const d of forget) delete dirs[d];
  dirs[dir] = { account, firstSeenAt: prev?.firstSeenAt ?? nowIso, lastSeenAt: nowIso, claudeAccount: claudeAccount ?? prev?.claudeAccount ?? null };
  return { ...r, dirs };
}

/**
 * Records that `dir` was seen for `account` (see foldSighting), under the registry's lock. The dir's
 * Claude account (claudeAccountOf: a read of its `.claude.json`) is read only when the entry is due to be
 * written anyway (new, moved to another account, or an hour old), so a seen dir costs one small read.
 * @throws LockBusyError past `lockBudgetMs`; fs errors writing
 */
export async function registerConfigDir(
  file: string,
  dir: string,
  account: string,
  home: string,
  nowMs: number,
  lockBudgetMs: number,
  exists: (d: string) => boolean,
): Promise<void> {
  const current = readRegistry(file);
  if (foldSighting(current, dir, account, null, nowMs, exists) === undefined) return;
  const claude = claudeAccountOf(dir, home);
  await update(file, ConfigDirsRegistrySchema, emptyRegistry, (r) => foldSighting(r, dir, account, claude, nowMs, exists), { lockBudgetMs });
}

/** A `.claude.json` larger than this is not read for its account (bytes). */
const MAX_GLOBAL_CONFIG_BYTES = 32 << 20;

/**
 * The Claude account a config dir is signed in to: `oauthAccount.accountUuid` of its global config,
 * `<dir>/.claude.json` (where Claude Code keeps it when CLAUDE_CONFIG_DIR is set; reference §0), or for
 * the default `~/.claude` without one, `~/.claude.json`; found in its text so that a file Claude Code is
 * rewriting still gives it; null when unknown (an API key, no file). Only read.
 */
function claudeAccountOf(dir: string, home: string): string | null {
  const own = path.join(dir, '.claude.json');
  return (
    accountIn(own) ?? (path.resolve(dir) === path.join(path.resolve(home), '.claude') && !existsSync(own) ? accountIn(path.join(home, '.claude.json')) : null)
  );
}

function accountIn(file: string): string | null {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_GLOBAL_CONFIG_BYTES) return null; // a FIFO would block the read
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('"oauthAccount"');
    if (at < 0) return null;
    const m = /"accountUuid"\s*:\s*"([0-9A-Za-z-]{1,80})"/.exec(text.slice(at, at + 4_000));
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

/** A registered dir that is gone: where, and when a tracker or `cco` last saw it (ISO-8601 UTC). */
export interface GoneDir {
  dir: string;
  lastSeenAt: string;
}

/**
 * The config dirs of `account` besides `own`: registered ones that exist (absolute keys only; the
 * MAX_REGISTERED_DIRS most recently seen of a hand-grown registry), and `listed` (config `configDirs`,
 * absolute), in that order, each once; and the registered ones that are gone, most recently seen
 * first. Pure but for `exists`.
 */
export function accountDirsOf(
  r: ConfigDirsRegistry,
  account: string,
  own: string,
  listed: readonly string[],
  exists: (d: string) => boolean,
): { dirs: string[]; gone: GoneDir[] } {
  const dirs: string[] = [];
  const gone: GoneDir[] = [];
  const mine = Object.entries(r.dirs).filter(([d, e]) => e.account === account && d !== own && path.isAbsolute(d));
  for (const [d, e] of byLastSeen(mine)
    .slice(0, MAX_REGISTERED_DIRS)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (exists(d)) dirs.push(path.resolve(d));
    else gone.push({ dir: d, lastSeenAt: e.lastSeenAt });
  }
  gone.sort((a, b) => Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt) || (a.dir < b.dir ? -1 : 1));
  for (const d of listed) if (path.isAbsolute(d) && d !== own && !dirs.includes(d) && exists(d)) dirs.push(path.resolve(d));
  return { dirs: [...new Set(dirs)], gone };
}

/** Registry entries, most recently seen first (an unparsable time counts as never). */
function byLastSeen<E extends { lastSeenAt: string }>(entries: [string, E][]): [string, E][] {
  return [...entries].sort(([, a], [, b]) => seenMs(b) - seenMs(a));
}

function seenMs(e: { lastSeenAt: string }): number {
  const t = Date.parse(e.lastSeenAt);
  return Number.isFinite(t) ? t : 0;
}

/** Registered dirs of `account` that are signed in to different Claude accounts (a warning: one quota picture for two accounts). */
export function mixedClaudeAccounts(r: ConfigDirsRegistry, account: string): string[] {
  const seen = new Map<string, string>();
  for (const [d, e] of Object.entries(r.dirs))
    if (e.account === account && e.claudeAccount !== null && !seen.has(e.claudeAccount)) seen.set(e.claudeAccount, d);
  return seen.size > 1 ? [...seen.values()].sort() : [];
}
