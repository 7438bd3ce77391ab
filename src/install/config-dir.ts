import path from 'node:path';

/**
 * The Claude Code config dir the installer writes to: the FIRST non-blank entry of a comma-separated
 * `CLAUDE_CONFIG_DIR` (a leading `~/` means HOME; relative entries are resolved against `cwd`), else
 * `$HOME/.claude`. Same rule as install.sh.
 *
 * Deliberately no fallback to the password database: without HOME and CLAUDE_CONFIG_DIR we refuse
 * rather than guess whose config to edit.
 *
 * @param env the environment (only `CLAUDE_CONFIG_DIR` and `HOME` are read)
 * @param cwd directory that relative entries are resolved against
 * @returns an absolute path
 * @throws Error when neither variable gives a directory
 */
export function resolveInstallConfigDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const first = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((s) => s.trim())
    .find((s) => s.length > 0);
  const home = env.HOME?.trim() || undefined;
  if (first !== undefined) {
    if (home && (first === '~' || first.startsWith('~/'))) return path.join(path.resolve(cwd, home), first.slice(1));
    return path.resolve(cwd, first);
  }
  if (!home) throw new Error('neither CLAUDE_CONFIG_DIR nor HOME is set; cannot tell which config dir to use');
  return path.join(path.resolve(cwd, home), '.claude');
}
