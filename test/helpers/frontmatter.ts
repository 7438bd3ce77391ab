/**
 * The YAML frontmatter of the plugin's markdown files (commands, agents, skills), for tests. Only the
 * forms those files use are read: `key: value` on one line, and `key: |` followed by lines indented by
 * two spaces (a literal block, as the agents' descriptions with their `<example>` blocks need: the pinned
 * Claude Code drops every field of a frontmatter that is not valid YAML, so a description spread over
 * plain lines would cost the agent its `tools` and `model`). Anything else throws, so a file in another
 * form fails its test instead of being half read.
 */

/** Frontmatter keys to their values: one-line values trimmed, block values with their indent removed. */
export type Frontmatter = Record<string, string>;

/**
 * Parses the frontmatter at the start of `text` (between the first two `---` lines).
 * @throws Error when `text` has no frontmatter, a line is in another form, or a key repeats
 */
export function parseFrontmatter(text: string): Frontmatter {
  if (!text.startsWith('---\n')) throw new Error('no frontmatter: the file does not start with ---');
  const end = text.indexOf('\n---\n', 3);
  if (end < 0) throw new Error('no closing --- line');
  const lines = text.slice(4, end).split('\n');
  const out: Frontmatter = {};
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z][A-Za-z_-]*): ?(.*)$/.exec(lines[i]!);
    if (m === null) throw new Error(`frontmatter line ${i + 1} is not "key: value": ${JSON.stringify(lines[i])}`);
    const [, key, value] = m as unknown as [string, string, string];
    if (key in out) throw new Error(`frontmatter key "${key}" repeats`);
    if (value !== '|') {
      out[key] = value.trim();
      continue;
    }
    const block: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1] === '' || lines[i + 1]!.startsWith('  '))) block.push(lines[++i]!.slice(2));
    out[key] = `${block.join('\n').trimEnd()}\n`;
  }
  return out;
}
