import path from 'node:path';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from './config-file.ts';
import { accountDirsOf, readRegistry, type GoneDir } from './config-dirs-registry.ts';
import { isDir } from '../fs-kind.ts';

/** The account's config dirs as `accountDirs` finds them. */
export interface AccountDirs {
  /** Every config dir of the account: this one first, then the registered and configured ones that exist. */
  dirs: string[];
  /** Registered dirs of the account that no longer exist, most recently seen first (usage already tracked from them stays counted). */
  gone: GoneDir[];
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
  const registry = readRegistry(rt.paths.configDirsRegistry, (why) =>
    rt.log('warn', 'registry', `${rt.paths.configDirsRegistry} unreadable (${why}); only this config dir's transcripts are read`),
  );
  const { dirs, gone } = accountDirsOf(registry, rt.account, own, configuredDirs(rt), isDir);
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
 * `configDirs` of the config in effect (the config dir's `cco/config.json`, else the account's), as its
 * schema validates it: an invalid config is ignored whole, `configDirs` too; absolute entries only (a
 * relative one could mean anything). Never throws (an unreadable config lists none).
 */
function configuredDirs(rt: Runtime): string[] {
  try {
    return (loadConfig(rt).config.configDirs ?? []).filter((d) => path.isAbsolute(d));
  } catch {
    return [];
  }
}
