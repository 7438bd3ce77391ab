// The version `cco --version` prints: package.json's, bundled into dist/cli.mjs by esbuild (a JSON import
// is inlined), so a copy of the bundle run from anywhere still knows it.
import pkg from '../../package.json' with { type: 'json' };

/** cco's version (package.json `version`, semver text). */
export const VERSION: string = pkg.version;
