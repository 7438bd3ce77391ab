import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedSeeds, isOurSeedCommand, SEED_COMMANDS, SEED_MARKER, seedCommandFile } from '../../src/claude/seed-commands.ts';
import { probeSeedFile, seedOwner, sha256 } from '../../src/install/seed-files.ts';
import { currentSeedText, installSeedCommands, seedCommandText, type SeedCommandsRecord } from '../../src/install/seed-install.ts';
import { removeSeedCommands } from '../../src/install/seed-uninstall.ts';
import { pluginSlash, slashFor } from '../../src/render/command-names.ts';
import { tempHomePerTest } from '../helpers/sandbox-env.ts';

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

const newHome = tempHomePerTest();
const SEED_ROOT = '/opt/cco';
/** A config dir with an empty `commands/`, and the path of each seed command file in it. */
function commandsDir(): { cfg: string; file: (n: (typeof SEED_COMMANDS)[number]) => string } {
  const cfg = newHome().configDir;
  mkdirSync(path.join(cfg, 'commands'), { recursive: true });
  return { cfg, file: (n) => seedCommandFile(cfg, n) };
}

describe('the seed marker counts only where install puts it', () => {
  it('is the first line of the frontmatter, exactly; anywhere else (indented, in a comment, later) it does not count', () => {
    expect(isOurSeedCommand(`---\n${SEED_MARKER}\ndescription: x\n---\nbody\n`)).toBe(true);
    expect(isOurSeedCommand(`---\ndescription: mine\n---\nmy notes\n<!-- ${SEED_MARKER} -->\n    ${SEED_MARKER}\n`)).toBe(false);
    expect(isOurSeedCommand(`---\ndescription: mine\n${SEED_MARKER}\n---\n`)).toBe(false);
    expect(isOurSeedCommand(`---\n  ${SEED_MARKER}\n---\n`)).toBe(false);
    expect(isOurSeedCommand(`---\n${SEED_MARKER} (mine now)\n---\n`)).toBe(false);
    expect(isOurSeedCommand(`${SEED_MARKER}\n---\n---\n`)).toBe(false);
  });

  it('installedSeeds counts neither a symlink (even to a copy of ours) nor a marker in the body', () => {
    const { cfg, file } = commandsDir();
    const dotfiles = path.join(newHome().home, 'ss.md');
    writeFileSync(dotfiles, `---\n${SEED_MARKER}\n---\nx\n`);
    symlinkSync(dotfiles, file('session-status'));
    writeFileSync(file('context-status'), `---\ndescription: mine\n---\n    ${SEED_MARKER}\n`);
    writeFileSync(file('compact-context'), `---\n${SEED_MARKER}\n---\nx\n`);
    mkdirSync(file('save-and-restart'));
    expect(installedSeeds(cfg)).toEqual(new Set(['compact-context']));
  });
});

describe('whose a seed command file is', () => {
  const ours = seedCommandText(readFileSync(path.join(ROOT, 'commands', 'session-status.md'), 'utf8'), SEED_ROOT);

  it('ours when it is what install wrote (recorded sha256) or the current text; edited when the marker stays but the rest changed', () => {
    const older = ours.replace('description: ', 'description: (older cco) ');
    expect(seedOwner(ours, { current: ours })).toBe('ours');
    expect(seedOwner(older, { writtenSha: sha256(older), current: ours })).toBe('ours');
    expect(seedOwner(older, { current: ours })).toBe('edited');
    expect(seedOwner(`${ours}my own line\n`, { writtenSha: sha256(ours), current: ours })).toBe('edited');
    expect(seedOwner('---\ndescription: mine\n---\n', { current: ours })).toBe('theirs');
  });

  it('probeSeedFile never follows a symlink and says absent only for ENOENT', () => {
    const { cfg, file } = commandsDir();
    expect(probeSeedFile(file('session-status'))).toEqual({ kind: 'absent' });
    writeFileSync(file('session-status'), 'x');
    expect(probeSeedFile(file('session-status'))).toEqual({ kind: 'file', text: 'x' });
    symlinkSync(path.join(cfg, 'nowhere.md'), file('context-status'));
    expect(probeSeedFile(file('context-status'))).toEqual({ kind: 'symlink' });
    symlinkSync(file('session-status'), file('compact-context'));
    expect(probeSeedFile(file('compact-context'))).toEqual({ kind: 'symlink' });
    mkdirSync(file('save-and-restart'));
    expect(probeSeedFile(file('save-and-restart'))).toEqual({ kind: 'other' });
    // `commands/session-status.md/x.md`: lstat fails with ENOTDIR, which is not "absent".
    expect(probeSeedFile(path.join(file('session-status'), 'x.md'))).toEqual({ kind: 'unreadable', code: 'ENOTDIR' });
  });
});

describe('installSeedCommands and removeSeedCommands', () => {
  const texts = new Map(SEED_COMMANDS.map((n) => [n, currentSeedText(ROOT, n)!]));

  it('a seed that cannot be written is skipped with one line; the others are written and only they are recorded', async () => {
    const { cfg, file } = commandsDir();
    const write = async (f: string, text: string): Promise<void> => {
      if (f === file('session-status')) throw Object.assign(new Error(`EACCES: permission denied, open '${f}'`), { code: 'EACCES' });
      writeFileSync(f, text);
    };
    const r = await installSeedCommands(cfg, ROOT, { write });
    expect(r.lines).toContain(`could not write ${file('session-status')} (EACCES); /session-status is still available as /cco:session-status`);
    expect(r.lines[0]).toBe(
      `added the commands /context-status, /compact-context, /save-and-restart, /start-next-session, /create-calendar-events in ${path.join(cfg, 'commands')} (each also works as /cco:<name>)`,
    );
    expect(r.record.commands.map((c) => [c.name, c.status])).toEqual(SEED_COMMANDS.filter((n) => n !== 'session-status').map((n) => [n, 'written']));
    expect(existsSync(file('session-status'))).toBe(false);
    expect(slashFor(installedSeeds(cfg))('session-status')).toBe('/cco:session-status');
    expect(slashFor(installedSeeds(cfg))('context-status')).toBe('/context-status');
  });

  it('an update that cannot be written keeps the earlier record, so uninstall still removes the unedited old file', async () => {
    const { cfg, file } = commandsDir();
    const older = texts.get('session-status')!.replace('description: ', 'description: (older cco) ');
    writeFileSync(file('session-status'), older);
    const prior: SeedCommandsRecord = {
      dir: path.join(cfg, 'commands'),
      commands: [{ name: 'session-status', file: file('session-status'), status: 'written', sha256: sha256(older) }],
    };
    const failing = async (): Promise<void> => {
      throw Object.assign(new Error('EROFS'), { code: 'EROFS' });
    };
    const r = await installSeedCommands(cfg, ROOT, { prior, write: failing });
    expect(r.record.commands).toEqual(prior.commands);
    expect(r.lines).not.toContainEqual(expect.stringMatching(/^added the commands/));
    expect(r.lines).toHaveLength(SEED_COMMANDS.length);
    expect(removeSeedCommands(r.record, ROOT)).toEqual([`removed /session-status (${file('session-status')})`]);
  });

  it('a commands path that is not a directory skips every seed with one line', async () => {
    const cfg = newHome().configDir;
    mkdirSync(cfg, { recursive: true });
    writeFileSync(path.join(cfg, 'commands'), 'not a dir');
    const r = await installSeedCommands(cfg, ROOT);
    expect(r.lines).toEqual([`could not create ${path.join(cfg, 'commands')} (EEXIST); cco's commands are still available as /cco:<name>`]);
    expect(r.record.commands).toEqual([]);
  });

  it('uninstall removes only regular files that still hold what install wrote', async () => {
    const { cfg, file } = commandsDir();
    const r = await installSeedCommands(cfg, ROOT);
    const dotfiles = path.join(newHome().home, 'cc.md');
    writeFileSync(dotfiles, texts.get('compact-context')!);
    rmSync(file('compact-context'));
    symlinkSync(dotfiles, file('compact-context'));
    writeFileSync(file('start-next-session'), `${texts.get('start-next-session')!}\nMY OWN LINE\n`);
    rmSync(file('create-calendar-events'));
    mkdirSync(file('create-calendar-events'));
    rmSync(file('save-and-restart'));
    const lines = removeSeedCommands(r.record, ROOT);
    expect(lines).toEqual([
      `removed /session-status (${file('session-status')})`,
      `removed /context-status (${file('context-status')})`,
      `kept ${file('compact-context')}: it is a symlink, so it is yours (cco removes only the file it wrote)`,
      `kept ${file('start-next-session')}: you edited it after install; delete it yourself if you no longer want /start-next-session`,
      `kept ${file('create-calendar-events')}: it is not a regular file`,
    ]);
    expect(readdirSync(path.join(cfg, 'commands')).sort()).toEqual(['compact-context.md', 'create-calendar-events.md', 'start-next-session.md']);
    expect(lstatSync(file('compact-context')).isSymbolicLink()).toBe(true);
    expect(readFileSync(dotfiles, 'utf8')).toBe(texts.get('compact-context'));
  });
});
