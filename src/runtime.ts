import os from 'node:os';
import { accountDir, accountName, ccoHome } from './claude/account-home.ts';
import { statSync } from 'node:fs';
import path from 'node:path';
import { ConfigDirError, refusedLine, resolveConfigDirs } from './claude/config-dirs.ts';
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
  /** Relative `CLAUDE_CONFIG_DIR` entries that were refused (src/claude/config-dirs.ts); the others are used. */
  readonly refused: readonly string[];
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

/**
 * The runtime of this process: `process.env`, `os.homedir()` (or `$HOME`), the system clock.
 * @throws ConfigDirError when CLAUDE_CONFIG_DIR names no usable state dir: only relative entries, or a
 *   state dir that is a file (or under one): nothing of ours can be kept there, and nothing is written
 */
export function processRuntime(env: Readonly<Record<string, string | undefined>> = process.env, now: () => Date = () => new Date()): Runtime {
  const home = homeOf(env);
  const listed = resolveConfigDirs(env, home, isDir);
  checkStateDir(listed.stateDir);
  // Claude Code passes settings.json `env` to hooks; a terminal `cco` reads it for the account's vars.
  const accountEnv = withSettingsEnv(env, listed.stateDir);
  const account = accountName(accountEnv);
  const ch = ccoHome(accountEnv, home);
  const paths = statePaths(listed.stateDir, { ccoHome: ch, accountDir: accountDir(ch, account) });
  const dirs: RuntimeDirs = { stateDir: listed.stateDir, listedRoots: listed.transcriptRoots, home, refused: listed.refused };
  return { dirs, account, paths, now, env, log: (level, where, message) => logLine(paths.logFile, level, where, message, now()) };
}

function homeOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : os.homedir();
}

/**
 * Refuses a state dir that is no directory: a file where it belongs, or a file in a folder of its path
 * (ENOTDIR). A missing one is fine (made on the first write).
 * @throws ConfigDirError naming the dir
 */
function checkStateDir(stateDir: string): void {
  try {
    if (!statSync(stateDir).isDirectory())
      throw new ConfigDirError(
        `the config dir ${stateDir} is not a directory: cco keeps its state there; make it a directory or point CLAUDE_CONFIG_DIR elsewhere`,
        stateDir,
      );
  } catch (e) {
    if (e instanceof ConfigDirError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new ConfigDirError(
        `the config dir ${stateDir} is under a file, not in a directory: cco keeps its state there; point CLAUDE_CONFIG_DIR elsewhere`,
        stateDir,
      );
    // missing (made on the first write) or unreadable (the write says why)
  }
}

/**
 * A log line when there is no usable config dir to log in (ConfigDirError): into cco's home
 * (`<cco home>/logs/cco.log`, src/claude/account-home.ts), which is absolute by construction. Never throws.
 */
export function logWithoutRuntime(
  env: Readonly<Record<string, string | undefined>>,
  level: 'info' | 'warn' | 'error',
  where: string,
  message: string,
  now: Date = new Date(),
): void {
  try {
    logLine(path.join(ccoHome(env, homeOf(env)), 'logs', 'cco.log'), level, where, message, now);
  } catch {
    // logging never fails a caller
  }
}

/**
 * The runtime of a hook or front (`processRuntime`), said the hook's way: when CLAUDE_CONFIG_DIR names no
 * usable state dir, one line on stderr (`cco: <event> hook: <why>`) and one in the fallback log
 * (logWithoutRuntime), and null: the hook then exits 0 having written nothing. Refused relative entries
 * beside usable ones are said the same way (stderr and cco.log) and the runtime is returned.
 * @param stderr writes one line to stderr (the fronts pass their synchronous fd write)
 * @throws never for a config dir problem; anything else processRuntime throws
 */
export function hookRuntime(event: string, stderr: (line: string) => void, env: Readonly<Record<string, string | undefined>> = process.env): Runtime | null {
  let rt: Runtime;
  try {
    rt = processRuntime(env);
  } catch (e) {
    if (!(e instanceof ConfigDirError)) throw e;
    stderr(`cco: ${event} hook: ${e.message}\n`);
    logWithoutRuntime(env, 'error', event, e.message);
    return null;
  }
  if (rt.dirs.refused.length > 0) {
    const line = `${refusedLine(rt.dirs.refused)}; using ${rt.dirs.stateDir}`;
    stderr(`cco: ${event} hook: ${line}\n`);
    rt.log('warn', event, line);
  }
  return rt;
}
