import { chmodSync, copyFileSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './sandbox-env.ts';

/**
 * What install.sh needs of the repository, copied under `work`: install.sh, .claude-plugin/, commands/
 * (the seed commands are made from them) and dist/install.mjs built into the copy with scripts/build.mjs's
 * options (a build of the real dist/ may be going on). Also a PATH folder holding only `node`.
 * @returns the copy (`repo`) and the PATH folder (`bin`)
 */
export async function copyForInstall(work: string): Promise<{ repo: string; bin: string }> {
  const repo = path.join(work, 'repo');
  mkdirSync(path.join(repo, '.claude-plugin'), { recursive: true });
  copyFileSync(path.join(ROOT, 'install.sh'), path.join(repo, 'install.sh'));
  chmodSync(path.join(repo, 'install.sh'), 0o755);
  for (const f of ['marketplace.json', 'plugin.json']) copyFileSync(path.join(ROOT, '.claude-plugin', f), path.join(repo, '.claude-plugin', f));
  mkdirSync(path.join(repo, 'commands'));
  for (const f of readdirSync(path.join(ROOT, 'commands'))) copyFileSync(path.join(ROOT, 'commands', f), path.join(repo, 'commands', f));
  await build({
    entryPoints: [path.join(ROOT, 'src', 'install', 'main.ts')],
    outfile: path.join(repo, 'dist', 'install.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.17',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __ccoCreateRequire } from 'node:module'; const require = __ccoCreateRequire(import.meta.url);" },
  });
  const bin = path.join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  return { repo, bin };
}
