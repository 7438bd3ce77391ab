/**
 * The stable launchers of a plugin install (`/cco:setup`): `<config dir>/cco/plugin/dist/statusline.cjs`
 * and `.../dist/cli.mjs`, copies of the plugin's `dist/launcher/*` bundles (src/launcher/), plus
 * `plugin-root.json` recording the plugin root setup ran from. settings.json's status line and the short
 * commands point at them, so a plugin update (a new versioned cache folder) changes nothing there: the
 * launchers look up the installed plugin on each run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_RECORD } from '../launcher/find-plugin.ts';
import { ensureDir, InstallError, removeFile, writeTextAtomic } from './files.ts';
import { errCode } from './seed-files.ts';

/** `<configDir>/cco/plugin`: the launchers' root, which settings.json and the short commands name. */
export function launcherDir(configDir: string): string {
  return path.join(configDir, 'cco', 'plugin');
}

/** The launcher bundles, as built under the plugin's `dist/launcher/`, and where each is copied to. */
const LAUNCHERS = ['statusline.cjs', 'cli.mjs'] as const;

/**
 * Writes (atomically, idempotently) the launchers and `plugin-root.json` into `launcherDir(configDir)`.
 * @returns the files written (for the manifest; uninstall removes exactly these) and the dirs it created
 * @throws InstallError when the plugin's `dist/launcher/` bundles are missing; fs errors writing
 */
export async function writeLaunchers(configDir: string, pluginRoot: string): Promise<{ dir: string; files: string[]; createdDirs: string[] }> {
  const dir = launcherDir(configDir);
  const texts = LAUNCHERS.map((name) => {
    const from = path.join(pluginRoot, 'dist', 'launcher', name);
    try {
      return { to: path.join(dir, 'dist', name), text: readFileSync(from, 'utf8') };
    } catch {
      throw new InstallError(`${from} is missing; is ${pluginRoot} a complete cco plugin?`);
    }
  });
  const createdDirs = ensureDir(path.join(dir, 'dist'));
  for (const t of texts) await writeTextAtomic(t.to, t.text);
  const record = path.join(dir, ROOT_RECORD);
  await writeTextAtomic(record, `${JSON.stringify({ root: pluginRoot })}\n`);
  return { dir, files: [...texts.map((t) => t.to), record], createdDirs };
}

/**
 * Removes the launcher files a setup wrote (a file already gone is skipped).
 * @returns one line per file removed or kept
 * @throws never
 */
export function removeLaunchers(files: readonly string[]): string[] {
  const lines: string[] = [];
  for (const f of files) {
    try {
      removeFile(f);
    } catch (e) {
      lines.push(`could not remove ${f} (${errCode(e)}); delete it yourself`);
    }
  }
  if (files.length > 0) lines.push(`removed the launchers in ${path.dirname(path.dirname(files[0]!))}`);
  return lines;
}
