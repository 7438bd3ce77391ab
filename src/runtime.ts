import { statSync } from 'node:fs';
import os from 'node:os';
import { resolveConfigDirs, type ConfigDirs } from './claude/config-dirs.ts';
import { logLine } from './store/log.ts';
import { statePaths, type StatePaths } from './store/paths.ts';

/** Everything the imperative shell needs from the outside world, injected so tests control it. */
export interface Runtime {
  dirs: ConfigDirs;
  paths: StatePaths;
  now: () => Date;
  env: Readonly<Record<string, string | undefined>>;
  /** Appends a line to `cco/logs/cco.log`. */
  log: (level: 'info' | 'warn' | 'error', where: string, message: string) => void;
}

/** The runtime of this process: `process.env`, `os.homedir()` (or `$HOME`), the system clock. */
export function processRuntime(env: Readonly<Record<string, string | undefined>> = process.env, now: () => Date = () => new Date()): Runtime {
  const home = env.HOME && env.HOME.length > 0 ? env.HOME : os.homedir();
  const dirs = resolveConfigDirs(env, home, isDir);
  const paths = statePaths(dirs.stateDir);
  return { dirs, paths, now, env, log: (level, where, message) => logLine(paths.logFile, level, where, message, now()) };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
