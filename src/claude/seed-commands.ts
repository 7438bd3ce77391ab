import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SEED_COMMANDS, type SeedCommand } from '../render/command-names.ts';

/**
 * The seeds' command names as user-level commands: Claude Code reads `<config dir>/commands/<name>.md`
 * as `/<name>` (reference §3), while a plugin's commands are only `/cco:<name>`. install.sh (and
 * `/cco:setup`) write one such file per seed command (src/install/seed-install.ts); each carries this
 * marker as a YAML comment in its frontmatter, so cco can tell its own files from the person's.
 */
export const SEED_MARKER = '# claude-code-optimizer seed command: removed by ./install.sh --uninstall';

/** `<configDir>/commands/<name>.md`. Pure. */
export function seedCommandFile(configDir: string, name: SeedCommand): string {
  return path.join(configDir, 'commands', `${name}.md`);
}

/** True when `text` is one of our seed command files (it carries SEED_MARKER). Pure. */
export function isOurSeedCommand(text: string): boolean {
  return text.split('\n').some((l) => l.trim() === SEED_MARKER);
}

/**
 * The seed commands installed as ours in `configDir` (a file of the same name that is the person's own
 * does not count: `/<name>` runs theirs). Reads at most six small files.
 * @throws never (an unreadable file counts as not installed)
 */
export function installedSeeds(configDir: string): Set<SeedCommand> {
  const out = new Set<SeedCommand>();
  for (const name of SEED_COMMANDS) {
    try {
      if (isOurSeedCommand(readFileSync(seedCommandFile(configDir, name), 'utf8'))) out.add(name);
    } catch {
      // absent or unreadable: the plugin form
    }
  }
  return out;
}
