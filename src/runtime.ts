import os from 'node:os';
import { accountDir, accountName, ccoHome } from './claude/account-home.ts';
import { resolveConfigDirs } from './claude/config-dirs.ts';
import { withSettingsEnv } from './claude/settings-env.ts';
import { logLine } from './store/log.ts';
import { statePaths, type StatePaths } from './store/paths.ts';
import { isDir } from './fs-kind.ts';

/**
 * Where Claude Code's data of this person lives, as the environment says (cheap: the hook fronts need
 * nothing else). The account's other config dirs are found by src/store/account-dirs.ts.
 */
export interface RuntimeDirs {
  /** Absolute config dir that holds this config dir's state (`session-tracker.json`, `cco/`, ...). */
  readonly stateDir: string;
  /** `CLAUDE_CONFIG_DIR` entries (or the defaults) that hold a `projects/` folder. */
  readonly listedRoots: readonly string[];
  /** The person's home dir (`$HOME`, else the OS's). */
  readonly home: string;
}

/** Everything the imperative shell needs from the outside world, injected so tests control it. */
export interface Runtime {
  dirs: RuntimeDirs;
  /** The cco account (src/claude/account-home.ts): `default`, or `CCO_ACCOUNT`. */
  account: string;
  paths: StatePaths;
  now: () => Date;
  env: Readonly<Record<string, string | undefined>>;
  /** Appends a line to `cco/logs/cco.log`. */
  log: (level: 'info' | 'warn' | 'error', where: string, message: string) => void;
}

/** The runtime of this process: `process.env`, `os.homedir()` (or `$HOME`), the system clock. */
export function processRuntime(env: Readonly<Record<string, string | undefined>> = process.env, now: () => Date = () => new Date()): Runtime {
  const home = env.HOME && env.HOME.length > 0 ? env.HOME : os.homedir();
  const listed = resolveConfigDirs(env, home, isDir);
  // Claude Code passes settings.json `env` to hooks; a terminal `cco` reads it for the account's vars.
  const accountEnv = withSettingsEnv(env, listed.stateDir);
  const account = accountName(accountEnv);
  const ch = ccoHome(accountEnv, home);
  const paths = statePaths(listed.stateDir, { ccoHome: ch, accountDir: accountDir(ch, account) });
  const dirs: RuntimeDirs = { stateDir: listed.stateDir, listedRoots: listed.transcriptRoots, home };
  return { dirs, account, paths, now, env, log: (level, where, message) => logLine(paths.logFile, level, where, message, now()) };
}
