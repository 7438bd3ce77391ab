import path from 'node:path';

/** Where Claude Code's data lives for this user, and where this pack keeps its state. */
export interface ConfigDirs {
  /** Absolute config dirs that hold a `projects/` folder: every transcript under them is read. */
  readonly transcriptRoots: readonly string[];
  /** Absolute config dir that holds our state files (`quota-tracker.json`, `cco/`, ...). */
  readonly stateDir: string;
}

/**
 * Resolves Claude Code's config dirs the way Claude Code and the peer tools do.
 *
 * `CLAUDE_CONFIG_DIR` may be a comma-separated list (a convention of usage trackers; Claude Code itself
 * takes one path): each entry is read when it has `projects/`, and the first entry holds our state.
 * Without it, `~/.config/claude` and `~/.claude` are read (when they have `projects/`) and the state
 * goes to the first of them that exists, else `~/.claude` (Claude Code's own default).
 *
 * @param env process environment (only `CLAUDE_CONFIG_DIR` is read)
 * @param home the user's home dir (inject `os.homedir()`; tests pass a temp dir)
 * @param isDir existence check for a directory (inject `fs.statSync(p).isDirectory()`)
 * @throws never; an empty or blank list falls back to the defaults
 */
export function resolveConfigDirs(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
  isDir: (p: string) => boolean,
): ConfigDirs {
  const listed = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => path.resolve(expandHome(s, home)));
  const unique = [...new Set(listed)];
  if (unique.length > 0) {
    return {
      transcriptRoots: unique.filter((d) => isDir(path.join(d, 'projects'))),
      stateDir: unique[0]!,
    };
  }
  const defaults = [path.join(home, '.config', 'claude'), path.join(home, '.claude')];
  return {
    transcriptRoots: defaults.filter((d) => isDir(path.join(d, 'projects'))),
    stateDir: defaults.find((d) => isDir(d)) ?? defaults[1]!,
  };
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}
