import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Variables `cco` takes from settings.json `env` when its own environment lacks them. */
const ACCOUNT_VARS = ['CCO_ACCOUNT', 'CCO_HOME'] as const;

/** A settings.json larger than this is not read for them (bytes). */
const MAX_SETTINGS_BYTES = 1 << 20;

/**
 * `env` completed with CCO_ACCOUNT and CCO_HOME from `<config dir>/settings.json` `env` where `env` lacks
 * them. Why: people set those in the config dir's settings.json, which Claude Code passes to hooks and
 * the status line, but not to `cco` run in a terminal; without this, a terminal `cco status` of a
 * `work` config dir would count its usage toward the `default` account. The process's own values win.
 * Only read; an unreadable or odd settings.json adds nothing. Never throws.
 */
export function withSettingsEnv(env: Readonly<Record<string, string | undefined>>, configDir: string): Readonly<Record<string, string | undefined>> {
  if (ACCOUNT_VARS.every((k) => env[k] !== undefined)) return env;
  const fromFile = settingsEnv(path.join(configDir, 'settings.json'));
  const added: Record<string, string> = {};
  for (const k of ACCOUNT_VARS) if (env[k] === undefined && typeof fromFile[k] === 'string') added[k] = fromFile[k];
  return Object.keys(added).length === 0 ? env : { ...env, ...added };
}

function settingsEnv(file: string): Record<string, unknown> {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_SETTINGS_BYTES) return {};
    const env = (JSON.parse(readFileSync(file, 'utf8')) as { env?: unknown } | null)?.env;
    return env !== null && typeof env === 'object' && !Array.isArray(env) ? (env as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
