// `<config dir>/cco/plugin/dist/cli.mjs`, the `cco` path the short commands (`/session-status`, ...) that
// /cco:setup writes call: it runs the installed plugin's dist/cli.mjs with the same arguments, wherever an
// update of the plugin has put it. Bundled to ESM.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findPluginRoot } from './find-plugin.ts';

const root = findPluginRoot(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'dist/cli.mjs');
if (root === null) {
  process.stderr.write('cco: the cco plugin is not installed any more (reinstall it: claude plugin install cco@<marketplace>)\n');
  process.exitCode = 1;
} else {
  await import(pathToFileURL(path.join(root, 'dist', 'cli.mjs')).href);
}
