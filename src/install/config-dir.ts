import path from 'node:path';
import { refusedLine } from '../claude/config-dirs.ts';
import { InstallError } from './files.ts';

/**
 * The Claude Code config dir the installer writes to: the FIRST non-blank entry of a comma-separated
 * `CLAUDE_CONFIG_DIR` (a leading `~/` means HOME), else `$HOME/.claude`. Same rule as install.sh.
 *
 * Every entry must be absolute (after `~` expansion): a relative one is refused, never resolved against
 * `cwd`, because cco itself refuses it (src/claude/config-dirs.ts) and would then keep its state in a
 * dir other than the one we registered in. Refusing the whole list (not just skipping the entry) writes
 * nothing, so the person fixes the variable once instead of getting a half-right install.
 *
 * Deliberately no fallback to the password database: without HOME and CLAUDE_CONFIG_DIR we refuse
 * rather than guess whose config to edit.
 *
 * @param env the environment (only `CLAUDE_CONFIG_DIR` and `HOME` are read)
 * @param cwd directory that a relative HOME is resolved against
 * @returns an absolute path
 * @throws InstallError when a `CLAUDE_CONFIG_DIR` entry is relative (the message is `refusedLine`'s)
 * @throws Error when neither variable gives a directory
 */
export function resolveInstallConfigDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const home = env.HOME?.trim() || undefined;
  const entries = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const expand = (s: string): string => (home && (s === '~' || s.startsWith('~/')) ? path.join(path.resolve(cwd, home), s.slice(1)) : s);
  const refused = entries.filter((s) => !path.isAbsolute(expand(s)));
  if (refused.length > 0) throw new InstallError(refusedLine(refused));
  if (entries.length > 0) return path.resolve(expand(entries[0]!));
  if (!home) throw new Error('neither CLAUDE_CONFIG_DIR nor HOME is set; cannot tell which config dir to use');
  return path.join(path.resolve(cwd, home), '.claude');
}
