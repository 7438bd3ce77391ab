// The status line command /cco:setup puts in settings.json: `<config dir>/cco/plugin/dist/statusline.cjs`.
// It runs the installed plugin's status line front (src/statusline/main.ts) with the same arguments, so an
// update of the plugin (a new versioned folder) needs no new settings. Bundled to CommonJS (one bare start).
import path from 'node:path';
import { findPluginRoot } from './find-plugin.ts';

const root = findPluginRoot(path.dirname(__dirname), 'dist/statusline.cjs');
if (root === null) {
  // One line, as a status line must print: the person sees why cco's figures are gone.
  process.stdout.write('cco n/a (plugin not installed: reinstall cco, or remove statusLine from settings.json)\n');
} else {
  require(path.join(root, 'dist', 'statusline.cjs'));
}
