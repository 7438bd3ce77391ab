/**
 * write-file-atomic (CommonJS) reads `__filename` when it names its temp file, and an ESM bundle has no
 * such variable. scripts/build.mjs defines it in its banner; this module also defines the two CommonJS
 * path globals on `globalThis` (only when missing), so `dist/install.mjs` also works when bundled with a
 * banner that defines only `require`. Import it first.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const g = globalThis as { __filename?: string; __dirname?: string };
g.__filename ??= fileURLToPath(import.meta.url);
g.__dirname ??= path.dirname(g.__filename);
