/**
 * Where the installed cco plugin is, for the launchers /cco:setup writes into `<config dir>/cco/plugin/`
 * (src/install/launchers.ts). A plugin from a marketplace lives in a versioned folder
 * (`<config dir>/plugins/cache/<marketplace>/cco/<version>/`) that an update replaces, while the status line
 * command and the short commands in settings.json need a path that stays: theirs is the launcher's, and the
 * launcher looks the plugin up on every run. No dependencies: it is bundled into two tiny files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The launcher folder's record of the plugin root it was set up from: `<launcher dir>/plugin-root.json`. */
export const ROOT_RECORD = 'plugin-root.json';

/** What `findPluginRoot` reads; injectable for tests. */
export interface FindFs {
  readText: (file: string) => string | null;
  exists: (file: string) => boolean;
}

const realFs: FindFs = {
  readText: (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  },
  exists: existsSync,
};

/**
 * The root of the installed cco plugin that holds `bundle` (`dist/statusline.cjs`, `dist/cli.mjs`), or null
 * when none does. Looked up, in order:
 * 1. `<config dir>/plugins/installed_plugins.json` (reference §2: `{"plugins":{"cco@<marketplace>":[{scope,
 *    installPath,...}]}}`): the `installPath` of a `cco@…` entry, user scope first, so an update is followed;
 * 2. the root recorded at setup (`<launcher dir>/plugin-root.json`, `{"root": "..."}`): a directory
 *    marketplace is served from its source folder.
 * A candidate counts only when `<candidate>/<bundle>` exists and it is not the launcher dir itself.
 * @param launcherDir `<config dir>/cco/plugin`; the config dir is two levels up
 * @throws never (unreadable or malformed files count as absent)
 */
export function findPluginRoot(launcherDir: string, bundle: string, fs: FindFs = realFs): string | null {
  const configDir = path.dirname(path.dirname(launcherDir));
  const candidates: string[] = [];
  try {
    const installed = JSON.parse(fs.readText(path.join(configDir, 'plugins', 'installed_plugins.json')) ?? 'null') as {
      plugins?: Record<string, unknown>;
    } | null;
    const entries = Object.entries(installed?.plugins ?? {})
      .filter(([id]) => id.startsWith('cco@'))
      .flatMap(([, list]) => (Array.isArray(list) ? list : []));
    const byScope = [...entries].sort((a, b) => Number((b as { scope?: unknown })?.scope === 'user') - Number((a as { scope?: unknown })?.scope === 'user'));
    for (const e of byScope) {
      const p = (e as { installPath?: unknown } | null)?.installPath;
      if (typeof p === 'string' && p.length > 0) candidates.push(p);
    }
  } catch {
    // no or malformed installed_plugins.json: the recorded root
  }
  try {
    const rec = JSON.parse(fs.readText(path.join(launcherDir, ROOT_RECORD)) ?? 'null') as { root?: unknown } | null;
    if (typeof rec?.root === 'string' && rec.root.length > 0) candidates.push(rec.root);
  } catch {
    // none recorded
  }
  const self = path.resolve(launcherDir);
  return candidates.find((c) => path.resolve(c) !== self && fs.exists(path.join(c, bundle))) ?? null;
}
