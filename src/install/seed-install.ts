/**
 * The seeds' command names as user-level commands (`/session-status`, ...): Claude Code resolves only
 * `/cco:session-status` to the plugin's command, so install.sh writes `<config dir>/commands/<name>.md`
 * for each seed command, made from the plugin's own `commands/<name>.md` with the plugin root written
 * out (a user-level command gets no `${CLAUDE_PLUGIN_ROOT}`), and SEED_MARKER in its frontmatter. A
 * command of that name the person already has is never overwritten (they are told, and keep
 * `/cco:<name>`); uninstall removes only files that still carry the marker.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isOurSeedCommand, SEED_MARKER, seedCommandFile } from '../claude/seed-commands.ts';
import { SEED_COMMANDS, type SeedCommand } from '../render/command-names.ts';
import { ensureDir, InstallError, readTextLoose, removeFile, writeTextAtomic } from './files.ts';
import { shQuote } from './statusline-edit.ts';

/** What install did with one seed command. */
export interface SeedRecord {
  name: SeedCommand;
  file: string;
  /** `written`: ours (created or updated); `theirs`: the person's own file of that name, left alone. */
  status: 'written' | 'theirs';
  /** sha256 of what was written (for `written`). */
  sha256?: string;
}

/** The manifest section of the seed commands. */
export interface SeedCommandsRecord {
  dir: string;
  commands: SeedRecord[];
}

/**
 * The user-level command made from the plugin command's text: `${CLAUDE_PLUGIN_ROOT}` written out as
 * `repoRoot` (the `node "${CLAUDE_PLUGIN_ROOT}/dist/cli.mjs"` call quoted as one shell word), and
 * SEED_MARKER added as the frontmatter's first line.
 * @throws InstallError when the text has no frontmatter
 */
export function seedCommandText(pluginCommand: string, repoRoot: string): string {
  if (!pluginCommand.startsWith('---\n')) throw new InstallError('a plugin command without frontmatter');
  const cli = shQuote(path.join(repoRoot, 'dist', 'cli.mjs'));
  const body = pluginCommand.replaceAll('"${CLAUDE_PLUGIN_ROOT}/dist/cli.mjs"', cli).replaceAll('${CLAUDE_PLUGIN_ROOT}', repoRoot);
  return `---\n${SEED_MARKER}\n${body.slice(4)}`;
}

/**
 * Writes the seed commands into `<configDir>/commands/` (idempotent: ours are rewritten, theirs left).
 * @returns the record for the manifest, the directories it created, and one line per command for the person
 * @throws InstallError when the plugin's command file is missing; fs errors writing
 */
export async function installSeedCommands(configDir: string, repoRoot: string): Promise<{ record: SeedCommandsRecord; createdDirs: string[]; lines: string[] }> {
  const dir = path.join(configDir, 'commands');
  const createdDirs = ensureDir(dir);
  const commands: SeedRecord[] = [];
  const theirs: SeedCommand[] = [];
  for (const name of SEED_COMMANDS) {
    const source = path.join(repoRoot, 'commands', `${name}.md`);
    const text = readTextLoose(source);
    if (text === undefined) throw new InstallError(`${source} is missing; is ${repoRoot} a claude-code-optimizer checkout?`);
    const file = seedCommandFile(configDir, name);
    const present = readTextLoose(file);
    if (present !== undefined && !isOurSeedCommand(present)) {
      commands.push({ name, file, status: 'theirs' });
      theirs.push(name);
      continue;
    }
    const next = seedCommandText(text, repoRoot);
    if (present !== next) await writeTextAtomic(file, next);
    commands.push({ name, file, status: 'written', sha256: sha256(next) });
  }
  const written = commands.filter((c) => c.status === 'written').map((c) => `/${c.name}`);
  const lines = [`added the commands ${written.join(', ')} in ${dir} (each also works as /cco:<name>)`];
  for (const name of theirs) lines.push(`kept your own /${name} (${seedCommandFile(configDir, name)}); cco's is /cco:${name}`);
  return { record: { dir, commands }, createdDirs, lines };
}

/**
 * Removes the seed commands install wrote that still carry SEED_MARKER (a file the person took over by
 * removing the marker, or replaced with their own, is kept).
 * @returns one line per command for the person
 */
export function removeSeedCommands(rec: SeedCommandsRecord): string[] {
  const lines: string[] = [];
  for (const c of rec.commands) {
    if (c.status !== 'written') continue;
    if (!existsSync(c.file)) continue;
    let text: string;
    try {
      text = readFileSync(c.file, 'utf8');
    } catch {
      lines.push(`kept ${c.file} (unreadable)`);
      continue;
    }
    if (!isOurSeedCommand(text)) {
      lines.push(`kept ${c.file}: it is yours now (no cco marker)`);
      continue;
    }
    removeFile(c.file);
    lines.push(`removed /${c.name} (${c.file})`);
  }
  return lines;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
