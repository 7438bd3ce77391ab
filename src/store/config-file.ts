import { existsSync } from 'node:fs';
import { ConfigSchema, defaultConfig, type Config } from '../config/config.ts';
import type { Runtime } from '../runtime.ts';
import { readState } from './update.ts';

/**
 * The config file in effect: the config dir's `cco/config.json` when it exists, else the account's
 * (`<account dir>/config.json`, shared by every config dir of the account: src/claude/account-home.ts).
 */
function configFileOf(rt: Runtime): string {
  return existsSync(rt.paths.config) ? rt.paths.config : rt.paths.accountConfig;
}

/**
 * Loads the config in effect (configFileOf; defaults for absent keys). A config that fails the schema is
 * not used: the defaults apply and the reason is logged and returned, so reports can say why.
 * @returns the config, why the file was ignored (or null), and which file it is
 */
export function loadConfig(rt: Runtime): { config: Config; problem: string | null; file: string } {
  let problem: string | null = null;
  const file = configFileOf(rt);
  const config = readState(file, ConfigSchema, defaultConfig, (why) => {
    problem = `${file} ignored (${why}); using defaults`;
    rt.log('warn', 'config', problem);
  });
  return { config, problem, file };
}
