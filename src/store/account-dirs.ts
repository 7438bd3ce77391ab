import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Runtime } from '../runtime.ts';
import type { StatePaths } from './paths.ts';
import { accountDirsOf, readRegistry } from './config-dirs-registry.ts';

/** The account's config dirs as `accountDirs` finds them. */
export interface AccountDirs {
  /** Every config dir of the account: this one first, then the registered and configured ones that exist. */
  dirs: string[];
  /** Registered dirs of the account that no longer exist (their sessions no longer count). */
  gone: string[];
  /** Every transcript root to read: the runtime's listed roots, then the account's other dirs with a `projects/` folder. */
  transcriptRoots: string[];
}

const memo = new WeakMap<Runtime, AccountDirs>();

/**
 * The config dirs of the runtime's account (src/claude/account-home.ts): the registry's
 * (src/store/config-dirs-registry.ts) and the config's `configDirs`, read once per runtime. Kept out of
 * the runtime itself so that the hook fronts, which never need them, load no schema library.
 * @throws never (an unreadable registry counts as empty)
 */
export function accountDirs(rt: Runtime): AccountDirs {
  const known = memo.get(rt);
  if (known !== undefined) return known;
  const own = rt.dirs.stateDir;
  const { dirs, gone } = accountDirsOf(readRegistry(rt.paths.configDirsRegistry), rt.account, own, configuredDirs(rt.paths), isDir);
  const others = dirs.filter((d) => !rt.dirs.listedRoots.includes(d) && isDir(path.join(d, 'projects')));
  const found: AccountDirs = { dirs: [own, ...dirs], gone, transcriptRoots: [...rt.dirs.listedRoots, ...others] };
  memo.set(rt, found);
  return found;
}

/** Every transcript root of the account (accountDirs), in the order DESIGN.md's dedupe rule breaks ties. */
export function transcriptRoots(rt: Runtime): string[] {
  return accountDirs(rt).transcriptRoots;
}

/**
 * `configDirs` of the config in effect (the config dir's `cco/config.json`, else the account's), read
 * without the schema: absolute strings only (a relative entry could mean anything).
 */
function configuredDirs(paths: StatePaths): string[] {
  for (const f of [paths.config, paths.accountConfig]) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(f, 'utf8'));
    } catch {
      continue;
    }
    const list = (raw as { configDirs?: unknown } | null)?.configDirs;
    return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string' && path.isAbsolute(d)) : [];
  }
  return [];
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
