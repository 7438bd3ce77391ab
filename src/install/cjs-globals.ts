/**
 * write-file-atomic (CommonJS) reads the global `__filename` when it names its temp file. In the ESM
 * bundle (`dist/install.mjs`) that global does not exist, and the build banner only defines `require`,
 * so define both CommonJS path globals here unless something already did. Import this module first.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const g = globalThis as { __filename?: string; __dirname?: string };
g.__filename ??= fileURLToPath(import.meta.url);
g.__dirname ??= path.dirname(g.__filename);
