import type { SeedCommand } from '../claude/seed-commands.ts';

/**
 * How the person types cco's slash commands. A plugin's commands are namespaced (`/cco:session-status`);
 * Claude Code does not resolve the bare name to them. install.sh (and `/cco:setup`) can add user-level
 * commands under the seeds' own names (`/session-status`, ...: src/install/seed-commands.ts); where one
 * is installed, every text of cco names that form, else the plugin's.
 */

/** A cco command: a seed command, or one that only exists in the plugin namespace. */
export type CcoCommand = SeedCommand | 'doctor' | 'setup';

/** Turns a command into the slash form that works for this person (`/session-status` or `/cco:session-status`). */
export type Slash = (c: CcoCommand) => string;

/** The plugin form for every command: `/cco:<name>` (works wherever the plugin is enabled). Pure. */
export const pluginSlash: Slash = (c) => `/cco:${c}`;

/**
 * The form for a person whose installed seed commands are `installed`: `/<name>` for those, `/cco:<name>`
 * for the rest. Pure.
 */
export function slashFor(installed: ReadonlySet<string>): Slash {
  return (c) => (installed.has(c) ? `/${c}` : `/cco:${c}`);
}
