import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFrontmatter, type Frontmatter } from '../helpers/frontmatter.ts';
import { ROOT } from '../helpers/sandbox-env.ts';

// Claude Code lists every plugin command whose frontmatter lacks `disable-model-invocation: true` to the
// model as a skill (reference §3), with its description. The reports only read, so the model may run
// them when the person asks "how much quota is left?"; a command that writes (a handoff, the queue,
// calendar files, settings) runs only when the person types it.

/** The commands that write something; `setup.md` (settings and status line) comes with /cco:setup. */
const WRITING = new Set(['save-and-restart', 'start-next-session', 'create-calendar-events', 'setup']);
/** The read-only reports the model must be able to run. */
const REPORTS = ['session-status', 'context-status', 'compact-context', 'doctor'];
/** Frontmatter keys the pinned CLI knows (reference §3 for commands and skills, §4 for agents). */
const COMMAND_KEYS = [
  'description',
  'argument-hint',
  'allowed-tools',
  'disallowed-tools',
  'model',
  'disable-model-invocation',
  'user-invocable',
  'effort',
  'shell',
  'name',
];
const SKILL_KEYS = [...COMMAND_KEYS, 'when_to_use', 'paths', 'hooks', 'context', 'agent', 'background'];
const AGENT_KEYS = [
  'name',
  'description',
  'model',
  'tools',
  'disallowedTools',
  'effort',
  'permissionMode',
  'mcpServers',
  'hooks',
  'maxTurns',
  'autoCompactWindow',
  'skills',
  'initialPrompt',
  'memory',
  'background',
  'omitClaudeMd',
  'isolation',
  'color',
];
/** Longest command description: the menu and the model's skill listing show one short line. */
const MAX_DESCRIPTION = 70;

/** `<dir>/*.md` of the repository: name without `.md` -> [frontmatter, whole text]. */
function markdown(dir: string): Map<string, [Frontmatter, string]> {
  const out = new Map<string, [Frontmatter, string]>();
  for (const f of readdirSync(path.join(ROOT, dir))
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    const text = readFileSync(path.join(ROOT, dir, f), 'utf8');
    out.set(f.slice(0, -3), [parseFrontmatter(text), text]);
  }
  return out;
}

/** `skills/<name>/SKILL.md`: name -> [frontmatter, whole text]. */
function skills(): Map<string, [Frontmatter, string]> {
  const out = new Map<string, [Frontmatter, string]>();
  for (const d of readdirSync(path.join(ROOT, 'skills'))) {
    const text = readFileSync(path.join(ROOT, 'skills', d, 'SKILL.md'), 'utf8');
    out.set(d, [parseFrontmatter(text), text]);
  }
  return out;
}

const commands = markdown('commands');
const agents = markdown('agents');

describe('plugin commands', () => {
  it('include the reports and the writing commands', () => {
    expect([...commands.keys()]).toEqual(expect.arrayContaining([...REPORTS, 'save-and-restart', 'start-next-session', 'create-calendar-events']));
  });

  it.each([...commands.keys()])('%s: a one-line description of at most 70 characters, and only known keys', (name) => {
    const [fm] = commands.get(name)!;
    expect(fm.description).toMatch(/^\S.*\S$/);
    expect(fm.description!.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(Object.keys(fm).filter((k) => !COMMAND_KEYS.includes(k))).toEqual([]);
  });

  it('disable model invocation exactly on the commands that write', () => {
    const disabled = [...commands].filter(([, [fm]]) => fm['disable-model-invocation'] === 'true').map(([n]) => n);
    const other = [...commands].filter(([, [fm]]) => !['true', undefined].includes(fm['disable-model-invocation'])).map(([n]) => n);
    expect(other).toEqual([]);
    expect(disabled).toEqual([...commands.keys()].filter((n) => WRITING.has(n)));
    expect(REPORTS.filter((n) => disabled.includes(n))).toEqual([]);
  });
});

describe('plugin agents', () => {
  it.each([...agents.keys()])('%s: named as its file, a model, tools, and a description with examples', (name) => {
    const [fm] = agents.get(name)!;
    expect(fm.name).toBe(name);
    expect(['inherit', 'sonnet', 'opus', 'haiku']).toContain(fm.model);
    expect(fm.tools).toMatch(/\S/);
    expect(Object.keys(fm).filter((k) => !AGENT_KEYS.includes(k))).toEqual([]);
    const examples = fm.description!.match(/<example>[\s\S]*?<\/example>/g) ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const e of examples) expect(e).toMatch(/\nContext: .+\nuser: ".+"\nassistant: ".+"\n<commentary>\n.+\n<\/commentary>\n<\/example>$/);
    expect(fm.description!.split('<example>')[0]).toMatch(/^Use this agent /);
  });
});

describe('plugin skills', () => {
  const all = skills();

  it('there is one, for when to consult cco', () => {
    expect([...all.keys()]).toEqual(['quota-and-context']);
  });

  it.each([...all.keys()])('%s: named as its folder, a description, only known keys', (name) => {
    const [fm] = all.get(name)!;
    expect(fm.name).toBe(name);
    expect(fm.description!.trim().length).toBeGreaterThan(40);
    expect(fm.description!.length).toBeLessThanOrEqual(1024);
    expect(Object.keys(fm).filter((k) => !SKILL_KEYS.includes(k))).toEqual([]);
  });

  it.each([...all.keys()])('%s: what it tells the model to run exists and may be run by the model', (name) => {
    const [, text] = all.get(name)!;
    const body = text.slice(text.indexOf('\n---\n') + 5);
    // `cco:<x>` without a slash is for the Skill tool or the Agent tool: a report, a skill or an agent.
    const invocable = new Set([
      ...[...commands].filter(([, [fm]]) => fm['disable-model-invocation'] !== 'true').map(([n]) => n),
      ...all.keys(),
      ...agents.keys(),
    ]);
    const forModel = [...body.matchAll(/(?<![/\w])cco:([a-z-]+)/g)].map((m) => m[1]!);
    expect(forModel.length).toBeGreaterThan(0);
    expect(forModel.filter((n) => !invocable.has(n))).toEqual([]);
    // `/cco:<x>` is for the person to type: a command (setup comes with /cco:setup).
    const forPerson = [...body.matchAll(/\/cco:([a-z-]+)/g)].map((m) => m[1]!);
    expect(forPerson.filter((n) => !commands.has(n) && n !== 'setup')).toEqual([]);
    // The CLI subcommands it names exist.
    const main = readFileSync(path.join(ROOT, 'src', 'cli', 'main.ts'), 'utf8');
    const subs = [...body.matchAll(/dist\/cli\.mjs" ([a-z-]+)/g)].map((m) => m[1]!);
    expect(subs.filter((s) => !new RegExp(`^  '?${s}'?: \\{`, 'm').test(main))).toEqual([]);
  });
});
