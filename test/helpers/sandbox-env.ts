import { mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { removeTempHome } from '../../scripts/tracker-stop.mjs';

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared transcript fixtures (read-only), one Claude config dir per source. */
export const FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');
export const FIXTURE_SOURCES = ['branch-pruner', 'd-kimuson-claude-code-viewer', 'daaain-claude-code-log', 'entireio-cli', 'esdeveniments-frontend']
  .map((s) => path.join(FIXTURES, 'transcripts', s));

/** A temp HOME with `.claude` inside; never the real home. */
export interface TempHome {
  home: string;
  configDir: string;
  /** A child-process environment with HOME and CLAUDE_CONFIG_DIR here and no inherited CLAUDE_* variables. */
  env(extra?: Record<string, string>): Record<string, string>;
  cleanup(): void;
}

export function tempHome(): TempHome {
  const home = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cco-test-')));
  const configDir = path.join(home, '.claude');
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(CLAUDE|ANTHROPIC)/.test(k)) base[k] = v;
  return {
    home,
    configDir,
    // Background trackers stay 2 s after their last event, not 30: many temp homes come and go in a run.
    env: (extra = {}) => ({ ...base, HOME: home, CLAUDE_CONFIG_DIR: configDir, CCO_TRACKER_LINGER_MS: '2000', ...extra }),
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
