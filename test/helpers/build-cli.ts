import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './sandbox-env.ts';

/** The line main.ts needs for `cco statusline` (added to the bundled copy only while main.ts lacks it). */
export const STATUSLINE_ENTRY =
  "  statusline: { summary: 'statusline [--wrap <cmd>] [--wrap-mode append|silent]  the status line (reads Claude Code\\'s statusline JSON on stdin)', load: () => import('./statusline.ts') },";

/**
 * Bundles src/cli/main.ts like scripts/build.mjs does, into `outfile` (a temp path: others may be
 * rebuilding dist/ at the same time). While main.ts has no `statusline` entry yet, the bundled copy gets
 * STATUSLINE_ENTRY; main.ts itself is never modified.
 */
export async function buildCli(outfile: string): Promise<void> {
  const cliDir = path.join(ROOT, 'src', 'cli');
  let src = readFileSync(path.join(cliDir, 'main.ts'), 'utf8');
  if (!/^\s*statusline:/m.test(src)) {
    const anchor = /const COMMANDS[^\n]*=\s*\{\n/;
    if (!anchor.test(src)) throw new Error('src/cli/main.ts: cannot find the COMMANDS table');
    src = src.replace(anchor, (m) => `${m}${STATUSLINE_ENTRY}\n`);
  }
  await build({
    stdin: { contents: src, resolveDir: cliDir, sourcefile: 'main.ts', loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.17',
    logLevel: 'warning',
    banner: {
      js: [
        "import { createRequire as __ccoCreateRequire } from 'node:module';",
        "import { fileURLToPath as __ccoFileURLToPath } from 'node:url';",
        'const require = __ccoCreateRequire(import.meta.url);',
        'const __filename = __ccoFileURLToPath(import.meta.url);',
      ].join(' '),
    },
  });
}
