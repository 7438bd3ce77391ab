import { statSync } from 'node:fs';
import os from 'node:os';
import { accountDir, accountName, ccoHome } from './claude/account-home.ts';
import { resolveConfigDirs } from './claude/config-dirs.ts';
import { logLine } from './store/log.ts';
import { statePaths, type StatePaths } from './store/paths.ts';

/**
 * Where Claude Code's data of this person lives, as the environment says (cheap: the hook fronts need
 * nothing else). The account's other config dirs are found by src/store/account-dirs.ts.
 */
export interface RuntimeDirs {
  /** Absolute config dir that holds this config dir's state (`session-tracker.json`, `cco/`, ...). */
  readonly stateDir: string;
  /** `CLAUDE_CONFIG_DIR` entries (or the defaults) that hold a `projects/` folder. */
  readonly listedRoots: readonly string[];
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
  const account = accountName(env);
  const ch = ccoHome(env, home);
  const paths = statePaths(listed.stateDir, { ccoHome: ch, accountDir: accountDir(ch, account) });
  const dirs: RuntimeDirs = { stateDir: listed.stateDir, listedRoots: listed.transcriptRoots };
  return { dirs, account, paths, now, env, log: (level, where, message) => logLine(paths.logFile, level, where, message, now()) };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
