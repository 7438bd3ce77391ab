import { ConfigSchema, defaultConfig, type Config } from '../config/config.ts';
import type { Runtime } from '../runtime.ts';
import { readState } from './update.ts';

/**
 * Loads `cco/config.json` (defaults for absent keys). A config that fails the schema is not used: the
 * defaults apply and the reason is logged and returned, so reports can say why.
 */
export function loadConfig(rt: Runtime): { config: Config; problem: string | null } {
  let problem: string | null = null;
  const config = readState(rt.paths.config, ConfigSchema, defaultConfig, (why) => {
    problem = `${rt.paths.config} ignored (${why}); using defaults`;
    rt.log('warn', 'config', problem);
  });
  return { config, problem };
}
