import path from 'node:path';

/** Where Claude Code's data lives for this user, and where this pack keeps its state. */
export interface ConfigDirs {
  /** Absolute config dirs that hold a `projects/` folder: every transcript under them is read. */
  readonly transcriptRoots: readonly string[];
  /** Absolute config dir that holds our state files (`quota-tracker.json`, `cco/`, ...). */
  readonly stateDir: string;
  /** `CLAUDE_CONFIG_DIR` entries refused because they are relative (as written, in order); none when all are absolute. */
  readonly refused: readonly string[];
}

/**
 * Thrown when `CLAUDE_CONFIG_DIR` names no usable state dir: every entry is relative, or the state dir
 * is no directory (a file in its place, or in a folder of its path). `entry` is the entry as written.
 * Hooks say it in one line and exit 0 writing nothing; `cco` says it in one line and exits 1.
 */
export class ConfigDirError extends Error {
  constructor(
    message: string,
    readonly entry: string,
  ) {
    super(message);
    this.name = 'ConfigDirError';
  }
}

/**
 * Resolves Claude Code's config dirs the way Claude Code and the peer tools do.
 *
 * `CLAUDE_CONFIG_DIR` may be a comma-separated list (a convention of usage trackers; Claude Code itself
 * takes one path): each entry is read when it has `projects/`, and the first entry holds our state.
 * Without it, `~/.config/claude` and `~/.claude` are read (when they have `projects/`) and the state
 * goes to the first of them that exists, else `~/.claude` (Claude Code's own default).
 *
 * Entries must be absolute: `~` and `~/…` mean `home` (a settings.json `env` value is expanded by no
 * shell), and any other relative entry (`rel/dir`, `.`, `./c`, `~other/x`) is refused, never resolved
 * against the working directory: a hook runs in the user's project, which would receive our state. Refused
 * entries are listed in `refused` and the remaining absolute entries are used (the first holds the state);
 * when none remains a ConfigDirError is thrown.
 *
 * @param env process environment (only `CLAUDE_CONFIG_DIR` is read)
 * @param home the user's home dir (inject `os.homedir()`; tests pass a temp dir)
 * @param isDir existence check for a directory (inject `fs.statSync(p).isDirectory()`)
 * @throws ConfigDirError when every listed entry is relative; an empty or blank list falls back to the defaults
 */
export function resolveConfigDirs(env: Readonly<Record<string, string | undefined>>, home: string, isDir: (p: string) => boolean): ConfigDirs {
  const entries = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const refused = entries.filter((s) => !path.isAbsolute(expandHome(s, home)));
  const listed = entries
    .map((s) => expandHome(s, home))
    .filter((s) => path.isAbsolute(s))
    .map((s) => path.resolve(s));
  const unique = [...new Set(listed)];
  if (unique.length > 0) {
    return {
      transcriptRoots: unique.filter((d) => isDir(path.join(d, 'projects'))),
      stateDir: unique[0]!,
      refused,
    };
  }
  if (refused.length > 0) throw new ConfigDirError(refusedLine(refused), refused[0]!);
  const defaults = [path.join(home, '.config', 'claude'), path.join(home, '.claude')];
  return {
    transcriptRoots: defaults.filter((d) => isDir(path.join(d, 'projects'))),
    stateDir: defaults.find((d) => isDir(d)) ?? defaults[1]!,
    refused,
  };
}

/**
 * The one line that names refused `CLAUDE_CONFIG_DIR` entries (JSON-quoted: they may hold anything). Pure.
 * @example refusedLine(['rel/dir']) // 'CLAUDE_CONFIG_DIR entry "rel/dir" is not an absolute path: refused (cco writes nothing relative to the working directory)'
 */
export function refusedLine(refused: readonly string[]): string {
  const names = refused.map((r) => JSON.stringify(r)).join(', ');
  return `CLAUDE_CONFIG_DIR ${refused.length === 1 ? 'entry' : 'entries'} ${names} ${refused.length === 1 ? 'is not an absolute path' : 'are not absolute paths'}: refused (cco writes nothing relative to the working directory)`;
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}
