import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/sandbox-env.ts';

// The version lives in four files: npm's package.json and package-lock.json, Claude Code's plugin.json,
// and the marketplace's catalog (its own version and the plugin entry's). Claude Code caches an installed
// plugin by the version it reads, so one left behind installs a stale copy. Bump with
// `npm version <x.y.z> --no-git-tag-version` (package.json and the lock), then set the same version in
// .claude-plugin/plugin.json and both places of .claude-plugin/marketplace.json (docs/DEVELOPMENT.md "Versions").

/** Reads a JSON file of the repository as a loose object. */
function json(rel: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, any>;
}

const REPO_URL = 'https://github.com/claude-code-optimizer/claude-code-optimizer';

describe('plugin and package manifests', () => {
  it('all carry the version of package.json', () => {
    const pkg = json('package.json');
    const lock = json('package-lock.json');
    const plugin = json('.claude-plugin/plugin.json');
    const market = json('.claude-plugin/marketplace.json');
    const entry = (market.plugins as Array<Record<string, unknown>>).find((p) => p.name === plugin.name);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect({
      'package-lock.json version': lock.version,
      'package-lock.json packages[""].version': lock.packages?.['']?.version,
      '.claude-plugin/plugin.json version': plugin.version,
      '.claude-plugin/marketplace.json metadata.version': market.metadata?.version,
      '.claude-plugin/marketplace.json plugins[cco].version': entry?.version,
    }).toEqual({
      'package-lock.json version': pkg.version,
      'package-lock.json packages[""].version': pkg.version,
      '.claude-plugin/plugin.json version': pkg.version,
      '.claude-plugin/marketplace.json metadata.version': pkg.version,
      '.claude-plugin/marketplace.json plugins[cco].version': pkg.version,
    });
  });

  it('name the same repository, homepage, author and license', () => {
    const pkg = json('package.json');
    const plugin = json('.claude-plugin/plugin.json');
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPO_URL}.git` });
    expect(plugin.repository).toBe(REPO_URL);
    expect(pkg.bugs).toEqual({ url: `${REPO_URL}/issues` });
    expect(plugin.homepage).toBe(pkg.homepage);
    expect(pkg.homepage.startsWith(REPO_URL)).toBe(true);
    expect(plugin.author.name).toBe(pkg.author);
    expect([pkg.license, plugin.license]).toEqual(['MIT', 'MIT']);
    const license = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(license.split('\n')[0]).toBe('MIT License');
    expect(license).toContain(`Copyright (c) 2026 ${pkg.author}`);
  });

  it('the marketplace lists this folder as the plugin', () => {
    const market = json('.claude-plugin/marketplace.json');
    const plugin = json('.claude-plugin/plugin.json');
    expect(market.plugins).toEqual([expect.objectContaining({ name: plugin.name, source: './' })]);
  });
});
