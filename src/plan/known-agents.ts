import path from 'node:path';

/**
 * Is the agent a planned session names (`--agent`, `- agent:`) one Claude Code knows? Known are:
 * - Claude Code's built-in subagent types (`BUILT_IN_AGENTS`, exact case);
 * - `<project dir>/.claude/agents/<name>.md` and `<config dir>/agents/<name>.md`;
 * - plugin agents `<plugin>:<name>`: cco's own (`cco:session-planner`, `cco:handoff-writer`, this
 *   repository's `agents/*.md`), and for another plugin `agents/<name>.md` in any of its cached versions,
 *   `<config dir>/plugins/cache/<marketplace>/<plugin>/<version>/`. A plugin with no cached version
 *   (installed from a local directory, say) cannot be checked: no problem is reported for it.
 * Pure: file look-ups are injected (the CLI passes fs-backed ones).
 */

/** Claude Code's built-in subagent types. */
export const BUILT_IN_AGENTS = ['general-purpose', 'Explore', 'Plan', 'statusline-setup', 'output-style-setup'] as const;

/** This plugin's name and its agents (`agents/<name>.md` of this repository). */
export const OWN_PLUGIN = 'cco';
export const OWN_AGENTS = ['session-planner', 'handoff-writer'] as const;

/** Where and how agents are looked up. Paths are absolute. */
export interface AgentLookup {
  /** The session's project directory. */
  projectDir: string;
  /** The Claude config directory (`rt.dirs.stateDir`). */
  configDir: string;
  /** True when the file exists. */
  exists: (file: string) => boolean;
  /** The entry names of a directory; null when it cannot be read (missing, not a directory, ...). */
  listDir: (dir: string) => string[] | null;
}

/**
 * Why `name` is not a known agent (text to follow `agent "<name>" `), or null when it is known or cannot
 * be checked. Example: `is not a known agent: not built in, and neither /w/p/.claude/agents/x.md nor
 * /h/.claude/agents/x.md exists`, with `; did you mean "Explore"?` when another spelling is known.
 */
export function unknownAgentProblem(name: string, l: AgentLookup): string | null {
  const colon = name.indexOf(':');
  if (colon < 0) return bareProblem(name, l);
  const plugin = name.slice(0, colon);
  const agent = name.slice(colon + 1);
  if (plugin === OWN_PLUGIN) {
    if ((OWN_AGENTS as readonly string[]).includes(agent)) return null;
    return `is not an agent of ${OWN_PLUGIN} (${OWN_AGENTS.map((a) => `${OWN_PLUGIN}:${a}`).join(', ')})`;
  }
  const cache = path.join(l.configDir, 'plugins', 'cache');
  const versions = (l.listDir(cache) ?? []).flatMap((m) => (l.listDir(path.join(cache, m, plugin)) ?? []).map((v) => path.join(cache, m, plugin, v)));
  if (versions.length === 0) return null;
  if (versions.some((v) => l.exists(path.join(v, 'agents', `${agent}.md`)))) return null;
  return `is not a known agent: plugin ${plugin} has no agents/${agent}.md in ${path.join(cache, '*', plugin, '*')}`;
}

function bareProblem(name: string, l: AgentLookup): string | null {
  if ((BUILT_IN_AGENTS as readonly string[]).includes(name)) return null;
  const files = [path.join(l.projectDir, '.claude', 'agents', `${name}.md`), path.join(l.configDir, 'agents', `${name}.md`)];
  if (files.some((f) => l.exists(f))) return null;
  const lower = name.toLowerCase();
  const other = BUILT_IN_AGENTS.find((a) => a.toLowerCase() === lower) ?? OWN_AGENTS.filter((a) => a === lower).map((a) => `${OWN_PLUGIN}:${a}`)[0];
  return `is not a known agent: not built in, and neither ${files[0]} nor ${files[1]} exists${other === undefined ? '' : `; did you mean "${other}"?`}`;
}
