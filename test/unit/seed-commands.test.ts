import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedSeeds, isOurSeedCommand, SEED_MARKER } from '../../src/claude/seed-commands.ts';
import { seedCommandText } from '../../src/install/seed-install.ts';
import { pluginSlash, slashFor } from '../../src/render/command-names.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('seed commands', () => {
  it('are the plugin command with the plugin root written out and the marker in the frontmatter', () => {
    const plugin = readFileSync(path.join(ROOT, 'commands', 'session-status.md'), 'utf8');
    const text = seedCommandText(plugin, '/opt/cco');
    expect(text.startsWith(`---\n${SEED_MARKER}\ndescription: `)).toBe(true);
    expect(text).toContain('!`node "/opt/cco/dist/cli.mjs" status`');
    expect(text).not.toContain('CLAUDE_PLUGIN_ROOT');
    expect(isOurSeedCommand(text)).toBe(true);
    expect(isOurSeedCommand(plugin)).toBe(false);
  });

  it('quote a checkout path with shell characters as one word', () => {
    const text = seedCommandText(readFileSync(path.join(ROOT, 'commands', 'start-next-session.md'), 'utf8'), '/opt/my "cco" $HOME');
    expect(text).toContain(`!\`node '/opt/my "cco" $HOME/dist/cli.mjs' plan next $ARGUMENTS\``);
  });

  it('only files carrying the marker count as installed; the form of each command follows', () => {
    const cfg = mkdtempSync(path.join(os.tmpdir(), 'cco-seeds-'));
    dirs.push(cfg);
    expect(installedSeeds(cfg)).toEqual(new Set());
    mkdirSync(path.join(cfg, 'commands'));
    writeFileSync(path.join(cfg, 'commands', 'session-status.md'), `---\n${SEED_MARKER}\n---\nx\n`);
    writeFileSync(path.join(cfg, 'commands', 'compact-context.md'), '---\ndescription: mine\n---\nmine\n');
    const seeds = installedSeeds(cfg);
    expect(seeds).toEqual(new Set(['session-status']));
    const slash = slashFor(seeds);
    expect([slash('session-status'), slash('compact-context'), slash('doctor')]).toEqual(['/session-status', '/cco:compact-context', '/cco:doctor']);
    expect(pluginSlash('save-and-restart')).toBe('/cco:save-and-restart');
  });
});
