import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** cco's commands that have a seed name (the product's own names, without the plugin namespace). */
export const SEED_COMMANDS = [
  'session-status',
  'context-status',
  'compact-context',
  'save-and-restart',
  'start-next-session',
  'create-calendar-events',
] as const;
export type SeedCommand = (typeof SEED_COMMANDS)[number];

/**
 * The seeds' command names as user-level commands: Claude Code reads `<config dir>/commands/<name>.md`
 * as `/<name>` (reference §3), while a plugin's commands are only `/cco:<name>`. install.sh writes one
 * such file per seed command (src/install/seed-install.ts); each carries this marker as a YAML comment
 * on the first line of its frontmatter (SEED_HEAD), so cco can tell its own files from the person's.
 */
export const SEED_MARKER = '# claude-code-optimizer seed command: removed by ./install.sh --uninstall';

/** How every seed command file install writes begins: the frontmatter fence, then SEED_MARKER on its own line. */
export const SEED_HEAD = `---\n${SEED_MARKER}\n`;

/** `<configDir>/commands/<name>.md`. Pure. */
export function seedCommandFile(configDir: string, name: SeedCommand): string {
  return path.join(configDir, 'commands', `${name}.md`);
}

/**
 * True when `text` carries SEED_MARKER where install puts it: exactly the first line of the frontmatter
 * (`text` starts with SEED_HEAD). The marker anywhere else (an indented line, a comment in the body)
 * does not count. Says nothing about whether the rest was edited (see src/install/seed-files.ts). Pure.
 */
export function isOurSeedCommand(text: string): boolean {
  return text.startsWith(SEED_HEAD);
}

/**
 * The seed commands installed as ours in `configDir`: a regular file (not a symlink) that starts with
 * SEED_HEAD. A file of the same name that is the person's own does not count (`/<name>` runs theirs),
 * nor a symlink (the person's, even when it points at a copy of ours). Reads at most six small files.
 * @throws never (an unreadable file counts as not installed)
 */
export function installedSeeds(configDir: string): Set<SeedCommand> {
  const out = new Set<SeedCommand>();
  for (const name of SEED_COMMANDS) {
    const file = seedCommandFile(configDir, name);
    try {
      if (lstatSync(file).isFile() && isOurSeedCommand(readFileSync(file, 'utf8'))) out.add(name);
    } catch {
      // absent or unreadable: the plugin form
    }
  }
  return out;
}
