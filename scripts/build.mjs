// Bundles each hook entrypoint and the CLI into self-contained ESM files under dist/, so that an
// installed hook costs one bare `node` start plus its own work (DESIGN.md decision 3). Dependencies are
// inlined; Node built-ins stay external.
//
// What keeps the start-up small (measured with `npm run bench`; docs/performance-history.md):
// - each hook is its own bundle, holding only the code it reaches;
// - `import { z } from 'zod'` in our sources is bundled as `import * as z from 'zod'`: the same API, but
//   esbuild then keeps only the parts of zod we call instead of all of it with its locales (the hook
//   bundles went from about 920 KB to 190 KB, the CLI from 1.2 MB to 330 KB);
// - zod validates without compiling its validators first (scripts/zod-jitless.mjs);
// - minified (`CCO_NO_MINIFY=1` keeps names readable, e.g. for --cpu-prof).
// dist/cli.mjs stays one file (a copy of it runs from anywhere: the status line command points at it).
// dist/scan-worker.mjs is the worker thread a large cold scan runs on (src/store/scan-pool.ts); without
// it the scan simply stays on the main thread.
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// `--outdir <dir>`: build elsewhere (test/unit/dist-fresh.test.ts compares such a build with the committed dist/).
const { values: args } = parseArgs({ options: { outdir: { type: 'string' } }, strict: true });
const dist = args.outdir === undefined ? path.join(root, 'dist') : path.resolve(args.outdir);
/**
 * The hook fronts: what Claude waits for on every tool call and turn (src/front/run-front.ts). CommonJS,
 * since Node's ESM loader alone costs about 8 ms more per start than a CommonJS file (measured here:
 * 40 vs 30 ms for an empty file), and without zod, locks or transcript code (their work is the
 * background tracker's, dist/tracker.mjs). test/unit/front-bundles.test.ts keeps them that way.
 */
export const FRONT_HOOKS = ['session-start', 'post-tool-use', 'stop', 'user-prompt-submit', 'session-end'];
const hookEntries = readdirSync(path.join(root, 'hooks'))
  .filter((f) => f.endsWith('.ts') && !FRONT_HOOKS.includes(f.slice(0, -3)))
  .map((f) => path.join(root, 'hooks', f));

/** Rewrites the named zod import of our own sources into a namespace import (tree-shakable; same API). */
const zodNamespace = {
  name: 'zod-namespace',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const src = readFileSync(args.path, 'utf8');
      if (!src.includes("import { z } from 'zod';")) return undefined;
      return { contents: src.replaceAll("import { z } from 'zod';", "import * as z from 'zod';"), loader: 'ts' };
    });
  },
};

/**
 * Marks @date-fns/tz free of side effects. Its package.json does not say so, and its only top-level
 * statements fill in TZDate's own prototype; without the mark, every bundle that reaches
 * src/plan/zoned-time.ts keeps TZDate even when it never makes one (the hooks: about 5 KB each).
 */
const dateFnsTzPure = {
  name: 'date-fns-tz-pure',
  setup(b) {
    b.onResolve({ filter: /^@date-fns\/tz(\/|$)/ }, async (args) => {
      if (args.pluginData === 'pure') return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'pure' });
      return r.errors.length > 0 ? { errors: r.errors } : { path: r.path, sideEffects: false };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.17',
  sourcemap: false,
  minify: process.env.CCO_NO_MINIFY !== '1',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [zodNamespace, dateFnsTzPure],
  inject: [path.join(root, 'scripts', 'zod-jitless.mjs')],
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

/** CommonJS bundles: no banner (CommonJS has require and __filename) and no import.meta. */
const commonCjs = { ...common, format: 'cjs', banner: undefined };
const out = (dir) => ({ outdir: dir, outExtension: { '.js': '.mjs' } });
const outCjs = (dir) => ({ outdir: dir, outExtension: { '.js': '.cjs' } });
await Promise.all([
  ...FRONT_HOOKS.map((h) =>
    build({ ...commonCjs, inject: [], plugins: [], entryPoints: [path.join(root, 'hooks', `${h}.ts`)], ...outCjs(path.join(dist, 'hooks')) }),
  ),
  // The status line front: what Claude Code runs after every assistant message (install.sh sets it).
  build({ ...commonCjs, inject: [], plugins: [], entryPoints: { statusline: path.join(root, 'src', 'statusline', 'main.ts') }, ...outCjs(dist) }),
  build({
    ...commonCjs,
    entryPoints: { 'session-start-extras': path.join(root, 'src', 'hook', 'session-start-extras.ts') },
    ...outCjs(path.join(dist, 'hooks')),
  }),
  build({ ...common, entryPoints: { tracker: path.join(root, 'src', 'tracker', 'main.ts') }, ...out(dist) }),
  ...hookEntries.map((entry) => build({ ...common, entryPoints: [entry], ...out(path.join(dist, 'hooks')) })),
  // The CLI is package.json's `bin`: a shebang first, so `cco` runs as a command once linked or installed.
  build({
    ...common,
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
    entryPoints: { cli: path.join(root, 'src', 'cli', 'main.ts') },
    ...out(dist),
  }),
  build({ ...common, entryPoints: { 'scan-worker': path.join(root, 'src', 'store', 'scan-worker.ts') }, ...out(dist) }),
  build({ ...common, entryPoints: { install: path.join(root, 'src', 'install', 'main.ts') }, ...out(dist) }),
  // The stable launchers /cco:setup copies into <config dir>/cco/plugin/dist/ (src/launcher/): tiny, no dependencies.
  build({
    ...commonCjs,
    inject: [],
    plugins: [],
    entryPoints: { statusline: path.join(root, 'src', 'launcher', 'statusline.ts') },
    ...outCjs(path.join(dist, 'launcher')),
  }),
  build({
    ...common,
    inject: [],
    plugins: [],
    banner: undefined,
    entryPoints: { cli: path.join(root, 'src', 'launcher', 'cli.ts') },
    ...out(path.join(dist, 'launcher')),
  }),
]);
