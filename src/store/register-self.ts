import { existsSync } from 'node:fs';
import type { Runtime } from '../runtime.ts';
import { REFRESH_AFTER_MS, registerConfigDir } from './config-dirs-registry.ts';
import { isDir } from '../fs-kind.ts';

/** When this process last registered its config dir (epoch ms): registering is a locked write, once an hour is plenty. */
let registeredAtMs: number | null = null;

/**
 * Records this config dir in the machine's registry under its account (src/store/config-dirs-registry.ts),
 * so that the account's other config dirs read its transcripts: at most once an hour per process. A
 * config dir that does not exist is not registered (nor created). Problems are logged, never thrown:
 * the registry only widens what is read.
 */
export async function registerSelf(rt: Runtime): Promise<void> {
  const nowMs = rt.now().getTime();
  if (registeredAtMs !== null && nowMs - registeredAtMs < REFRESH_AFTER_MS) return;
  if (!existsSync(rt.paths.stateDir)) return;
  registeredAtMs = nowMs;
  try {
    await registerConfigDir(rt.paths.configDirsRegistry, rt.paths.stateDir, rt.account, rt.dirs.home, nowMs, 1_000, isDir);
  } catch (e) {
    rt.log('warn', 'registry', `${rt.paths.configDirsRegistry}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
