import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedSession, SessionQueue } from '../../src/plan/queue-schema.ts';
import { mainRequests, mockPool, requestText, type MockApi, type ScriptTurn, type Usage } from './mock-anthropic.ts';
import { REPO_ROOT } from './paths.ts';
import { installPlugin, makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

const U: Usage = { input_tokens: 50, cache_creation_input_tokens: 500, cache_read_input_tokens: 2_000, output_tokens: 20 };
const CLI = `node "${path.join(REPO_ROOT, 'dist', 'cli.mjs')}"`;

let sb: Sandbox;
const mocks = mockPool();
const mockOf = (script: ScriptTurn[]): Promise<MockApi> => mocks.start(script);
const queue = (): SessionQueue => JSON.parse(readFileSync(path.join(sb.configDir, 'session-queue.json'), 'utf8')) as SessionQueue;

function planned(id: string, p: Partial<PlannedSession>): PlannedSession {
  return {
    id,
    title: `Session ${id}`,
    projectDir: sb.projectDir,
    tokens: 40_000,
    windowShare: null,
    hours: 1,
    objectives: [],
    agent: null,
    dependsOn: [],
    status: 'ready',
    scheduledAt: null,
    scheduledBy: null,
    announcedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    calendar: null,
    ...p,
  };
}

/**
 * A prepared queue: s1 done; s2 (after s1) is the next in plan order and fits 3 h; s3 waits for s2;
 * s4 needs 4 h. Only s2's objectives may reach the model as the pick.
 */
function prepareQueue(): void {
  const q: SessionQueue = {
    version: 1,
    queueId: 'e2e-queue',
    nextId: 5,
    updatedAt: null,
    sessions: [
      planned('s1', { title: 'Implementation - Part 1/3', status: 'done', objectives: ['CCO-OBJ-DONE'] }),
      planned('s2', {
        title: 'Implementation - Part 2/3',
        dependsOn: ['s1'],
        tokens: 80_000,
        hours: 2,
        agent: 'code-reviewer',
        objectives: ['Wire the planner CLI (CCO-OBJ-S2-A)', 'Integration tests for it (CCO-OBJ-S2-B)'],
      }),
      planned('s3', { title: 'Implementation - Part 3/3', dependsOn: ['s2'], objectives: ['CCO-OBJ-S3'] }),
      planned('s4', { title: 'Long refactor', hours: 4, objectives: ['CCO-OBJ-S4'] }),
    ],
  };
  writeFileSync(path.join(sb.configDir, 'session-queue.json'), JSON.stringify(q));
  mkdirSync(path.join(sb.configDir, 'cco'), { recursive: true });
  writeFileSync(path.join(sb.configDir, 'cco', 'config.json'), JSON.stringify({ planning: { timeZone: 'UTC' } }));
}

describe('/cco:start-next-session with the real Claude Code CLI', () => {
  beforeAll(() => {
    sb = makeSandbox();
    installPlugin(sb);
    prepareQueue();
  }, 400_000);

  afterAll(async () => {
    await mocks.closeAll();
    sb?.cleanup();
  });

  it("puts the chosen session's objectives and the exact follow-up into the request the model receives", async () => {
    const mock = await mockOf([{ text: 'Start s2 now, or s4 later?', usage: U }]);
    const res = await runClaude(['-p', '/cco:start-next-session 3', '--output-format', 'json'], { sandbox: sb, mockUrl: mock.url });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const reqs = mainRequests(mock);
    expect(reqs).toHaveLength(1);
    const text = requestText(reqs[0]!);
    expect(text).toContain('START NEXT SESSION');
    expect(text).toContain('3h available');
    expect(text).toContain('RECOMMENDATION: FITS NOW\n  s2  Implementation - Part 2/3');
    expect(text).toContain('- Wire the planner CLI (CCO-OBJ-S2-A)');
    expect(text).toContain('- Integration tests for it (CCO-OBJ-S2-B)');
    expect(text).toContain(`${CLI} plan start s2`);
    expect(text).toContain('s3   ready        Implementation - Part 3/3  (waits for s2 (ready))');
    expect(text).toContain('s4   ready        Long refactor  (40,000 tokens · 4h · does not fit now)');
    for (const other of ['CCO-OBJ-S3', 'CCO-OBJ-S4', 'CCO-OBJ-DONE']) expect(text).not.toContain(other);
    // The command body asks the model to ask the person and then run exactly that command.
    expect(text).toContain('run exactly the command printed for the chosen option');
    expect(queue().sessions.find((s) => s.id === 's2')?.status).toBe('ready');
  });

  it('the model runs the follow-up it was given: s2 becomes the current objective', async () => {
    const mock = await mockOf([
      { tool: { name: 'Bash', input: { command: `${CLI} plan start s2`, description: 'start planned session s2' } }, usage: U },
      { text: 'Started s2.', usage: U },
    ]);
    const res = await runClaude(['-p', '/cco:start-next-session 3', '--output-format', 'json'], { sandbox: sb, mockUrl: mock.url });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const s2 = queue().sessions.find((s) => s.id === 's2')!;
    expect(s2.status).toBe('in_progress');
    const reqs = mainRequests(mock);
    expect(reqs).toHaveLength(2);
    expect(requestText(reqs[1]!)).toContain('Started s2: Implementation - Part 2/3. It is now the current objective');
  });

  it('hours outside 0.5-12: Claude Code shows the clear error to the person and sends nothing to the model', async () => {
    const mock = await mockOf([{ text: 'unused', usage: U }]);
    const res = await runClaude(['-p', '/cco:start-next-session 20', '--output-format', 'json'], { sandbox: sb, mockUrl: mock.url });
    expect(res.code, res.stderr).toBe(0);
    // A failing `!` command stops the slash command: its stderr is the result, shown as is.
    const result = (JSON.parse(res.stdout) as { result: string }).result;
    expect(result).toContain('cco plan next: hours must be a number from 0.5 to 12, not "20"');
    expect(mainRequests(mock)).toHaveLength(0);
  });
});
