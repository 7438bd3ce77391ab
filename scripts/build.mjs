// Bundles each hook entrypoint and the CLI into a self-contained ESM file under dist/, so that an
// installed hook costs one bare `node` start (DESIGN.md decision 3). Dependencies are inlined; Node
// built-ins stay external.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const hookEntries = readdirSync(path.join(root, 'hooks'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(root, 'hooks', f));

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.17',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (proper-lockfile, write-file-atomic) use require() and __filename; give the
  // ESM bundles both.
  banner: {
    js: [
      "import { createRequire as __ccoCreateRequire } from 'node:module';",
      "import { fileURLToPath as __ccoFileURLToPath } from 'node:url';",
      'const require = __ccoCreateRequire(import.meta.url);',
      'const __filename = __ccoFileURLToPath(import.meta.url);',
    ].join(' '),
  },
};

await build({ ...common, entryPoints: hookEntries, outdir: path.join(root, 'dist', 'hooks'), outExtension: { '.js': '.mjs' } });
await build({ ...common, entryPoints: { cli: path.join(root, 'src', 'cli', 'main.ts') }, outdir: path.join(root, 'dist'), outExtension: { '.js': '.mjs' } });
await build({ ...common, entryPoints: { install: path.join(root, 'src', 'install', 'main.ts') }, outdir: path.join(root, 'dist'), outExtension: { '.js': '.mjs' } });
