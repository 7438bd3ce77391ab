import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrontmatter, type Frontmatter } from '../helpers/frontmatter.ts';
import { mainRequests, requestText, startMockApi, type MockApi, type Usage } from './mock-anthropic.ts';
import { REPO_ROOT } from './paths.ts';
import { makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

// What the model sees of the plugin, and what it may run: the read-only reports, the skill and the agents
// are listed to it; a command that writes is not, and the CLI refuses it when the model asks anyway.

const U: Usage = { input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 9 };

/** `<dir>/*.md` of the plugin: name -> frontmatter. */
function frontmatters(dir: string): Map<string, Frontmatter> {
  const files = readdirSync(path.join(REPO_ROOT, dir)).filter((f) => f.endsWith('.md'));
  return new Map(files.map((f) => [f.slice(0, -3), parseFrontmatter(readFileSync(path.join(REPO_ROOT, dir, f), 'utf8'))]));
}

let sb: Sandbox;
let mock: MockApi;

describe('the model and the plugin', () => {
  beforeAll(async () => {
    sb = makeSandbox();
    // The model tries a writing command, then the status report, then answers.
    mock = await startMockApi([
      { tool: { name: 'Skill', input: { skill: 'cco:save-and-restart' } }, usage: U },
      { tool: { name: 'Skill', input: { skill: 'cco:session-status' } }, usage: U },
      { text: 'Plenty of quota left.', usage: U },
    ]);
    // Both are allowed, so that a refusal can only come from the command's own frontmatter.
    const res = await runClaude(
      [
        '-p',
        'how much quota is left?',
        '--output-format',
        'json',
        '--plugin-dir',
        REPO_ROOT,
        '--allowedTools',
        'Skill(cco:save-and-restart),Skill(cco:session-status)',
      ],
      { sandbox: sb, mockUrl: mock.url },
    );
    expect(res.code, res.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await mock?.close();
    sb?.cleanup();
  });

  it('lists the reports and the skill to the model, and not the commands that write', () => {
    const text = requestText(mainRequests(mock)[0]!);
    const listed = (name: string, description: string) => text.includes(`- cco:${name}: ${description}`);
    const commands = [...frontmatters('commands')];
    expect(commands.filter(([n, fm]) => listed(n, fm.description!) === (fm['disable-model-invocation'] === 'true')).map(([n]) => n)).toEqual([]);
    expect(['session-status', 'context-status', 'compact-context', 'doctor'].filter((n) => !text.includes(`- cco:${n}: `))).toEqual([]);
    expect(listed('quota-and-context', 'Use before starting a large task')).toBe(true);
  });

  it('lists the agents with their examples and their own tools (their frontmatter parses)', () => {
    const text = requestText(mainRequests(mock)[0]!);
    for (const [name, fm] of frontmatters('agents')) {
      const start = text.indexOf(`- cco:${name}: Use this agent`);
      expect(start, name).toBeGreaterThanOrEqual(0);
      const entry = text.slice(start, text.indexOf('\n- ', start + 1));
      expect(entry).toContain('<example>');
      expect(entry).toContain(`(Tools: ${fm.tools})`);
    }
  });

  it('refuses a writing command to the model and runs a report for it', () => {
    const [, afterFirst, afterSecond] = mainRequests(mock).map(requestText);
    expect(afterFirst).toContain('cannot be used with Skill tool due to disable-model-invocation');
    expect(afterSecond).toContain('CLAUDE CODE SESSION STATUS');
    expect(afterSecond).toContain('COMBINED HEALTH');
  });
});
