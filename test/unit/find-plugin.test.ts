import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPluginRoot, type FindFs } from '../../src/launcher/find-plugin.ts';

const CFG = '/h/.claude';
const LAUNCHER = path.join(CFG, 'cco', 'plugin');
const INSTALLED = path.join(CFG, 'plugins', 'installed_plugins.json');
const RECORD = path.join(LAUNCHER, 'plugin-root.json');

/** A file system of `files` (path -> text); a bundle exists where `has` says. */
function fs(files: Record<string, string>, has: string[]): FindFs {
  return { readText: (f) => files[f] ?? null, exists: (f) => has.includes(f) };
}
const installed = (entries: Record<string, unknown>) => JSON.stringify({ version: 2, plugins: entries });

describe('findPluginRoot: where the launchers find the installed plugin', () => {
  it("takes installed_plugins.json's cco entry, user scope first, when its bundle is there", () => {
    const files = {
      [INSTALLED]: installed({
        'other@m': [{ scope: 'user', installPath: '/o' }],
        'cco@m': [
          { scope: 'project', installPath: '/p' },
          { scope: 'user', installPath: '/u' },
        ],
      }),
    };
    expect(findPluginRoot(LAUNCHER, 'dist/cli.mjs', fs(files, ['/p/dist/cli.mjs', '/u/dist/cli.mjs', '/o/dist/cli.mjs']))).toBe('/u');
    // the user-scope copy lacks the bundle: the project one
    expect(findPluginRoot(LAUNCHER, 'dist/cli.mjs', fs(files, ['/p/dist/cli.mjs']))).toBe('/p');
  });

  it('falls back to the root recorded at setup; never the launcher dir itself; null when nothing has the bundle', () => {
    const rec = { [RECORD]: JSON.stringify({ root: '/src/cco' }) };
    expect(findPluginRoot(LAUNCHER, 'dist/cli.mjs', fs(rec, ['/src/cco/dist/cli.mjs']))).toBe('/src/cco');
    expect(findPluginRoot(LAUNCHER, 'dist/cli.mjs', fs({ [RECORD]: JSON.stringify({ root: LAUNCHER }) }, [path.join(LAUNCHER, 'dist/cli.mjs')]))).toBeNull();
    expect(findPluginRoot(LAUNCHER, 'dist/cli.mjs', fs(rec, []))).toBeNull();
  });

  it('malformed files count as absent', () => {
    for (const bad of [
      '{',
      '[]',
      'null',
      JSON.stringify({ plugins: { 'cco@m': 'x' } }),
      JSON.stringify({ plugins: { 'cco@m': [null, { installPath: 5 }] } }),
    ]) {
      expect(findPluginRoot(LAUNCHER, 'dist/cli.mjs', fs({ [INSTALLED]: bad, [RECORD]: '{' }, ['/x/dist/cli.mjs'])), bad).toBeNull();
    }
  });
});
