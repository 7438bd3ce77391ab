import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/tools.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { processRuntime, type Runtime } from '../../src/runtime.ts';
import { CURSOR_VERSION } from '../../src/store/cursor-check.ts';
import { cursorFile } from '../../src/store/transcript-cache.ts';
import type { ToolsReport } from '../../src/usage/tool-report.ts';
import { HAS_SHARED_FIXTURES, NEEDS_SHARED, SHARED_SOURCES } from '../helpers/fixture-sets.ts';
import { tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';

const home = tempHomePerTest();

async function cco(rt: Runtime, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(rt, args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => '',
    cwd: '/',
  });
  return { code, stdout, stderr };
}

async function json(rt: Runtime, ...args: string[]): Promise<ToolsReport> {
  return JSON.parse((await cco(rt, '--json', ...args)).stdout) as ToolsReport;
}

const SID = '11111111-2222-3333-4444-555555555555';
const SID2 = '99999999-8888-7777-6666-555555555555';
const T = Date.UTC(2026, 0, 10, 9, 0, 0);

/**
 * An assistant line whose context (input + cache creation + cache read) is `ctx`, final usage, as the API
 * caches: it reads the chain's previous context `prev` from the cache and the rest is new (1 input, the
 * rest cache creation).
 */
function asst(sid: string, id: string, ctx: number, content: unknown[], side?: string, prev = 0): string {
  return JSON.stringify({
    type: 'assistant',
    sessionId: sid,
    timestamp: new Date(T).toISOString(),
    requestId: `req_${id}`,
    cwd: '/work/p',
    isSidechain: side !== undefined,
    ...(side !== undefined ? { agentId: side } : {}),
    message: {
      id,
      role: 'assistant',
      model: 'claude-opus-4-5',
      stop_reason: 'tool_use',
      content,
      usage: { input_tokens: 1, output_tokens: 300, cache_creation_input_tokens: ctx - prev - 1, cache_read_input_tokens: prev },
    },
  });
}

function results(sid: string, rs: [string, number][], side?: string): string {
  return JSON.stringify({
    type: 'user',
    sessionId: sid,
    isSidechain: side !== undefined,
    ...(side !== undefined ? { agentId: side } : {}),
    message: { role: 'user', content: rs.map(([id, chars]) => ({ type: 'tool_result', tool_use_id: id, content: 'x'.repeat(chars) })) },
  });
}

const use = (id: string, name: string, input: unknown = {}) => ({ type: 'tool_use', id, name, input });

/**
 * Two sessions in a temp config dir. Session SID: m1 (context 1,000) calls Read {"file_path":"/a"}
 * (18 chars -> 5 tokens) and Task/Explore (40 chars -> 10); results of 300 and 100 chars; m2 (1,800)
 * grows 800: Read 600, Task 200; m2 calls mcp__gh__issue {} (1); result; m3 (1,900): mcp 100. Its
 * subagent file: g1 (5,000) calls Grep {} (1); g2 (5,400): Grep 400. Session SID2: Bash {"command":"ls"}
 * (16 chars -> 4), then 2,000 -> 2,250: Bash 250.
 * Counted tokens (input + cache creation + output): SID 1,300 + 1,100 + 400 + 5,300 + 700 = 8,800 with 4
 * tool calls; SID2 2,300 + 550 = 2,850 with 1.
 */
function writeSessions(configDir: string): { main: string } {
  const dir = path.join(configDir, 'projects', '-work-p');
  mkdirSync(path.join(dir, SID, 'subagents'), { recursive: true });
  const main = path.join(dir, `${SID}.jsonl`);
  writeFileSync(
    main,
    [
      asst(SID, 'm1', 1_000, [use('r1', 'Read', { file_path: '/a' })]),
      asst(SID, 'm1', 1_000, [use('t1', 'Task', { subagent_type: 'Explore', prompt: 'p' })]),
      results(SID, [
        ['r1', 300],
        ['t1', 100],
      ]),
      asst(SID, 'm2', 1_800, [use('g1', 'mcp__gh__issue')], undefined, 1_000),
      results(SID, [['g1', 50]]),
      asst(SID, 'm3', 1_900, [{ type: 'text', text: 'done' }], undefined, 1_800),
    ].join('\n') + '\n',
  );
  writeFileSync(
    path.join(dir, SID, 'subagents', 'agent-a1.jsonl'),
    [
      asst(SID, 'a1', 5_000, [use('gr', 'Grep')], 'a1'),
      results(SID, [['gr', 10]], 'a1'),
      asst(SID, 'a2', 5_400, [{ type: 'text', text: 'found' }], 'a1', 5_000),
    ].join('\n') + '\n',
  );
  writeFileSync(
    path.join(dir, `${SID2}.jsonl`),
    [
      asst(SID2, 'n1', 2_000, [use('b1', 'Bash', { command: 'ls' })]),
      results(SID2, [['b1', 20]]),
      asst(SID2, 'n2', 2_250, [{ type: 'text', text: 'ok' }], undefined, 2_000),
    ].join('\n') + '\n',
  );
  return { main };
}

const row = (r: ToolsReport['tools'], name: string) => r.find((t) => t.name === name);

describe('cco tools on a temp config dir', () => {
  it('reports calls, context tokens, shares, and the tokens per tool call the runway uses, for all sessions (--json)', async () => {
    const h = home();
    writeSessions(h.configDir);
    const r = await json(processRuntime(h.env()));
    expect(r.scope).toBe('all sessions');
    expect(r.files).toBe(3);
    expect(r.calls).toBe(5);
    // 605 + 401 + 254 + 210 + 101
    expect(r.tokens).toBe(1_571);
    expect(r.tools.map((t) => [t.name, t.calls, t.samples, t.useTokens, t.resultTokens, t.tokens])).toEqual([
      ['Read', 1, 1, 5, 600, 605],
      ['Grep', 1, 1, 1, 400, 401],
      ['Bash', 1, 1, 4, 250, 254],
      ['Task', 1, 1, 10, 200, 210],
      ['mcp__gh__issue', 1, 1, 1, 100, 101],
    ]);
    expect(row(r.tools, 'Read')!.share).toBeCloseTo(605 / 1_571, 12);
    expect(row(r.tools, 'Read')!.contextPerCall).toBe(605);
    expect(r.agentTypes).toMatchObject([{ name: 'Explore', calls: 1, tokens: 210, contextPerCall: 210 }]);
    expect(r.mcpServers).toMatchObject([{ name: 'gh', calls: 1, tokens: 101, contextPerCall: 101 }]);
    // one figure per concept: counted tokens / tool calls, as the runway computes it
    expect(r.countedTokens).toBe(8_800 + 2_850);
    expect(r.perToolCall).toEqual({ tokens: 11_650, calls: 5, perCall: 2_330 });
    expect(r.sessionPerToolCall).toBeNull();
    // what calls are credited never exceeds what the quota counts
    expect(r.tokens).toBeLessThanOrEqual(r.countedTokens);
  });

  it('records the new tool figures in the session tracker and writes current-version caches', async () => {
    const h = home();
    const { main } = writeSessions(h.configDir);
    const rt = processRuntime(h.env());
    await cco(rt);
    const tracker = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, { tools: unknown }> };
    expect(tracker.sessions[SID]!.tools).toEqual({
      Read: { calls: 1, tokens: 605, useTokens: 5, resultTokens: 600, samples: 1 },
      Task: { calls: 1, tokens: 210, useTokens: 10, resultTokens: 200, samples: 1 },
      mcp__gh__issue: { calls: 1, tokens: 101, useTokens: 1, resultTokens: 100, samples: 1 },
      Grep: { calls: 1, tokens: 401, useTokens: 1, resultTokens: 400, samples: 1 },
    });
    expect((JSON.parse(readFileSync(cursorFile(rt, main), 'utf8')) as { version: number }).version).toBe(CURSOR_VERSION);
  });

  it('rebuilds from the transcript when the cache holds the old (v2) shape', async () => {
    const h = home();
    const { main } = writeSessions(h.configDir);
    const rt = processRuntime(h.env());
    const file = cursorFile(rt, main);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        version: 2,
        path: main,
        ino: 0,
        size: 0,
        mtimeMs: 0,
        offset: 0,
        tail: '',
        head: '',
        digest: { tools: { Read: { calls: 99, inputChars: 1, resultChars: 1 } } },
      }),
    );
    const r = await json(rt);
    expect(row(r.tools, 'Read')).toMatchObject({ calls: 1, tokens: 605 });
  });

  it("--session shows one session (main + subagent files), with its own and the account's tokens per tool call", async () => {
    const h = home();
    writeSessions(h.configDir);
    const rt = processRuntime(h.env());
    const r = await json(rt, '--session', SID);
    expect(r.scope).toBe(`session ${SID}`);
    expect(r.files).toBe(2);
    expect(r.tools.map((t) => t.name)).toEqual(['Read', 'Grep', 'Task', 'mcp__gh__issue']);
    expect(r.tokens).toBe(605 + 401 + 210 + 101);
    expect(row(r.tools, 'Read')!.share).toBeCloseTo(605 / 1_317, 12);
    expect(r.countedTokens).toBe(8_800);
    expect(r.sessionPerToolCall).toEqual({ tokens: 8_800, calls: 4, perCall: 2_200 });
    expect(r.perToolCall.perCall).toBe(2_330);
    const other = await json(rt, '--session', SID2);
    expect(other.tools.map((t) => [t.name, t.tokens])).toEqual([['Bash', 254]]);
    expect(other.files).toBe(1);
  });

  it("renders fixed-width tables with every figure's source", async () => {
    const h = home();
    writeSessions(h.configDir);
    const { code, stdout } = await cco(processRuntime(h.env()));
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('CLAUDE CODE TOOL USAGE  ·  all sessions  ·  3 transcript files');
    expect(lines).toContain('  Tokens per tool call   2,330  (measured: 11,650 counted tokens / 5 tool calls of your sessions; the runway uses it)');
    expect(lines).toContain("  Counted tokens         11,650  (measured, the quota's weights, all sessions)");
    // 1,571 / 11,650 = 13.5 %
    expect(stdout).toContain('  Context from calls     1,571  (estimate: what the calls added to the context = 13.5% of the counted tokens;');
    expect(stdout).not.toContain('exceeds the counted tokens');
    expect(stdout).toContain('calls, sampled: measured');
    expect(stdout).toContain('ctx tokens, share, ctx/call: estimate');
    const header = lines.findIndex((l) => l.startsWith('  Tool '));
    expect(lines[header]).toBe('  Tool            Calls  Sampled  Ctx tokens   Share  Ctx/call');
    // 605 / 1,571 = 38.51 %
    expect(lines[header + 1]).toBe('  Read                1        1         605   38.5%       605');
    expect(lines[header + 5]).toBe('  mcp__gh__issue      1        1         101    6.4%       101');
    expect(stdout).toMatch(/^ {2}Total\s+5\s+5\s+1,571\s+100\.0%$/m);
    expect(stdout).toMatch(/^SUBAGENT TYPES/m);
    expect(stdout).toMatch(/^ {2}Explore\s+1\s+1\s+210\s+13\.4%\s+210$/m);
    expect(stdout).toMatch(/^MCP SERVERS/m);
    expect(stdout).toMatch(/^ {2}gh\s+1\s+1\s+101\s+6\.4%\s+101$/m);
    expect(stdout).not.toContain('Results not attributed');
  });

  it('says so when there are no tool calls', async () => {
    const h = home();
    const { stdout } = await cco(processRuntime(h.env()));
    expect(stdout).toContain('No tool calls found');
  });

  it('rejects unknown flags, a --session without a value, and a session with no transcript', async () => {
    const h = home();
    writeSessions(h.configDir);
    const rt = processRuntime(h.env());
    await expect(cco(rt, '--bogus')).rejects.toThrow(UsageError);
    await expect(cco(rt, '--session')).rejects.toThrow('--session needs a value');
    await expect(cco(rt, '--session', 'nope')).rejects.toThrow('no transcript found for session nope');
  });
});

describe.skipIf(!HAS_SHARED_FIXTURES)(`cco tools on the shared real transcripts: ${NEEDS_SHARED}`, () => {
  function fixtureRuntime(h: TempHome): Runtime {
    return processRuntime(h.env({ CLAUDE_CONFIG_DIR: [h.configDir, ...SHARED_SOURCES].join(',') }));
  }

  it('gives sane figures: every tool has calls, shares sum to 100 %, sums agree', async () => {
    const h = home();
    const r = await json(fixtureRuntime(h));
    expect(r.files).toBe(28);
    // tool_use blocks in assistant records of the fixtures (jq; no id repeats)
    expect(r.calls).toBe(361);
    expect(r.tools.length).toBeGreaterThan(5);
    for (const t of r.tools) {
      expect(t.calls, t.name).toBeGreaterThan(0);
      expect(t.samples, t.name).toBeLessThanOrEqual(t.calls);
      expect(t.tokens, t.name).toBe(t.useTokens + t.resultTokens);
    }
    // what calls are credited never exceeds what the quota counts (context from calls <= counted tokens)
    expect(r.tokens).toBeLessThanOrEqual(r.countedTokens);
    expect(r.tools.reduce((n, t) => n + t.share, 0)).toBeCloseTo(1, 9);
    expect(r.tools.reduce((n, t) => n + t.tokens, 0)).toBe(r.tokens);
    expect(r.agentTypes.reduce((n, t) => n + t.calls, 0)).toBe((row(r.tools, 'Task')?.calls ?? 0) + (row(r.tools, 'Agent')?.calls ?? 0));
    // One result opens a resumed session's file (its tool_use is in an earlier file); 8 results are on
    // sidechain records without agentId (5c0375b4), 1 waited at the only compaction (0cf3db51).
    expect(r.unmatchedResults).toBe(1);
    expect(r.unattributedResults).toBe(9);
  });

  it('gives the same report warm, from the caches, without quarantining them', async () => {
    const h = home();
    const rt = fixtureRuntime(h);
    const cold = await json(rt);
    const warm = await json(rt);
    expect(warm).toEqual(cold);
    const cache = rt.paths.transcriptCacheDir;
    expect(existsSync(cache)).toBe(true);
    expect(readdirSync(cache).filter((f) => f.includes('.corrupt-'))).toEqual([]);
    const { stdout } = await cco(rt);
    const shares = [
      ...stdout
        .split('\nTOOLS\n')[1]!
        .split('SUBAGENT TYPES')[0]!
        .matchAll(/ (\d+\.\d)% /g),
    ].map((m) => Number(m[1]));
    expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThan(99.4);
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThan(100.6);
  });
});
