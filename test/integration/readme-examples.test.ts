import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as planRun } from '../../src/cli/plan.ts';
import { statusCommand } from '../../src/cli/status.ts';
import { renderStatusline } from '../../src/render/statusline.ts';
import { processRuntime, type Runtime } from '../../src/runtime.ts';
import { frontView, readFrontPayload } from '../../src/statusline/front-view.ts';
import { readStatuslineSnapshot } from '../../src/statusline/snapshot.ts';
import { writeStatuslineSnapshot } from '../../src/tracker/snapshot-write.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';

// The README's examples are the commands' real output, made here from a fixed state and clock, so they
// cannot drift from what cco prints. `UPDATE_README_EXAMPLES=1 npx vitest run test/integration/readme-examples.test.ts`
// writes them into README.md; otherwise each README block must equal the output.

const README = path.join(ROOT, 'README.md');
const NOW = Date.parse('2026-12-07T14:42:00.000Z');
const MIN = 60_000;
const SID = '5e3c7a10-8b2f-4f1e-9d6a-2c4b8e1f0a97';
const CWD = '/home/me/proj';

let h: TempHome;
let rt: Runtime;

/** One session of claude-opus-5-5 in /home/me/proj: 12 responses over 40 minutes with Read, Edit, Bash and Grep calls. */
function writeSession(configDir: string): void {
  const dir = path.join(configDir, 'projects', '-home-me-proj');
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [
    JSON.stringify({
      type: 'user',
      sessionId: SID,
      cwd: CWD,
      timestamp: new Date(NOW - 41 * MIN).toISOString(),
      message: { role: 'user', content: 'Add a --dry-run flag to the deploy script' },
    }),
  ];
  const tools = ['Read', 'Grep', 'Read', 'Edit', 'Bash', 'Read', 'Edit', 'Bash', 'Edit', 'Bash', 'Read'];
  let ctx = 24_000;
  for (let i = 0; i < 12; i++) {
    const at = new Date(NOW - (40 - i * 3.5) * MIN).toISOString();
    const tool = tools[i];
    const id = `toolu_${i}`;
    const grow = 9_000;
    const content =
      tool === undefined
        ? [{ type: 'text', text: 'Done: deploy.sh takes --dry-run.' }]
        : [
            {
              type: 'tool_use',
              id,
              name: tool,
              input:
                tool === 'Bash'
                  ? { command: 'bash deploy.sh --dry-run' }
                  : { file_path: `${CWD}/deploy.sh`, ...(tool === 'Edit' ? { old_string: 'a', new_string: 'b' } : {}) },
            },
          ];
    lines.push(
      JSON.stringify({
        type: 'assistant',
        sessionId: SID,
        cwd: CWD,
        requestId: `req_${i}`,
        timestamp: at,
        requestedModel: 'claude-opus-5-5',
        isSidechain: false,
        message: {
          id: `msg_${i}`,
          model: 'claude-opus-5-5',
          role: 'assistant',
          stop_reason: tool === undefined ? 'end_turn' : 'tool_use',
          content,
          usage: { input_tokens: 6, cache_creation_input_tokens: grow, cache_read_input_tokens: ctx - grow - 6, output_tokens: 240 },
        },
      }),
    );
    if (tool !== undefined)
      lines.push(
        JSON.stringify({
          type: 'user',
          sessionId: SID,
          cwd: CWD,
          timestamp: at,
          isSidechain: false,
          message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'x'.repeat(20_000) }] },
        }),
      );
    ctx += grow;
  }
  writeFileSync(path.join(dir, `${SID}.jsonl`), lines.join('\n') + '\n');
}

const io = () => {
  let out = '';
  return {
    io: {
      stdout: (t: string) => {
        out += t;
      },
      stderr: () => undefined,
      readStdin: async () => '',
      cwd: CWD,
    },
    out: () => out,
  };
};

/** The README block of example `name`, between its markers. */
function block(readme: string, name: string): { start: number; end: number; text: string } {
  const open = `<!-- readme-example: ${name} -->\n\`\`\`text\n`;
  const start = readme.indexOf(open);
  if (start < 0) throw new Error(`README.md has no example block "${name}"`);
  const end = readme.indexOf('```\n<!-- /readme-example -->', start);
  return { start: start + open.length, end, text: readme.slice(start + open.length, end) };
}

const examples = new Map<string, string>();

describe("the README shows the commands' real output", () => {
  beforeAll(async () => {
    h = tempHome();
    mkdirSync(h.accountDir, { recursive: true });
    writeFileSync(
      path.join(h.accountDir, 'config.json'),
      JSON.stringify({ plan: 'max5', quota: { desktopNotifications: false }, planning: { timeZone: 'UTC' } }),
    );
    writeSession(h.configDir);
    rt = processRuntime(h.env({ CLAUDE_CODE_SESSION_ID: SID }), () => new Date(NOW));
    examples.set('session-status', await statusCommand(rt, [], CWD));

    // The status line of a subscriber's session: Claude Code's payload, and the snapshot the tracker keeps.
    await writeStatuslineSnapshot(rt, NOW, new Map());
    const payload = JSON.stringify({
      session_id: SID,
      model: { id: 'claude-opus-5-5', display_name: 'Opus 5.5' },
      context_window: {
        context_window_size: 1_000_000,
        used_percentage: 13,
        current_usage: { input_tokens: 6, cache_creation_input_tokens: 9_000, cache_read_input_tokens: 114_994, output_tokens: 240 },
      },
      rate_limits: {
        five_hour: { used_percentage: 42, resets_at: (NOW + 83 * MIN) / 1000 },
        seven_day: { used_percentage: 18, resets_at: (NOW + 3 * 24 * 60 * MIN) / 1000 },
      },
    });
    examples.set('statusline', renderStatusline(frontView(readFrontPayload(payload), readStatuslineSnapshot(rt.paths.statuslineSnapshot), NOW)) + '\n');

    // /start-next-session 3 with two planned sessions.
    const plan = async (...args: string[]) => {
      const c = io();
      expect(await planRun(rt, args, c.io)).toBe(0);
      return c.out();
    };
    await plan(
      'add',
      '--title',
      'Implementation - Part 1/2',
      '--tokens',
      '90000',
      '--hours',
      '2',
      '--objective',
      'Parser for the export format, with unit tests',
      '--project',
      CWD,
    );
    await plan(
      'add',
      '--title',
      'Implementation - Part 2/2',
      '--share',
      '0.3',
      '--hours',
      '3',
      '--depends',
      's1',
      '--objective',
      'Wire the CLI',
      '--objective',
      'Integration tests',
      '--project',
      CWD,
    );
    examples.set('start-next-session', await plan('next', '3'));

    if (process.env.UPDATE_README_EXAMPLES === '1') {
      let readme = readFileSync(README, 'utf8');
      for (const [name, text] of examples) {
        const b = block(readme, name);
        readme = readme.slice(0, b.start) + text + readme.slice(b.end);
      }
      writeFileSync(README, readme);
    }
  });

  afterAll(() => h?.cleanup());

  for (const name of ['session-status', 'statusline', 'start-next-session']) {
    it(`${name}: the README block is the output`, () => {
      expect(block(readFileSync(README, 'utf8'), name).text).toBe(examples.get(name));
    });
  }

  it('the session-status example shows a 1M window, a tag per figure, every tool', () => {
    const s = examples.get('session-status')!;
    expect(s).toContain('Window             1,000,000 tokens  (model table of Claude Code 2.1.329, claude-opus-5-5)');
    expect(s).toContain('Tool calls         11  (Read 4, Bash 3, Edit 3, Grep 1)  (measured)');
    expect(s).not.toMatch(/\((estimate|measured|official)[^()\n]*\(/);
  });
});
