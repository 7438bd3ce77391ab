import { mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { removeTempHome } from '../../scripts/tracker-stop.mjs';

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A temp HOME with `.claude` inside; never the real home. */
export interface TempHome {
  home: string;
  configDir: string;
  /** The account's state dir cco uses with `env()` (src/claude/account-home.ts): under the temp HOME. */
  accountDir: string;
  /** A child-process environment with HOME and CLAUDE_CONFIG_DIR here and no inherited CLAUDE_* variables. */
  env(extra?: Record<string, string>): Record<string, string>;
  cleanup(): void;
}

export function tempHome(): TempHome {
  const home = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cco-test-')));
  const configDir = path.join(home, '.claude');
  const base: Record<string, string> = {};
  // Nothing of the real user's Claude, Anthropic, cco or XDG settings reaches a test's processes.
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(CLAUDE|ANTHROPIC|CCO_|XDG_)/.test(k)) base[k] = v;
  const stateHome = path.join(home, '.local', 'state');
  return {
    home,
    configDir,
    accountDir: path.join(stateHome, 'claude-code-optimizer', 'accounts', 'default'),
    env: (extra = {}) => ({ ...base, HOME: home, XDG_STATE_HOME: stateHome, CLAUDE_CONFIG_DIR: configDir, ...extra }),
    cleanup: () => removeTempHome(home, [configDir]),
  };
}

/**
 * A temp HOME maker for one test file: every home it makes is removed after the test that made it
 * (registers the `afterEach`; call it at the top level of the file).
 */
export function tempHomePerTest(): () => TempHome {
  const homes: TempHome[] = [];
  afterEach(() => {
    for (const h of homes.splice(0)) h.cleanup();
  });
  return () => {
    const h = tempHome();
    homes.push(h);
    return h;
  };
}

/** State files of ours that belong to the account (src/claude/account-home.ts), by their old name in the config dir. */
const ACCOUNT_FILES: Readonly<Record<string, string>> = {
  'quota-tracker.json': 'quota-tracker.json',
  'cco/quota-durable.json': 'quota-durable.json',
  'cco/statusline-snapshot.json': 'statusline-snapshot.json',
};

/**
 * Where a state file of ours is in a temp home: the account's (the quota tracker, its durable copy, the
 * status line snapshot) in the account dir, every other one in the config dir.
 */
export function stateFile(h: Pick<TempHome, 'configDir' | 'accountDir'>, name: string): string {
  const account = Object.hasOwn(ACCOUNT_FILES, name) ? ACCOUNT_FILES[name] : undefined;
  return account === undefined ? path.join(h.configDir, name) : path.join(h.accountDir, account);
}

/**
 * Paths (relative to a temp HOME) that are ours: the config dir's state files and `cco/`, and the
 * account's state under the XDG state dir (src/claude/account-home.ts).
 */
export const OURS = /^(\.claude\/(session-tracker\.json|session-queue\.json|calendar(\/.*)?|cco(\/.*)?)|\.local(\/state(\/claude-code-optimizer(\/.*)?)?)?)$/;
