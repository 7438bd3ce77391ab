// `cco status --json` (the built CLI): the figures the text report shows, as one JSON object.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusJson } from '../../src/cli/status-json.ts';
import { tempHomePerTest } from '../helpers/sandbox-env.ts';
import { runBundle } from '../helpers/spawn-bundle.ts';

const home = tempHomePerTest();
const SID = '7d1e2f30-1111-4222-8333-444455556666';
const MIN = 60_000;

/** Three responses in the last 30 minutes, two with a tool call; returns the last response's context (tokens). */
function writeSession(configDir: string): number {
  const dir = path.join(configDir, 'projects', '-w-p');
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const usages = [
    [10, 2_000, 18_000, 300],
    [12, 1_500, 20_000, 250],
    [8, 900, 21_500, 400],
  ] as const;
  const lines = usages.map(([input, creation, read, output], i) =>
    JSON.stringify({
      type: 'assistant',
      sessionId: SID,
      cwd: '/w/p',
      requestId: `req_${i}`,
      timestamp: new Date(now - (25 - i * 10) * MIN).toISOString(),
      message: {
        id: `msg_${i}`,
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        stop_reason: i < 2 ? 'tool_use' : 'end_turn',
        content: i < 2 ? [{ type: 'tool_use', id: `toolu_${i}`, name: i === 0 ? 'Read' : 'Bash', input: {} }] : [{ type: 'text', text: 'done' }],
        usage: { input_tokens: input, cache_creation_input_tokens: creation, cache_read_input_tokens: read, output_tokens: output },
      },
    }),
  );
  writeFileSync(path.join(dir, `${SID}.jsonl`), lines.join('\n') + '\n');
  const [input, creation, read] = usages[2];
  return input + creation + read;
}

const int = (text: string) => Number(text.replaceAll(',', ''));

describe('cco status --json', () => {
  it('parses, and holds the window, the quota with its sources, the session and the context the text shows', async () => {
    const h = home();
    const context = writeSession(h.configDir);
    const json = await runBundle('cli.mjs', '', h.env(), { args: ['status', '--json', '--session', SID], cwd: h.home });
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
    const s = JSON.parse(json.stdout) as StatusJson;
    const text = (await runBundle('cli.mjs', '', h.env(), { args: ['status', '--session', SID], cwd: h.home })).stdout;

    expect(s.session).toMatchObject({ id: SID, chosenBy: '--session', cwd: '/w/p', responses: 3, toolCalls: 2, tools: { Read: 1, Bash: 1 } });
    const sessionRow = /Session tokens +([\d,]+) counted · 3 responses/.exec(text);
    expect(s.session!.countedTokens).toBe(int(sessionRow![1]!));

    expect(s.window).not.toBeNull();
    expect(text).toContain(`Status             ACTIVE  (${s.window!.source})`);
    expect(s.window!.endMs - s.window!.startMs).toBe(5 * 60 * MIN);
    expect(s.window!.elapsedMs + s.window!.remainingMs).toBe(5 * 60 * MIN);

    expect(text).toContain(`Plan               ${s.quota.plan}: ${s.quota.budgetTokens.toLocaleString('en-US')} tokens / 5h  (${s.quota.budgetSource})`);
    const usedRow = /Used +[\d.]+%  \((.+)\) · ([\d,]+) tokens counted in the window \(measured\)/.exec(text);
    expect(s.quota.usedPctSource).toBe(usedRow![1]);
    expect(s.quota.usedTokens).toBe(int(usedRow![2]!));
    expect(s.quota.level).toBe(/Status +(\S[^:]*): /.exec(text.slice(text.indexOf('TOKEN QUOTA')))![1]);

    expect(s.context.usedTokens).toBe(context);
    expect(s.context.usedSource).toMatch(/measured/);
    expect(s.notes).toEqual([...text.matchAll(/^Note: (.*)$/gm)].map((m) => m[1]));
  });

  it('a bad command line is still exit 2, an unknown session exit 1, with nothing on stdout', async () => {
    const h = home();
    expect(await runBundle('cli.mjs', '', h.env(), { args: ['status', '--json=yes'], cwd: h.home })).toMatchObject({ code: 2, stdout: '' });
    expect(await runBundle('cli.mjs', '', h.env(), { args: ['status', '--json', '--session', 'nope'], cwd: h.home })).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'cco status: no tracked session with id nope\n',
    });
  });
});
