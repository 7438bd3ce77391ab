import { describe, expect, it } from 'vitest';
import { digestLines, emptyDigest, indexEntries, mcpServerOf, type FileDigest } from '../../src/claude/transcript-digest.ts';
import { FileDigestSchema } from '../../src/store/schemas.ts';

const T0 = Date.UTC(2026, 0, 10, 9, 0, 0);

interface Req {
  /** message.id; null for a record without one (every such record is a request of its own). */
  id: string | null;
  /** Context tokens of the request, given as cache reads (input + cache creation + cache read). */
  ctx: number;
  out?: number;
  /** Final usage (Claude Code writes stop_reason with it); false for a streamed copy (stop_reason null). */
  final?: boolean;
  content?: unknown[];
  sidechain?: boolean;
  agentId?: string;
  model?: string;
  /** Tokens of `ctx` read from the cache (default 0: all new). */
  read?: number;
}

/**
 * One assistant line. Context is split as input 1 + the rest as cache creation (new tokens, all of
 * the context: the cap of result tokens by a request's new tokens never binds), or with `read`, that
 * many tokens read from the cache.
 */
function asst(r: Req): string {
  const message: Record<string, unknown> = {
    role: 'assistant',
    model: r.model ?? 'claude-opus-4-5',
    stop_reason: r.final === false ? null : 'tool_use',
    content: r.content ?? [{ type: 'text', text: 'ok' }],
    usage:
      r.ctx === 0
        ? { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
        : { input_tokens: 1, output_tokens: r.out ?? 500, cache_creation_input_tokens: r.ctx - 1 - (r.read ?? 0), cache_read_input_tokens: r.read ?? 0 },
  };
  if (r.id !== null) message.id = r.id;
  const rec: Record<string, unknown> = { type: 'assistant', sessionId: 'S', timestamp: new Date(T0).toISOString(), message };
  if (r.id !== null) rec.requestId = `req_${r.id}`;
  rec.isSidechain = r.sidechain === true;
  if (r.agentId !== undefined) rec.agentId = r.agentId;
  return JSON.stringify(rec);
}

function use(id: string, name: string, input: unknown = {}): Record<string, unknown> {
  return { type: 'tool_use', id, name, input };
}

/** A user line with tool results, each `[tool_use id, content]`. */
function results(...rs: [string, unknown][]): string {
  return JSON.stringify({
    type: 'user',
    sessionId: 'S',
    isSidechain: false,
    message: { role: 'user', content: rs.map(([id, content]) => ({ type: 'tool_result', tool_use_id: id, content })) },
  });
}

function sideResults(agentId: string | undefined, ...rs: [string, unknown][]): string {
  const rec = JSON.parse(results(...rs)) as Record<string, unknown>;
  rec.isSidechain = true;
  if (agentId !== undefined) rec.agentId = agentId;
  return JSON.stringify(rec);
}

const x = (n: number) => 'x'.repeat(n);

function digest(lines: string[]): FileDigest {
  return digestLines(emptyDigest(), lines, new Map());
}

describe('tool attribution: result tokens from the next request', () => {
  it('splits the context growth between two results of one request by their characters', () => {
    // Request m1 (context 1,000) calls Read and Bash, one streamed line each. Their results have 300 and
    // 100 characters. Request m2 has context 1,401: growth 401, split 401*300/400 = 300.75 -> 301 to
    // Read and the remaining 100 to Bash (whole tokens that add up to the growth).
    const d = digest([
      asst({ id: 'm1', ctx: 1_000, out: 10, content: [use('r', 'Read', { file_path: '/a' })] }),
      asst({ id: 'm1', ctx: 1_000, out: 10, content: [use('b', 'Bash', { command: 'ls -la /tmp' })] }),
      results(['r', x(300)]),
      results([
        'b',
        [
          { type: 'text', text: x(60) },
          { type: 'text', text: x(40) },
        ],
      ]),
      asst({ id: 'm2', ctx: 1_401 }),
    ]);
    // tool_use tokens: {"file_path":"/a"} is 18 chars -> 5; {"command":"ls -la /tmp"} 25 -> 7, but the
    // response's final output_tokens is 10 and Read took 5: Bash gets the 5 left.
    expect(JSON.stringify({ file_path: '/a' }).length).toBe(18);
    expect(JSON.stringify({ command: 'ls -la /tmp' }).length).toBe(25);
    expect(d.tools).toEqual({
      Read: { calls: 1, useTokens: 5, resultTokens: 301, samples: 1 },
      Bash: { calls: 1, useTokens: 5, resultTokens: 100, samples: 1 },
    });
    expect(d.chains.main).toEqual({ key: 'm2:req_m2', context: 1_401, awaiting: [] });
    expect(d.pendingTools).toEqual({});
  });

  it("credits results at most the next request's new tokens (input + cache creation), never its cache reads", () => {
    // m2 grows the context by 800 but reads 1,790 of its 1,800 from the cache: only 10 tokens are new,
    // and only those are counted by the quota: Read gets 10, not 800.
    const lines = [
      asst({ id: 'm1', ctx: 1_000, out: 10, content: [use('r', 'Read', { file_path: '/a' })] }),
      results(['r', x(300)]),
      asst({ id: 'm2', ctx: 1_800, read: 1_790 }),
    ];
    expect(digest(lines).tools.Read).toEqual({ calls: 1, useTokens: 5, resultTokens: 10, samples: 1 });
    // the same growth with every token new is credited whole
    lines[2] = asst({ id: 'm2', ctx: 1_800, read: 1_000 });
    expect(digest(lines).tools.Read).toEqual({ calls: 1, useTokens: 5, resultTokens: 800, samples: 1 });
  });

  it("does not cap tool_use tokens by a streamed copy's partial output_tokens (stop_reason null)", () => {
    const d = digest([asst({ id: 'm1', ctx: 1_000, out: 1, final: false, content: [use('b', 'Bash', { command: 'ls -la /tmp' })] })]);
    expect(d.tools.Bash?.useTokens).toBe(7);
    const capped = digest([asst({ id: 'm1', ctx: 1_000, out: 1, content: [use('b', 'Bash', { command: 'ls -la /tmp' })] })]);
    expect(capped.tools.Bash?.useTokens).toBe(1);
  });

  it('splits equally when every waiting result is empty, and gives 0 when the context shrank', () => {
    const d = digest([
      asst({ id: 'm1', ctx: 1_000, content: [use('a', 'Glob'), use('b', 'Glob'), use('c', 'Grep')] }),
      results(['a', ''], ['b', []], ['c', '']),
      asst({ id: 'm2', ctx: 1_100, content: [use('d', 'Read')] }), // growth 100 over 3: 33, 34 (67 - 33), 33
      results(['d', x(50)]),
      asst({ id: 'm3', ctx: 900 }), // shrank: Read's result is a sample worth 0
    ]);
    expect(d.tools.Glob).toMatchObject({ calls: 2, resultTokens: 67, samples: 2 });
    expect(d.tools.Grep).toMatchObject({ calls: 1, resultTokens: 33, samples: 1 });
    expect(d.tools.Read).toMatchObject({ calls: 1, resultTokens: 0, samples: 1 });
  });

  it('skips a result whose tool_use is not in the file: the growth goes to the known results', () => {
    const d = digest([
      results(['earlier', x(10_000)]), // its tool_use was in an earlier file (resumed session)
      asst({ id: 'm1', ctx: 1_000, content: [use('a', 'Read')] }),
      results(['a', x(100)], ['ghost', x(900)]),
      asst({ id: 'm2', ctx: 1_400 }),
    ]);
    expect(d.tools).toEqual({ Read: { calls: 1, useTokens: 1, resultTokens: 400, samples: 1 } });
    expect(d.unmatchedResults).toBe(2);
    expect(d.unattributedResults).toBe(0);
  });
});

describe('tool attribution: streamed copies, synthetic entries, compaction', () => {
  it('counts a request once across its streamed copies: a later copy neither splits nor moves the baseline', () => {
    // m2 arrives as three copies; Bash's result comes between the 2nd and 3rd copy (a late copy, as in
    // replayed lines). Only m3 may pay for it: 1,800 - 1,500 = 300. Had the 3rd copy split, Bash would
    // get 0 from a "growth" of 1,500 - 1,500.
    const d = digest([
      asst({ id: 'm1', ctx: 1_000, content: [use('a', 'Read')] }),
      results(['a', x(10)]),
      asst({ id: 'm2', ctx: 1_500 }),
      asst({ id: 'm2', ctx: 1_500, content: [use('b', 'Bash')] }),
      results(['b', x(10)]),
      asst({ id: 'm2', ctx: 1_500 }),
      asst({ id: 'm3', ctx: 1_800 }),
    ]);
    expect(d.tools.Read).toMatchObject({ resultTokens: 500, samples: 1 });
    expect(d.tools.Bash).toMatchObject({ calls: 1, resultTokens: 300, samples: 1 });
    expect(d.entries).toHaveLength(3);
  });

  it('treats every request without message.id as new', () => {
    const d = digest([
      asst({ id: null, ctx: 1_000, content: [use('a', 'Read')] }),
      results(['a', x(10)]),
      asst({ id: null, ctx: 1_250, content: [use('b', 'Read')] }),
      results(['b', x(10)]),
      asst({ id: null, ctx: 1_300 }),
    ]);
    expect(d.tools.Read).toMatchObject({ calls: 2, resultTokens: 250 + 50, samples: 2 });
  });

  it('skips entries with no context tokens (<synthetic> errors) instead of measuring growth from 0', () => {
    const d = digest([
      asst({ id: 'm1', ctx: 1_000, content: [use('a', 'Read')] }),
      results(['a', x(10)]),
      asst({ id: 'syn', ctx: 0, model: '<synthetic>' }),
      asst({ id: 'm2', ctx: 1_300 }),
    ]);
    expect(d.tools.Read).toMatchObject({ resultTokens: 300, samples: 1 });
  });

  it('drops results waiting at a compaction (unattributed) and measures the next ones from the next request', () => {
    const boundary = JSON.stringify({ type: 'system', subtype: 'compact_boundary', isSidechain: false, compactMetadata: { trigger: 'auto', postTokens: 200 } });
    const d = digest([
      asst({ id: 'm1', ctx: 150_000, content: [use('a', 'Read')] }),
      results(['a', x(10)]),
      boundary,
      asst({ id: 'm2', ctx: 300, content: [use('b', 'Read')] }),
      results(['b', x(10)]),
      asst({ id: 'm3', ctx: 500 }),
    ]);
    expect(d.tools.Read).toMatchObject({ calls: 2, resultTokens: 200, samples: 1 });
    expect(d.unattributedResults).toBe(1);
  });
});

describe('tool attribution: chains', () => {
  it('ignores sidechain records without agentId for attribution: they neither split nor move the main baseline', () => {
    const d = digest([
      asst({ id: 'm1', ctx: 1_000, content: [use('a', 'Read')] }),
      results(['a', x(10)]),
      asst({ id: 's1', ctx: 50_000, sidechain: true, content: [use('s', 'Grep')] }),
      sideResults(undefined, ['s', x(10)]),
      asst({ id: 's2', ctx: 60_000, sidechain: true }),
      asst({ id: 'm2', ctx: 1_200 }),
    ]);
    expect(d.tools.Read).toMatchObject({ resultTokens: 200, samples: 1 });
    // the sidechain call is counted (measured) but its result cannot be measured
    expect(d.tools.Grep).toEqual({ calls: 1, useTokens: 1, resultTokens: 0, samples: 0 });
    expect(d.unattributedResults).toBe(1);
    expect(Object.keys(d.chains)).toEqual(['main']);
    // and the main context stays the main chain's
    expect(d.context?.tokens).toBe(1_200);
  });

  it("attributes a subagent's calls on its own chain (agentId), interleaved with the main chain", () => {
    const d = digest([
      asst({ id: 'm1', ctx: 1_000, content: [use('a', 'Read')] }),
      asst({ id: 'g1', ctx: 5_000, sidechain: true, agentId: 'ag1', content: [use('g', 'Grep')] }),
      sideResults('ag1', ['g', x(10)]),
      results(['a', x(10)]),
      asst({ id: 'g2', ctx: 5_600, sidechain: true, agentId: 'ag1' }),
      asst({ id: 'm2', ctx: 1_070 }),
    ]);
    expect(d.tools.Grep).toMatchObject({ resultTokens: 600, samples: 1 });
    expect(d.tools.Read).toMatchObject({ resultTokens: 70, samples: 1 });
    expect(d.chains['agent:ag1']).toEqual({ key: 'g2:req_g2', context: 5_600, awaiting: [] });
  });
});

describe('tool attribution: subagent types and MCP servers', () => {
  it('groups Task/Agent calls by subagent_type and MCP calls by server, with their tokens', () => {
    const d = digest([
      asst({
        id: 'm1',
        ctx: 1_000,
        content: [
          use('t1', 'Task', { subagent_type: 'Explore', prompt: 'p' }), // 40 chars -> 10
          use('t2', 'Agent', { prompt: 'q' }), // {"prompt":"q"} 14 chars -> 4
          use('g1', 'mcp__github__get_issue', { n: 1 }), // {"n":1} 7 -> 2
          use('g2', 'mcp__github__list_prs'), // {} -> 1
          use('l1', 'mcp__linear__search'), // {} -> 1
        ],
      }),
      results(['t1', x(600)], ['t2', x(200)], ['g1', x(100)], ['g2', x(50)], ['l1', x(50)]),
      asst({ id: 'm2', ctx: 2_000 }), // growth 1,000 over 1,000 chars: 1 token per char
    ]);
    expect(JSON.stringify({ subagent_type: 'Explore', prompt: 'p' }).length).toBe(40);
    expect(d.agentTypes).toEqual({
      Explore: { calls: 1, useTokens: 10, resultTokens: 600, samples: 1 },
      '(unspecified)': { calls: 1, useTokens: 4, resultTokens: 200, samples: 1 },
    });
    expect(d.mcpServers).toEqual({
      github: { calls: 2, useTokens: 3, resultTokens: 150, samples: 2 },
      linear: { calls: 1, useTokens: 1, resultTokens: 50, samples: 1 },
    });
    expect(d.tools.Task).toEqual({ calls: 1, useTokens: 10, resultTokens: 600, samples: 1 });
    expect(d.tools.mcp__github__get_issue).toEqual({ calls: 1, useTokens: 2, resultTokens: 100, samples: 1 });
  });

  it('mcpServerOf reads the server out of mcp__<server>__<tool>', () => {
    expect(mcpServerOf('mcp__github__get_issue')).toBe('github');
    expect(mcpServerOf('mcp__plugin_x_y__do')).toBe('plugin_x_y');
    expect(mcpServerOf('mcp__solo')).toBe('solo');
    expect(mcpServerOf('mcp____x')).toBeNull();
    expect(mcpServerOf('Read')).toBeNull();
  });
});

describe('tool attribution: incremental', () => {
  const lines = [
    results(['earlier', x(5)]),
    asst({ id: 'm1', ctx: 1_000, out: 12, content: [use('r', 'Read', { file_path: '/a' })] }),
    asst({ id: 'm1', ctx: 1_000, out: 12, content: [use('b', 'Bash', { command: 'ls -la /tmp' })] }),
    asst({ id: 'g1', ctx: 5_000, sidechain: true, agentId: 'ag1', content: [use('g', 'Grep')] }),
    results(['r', x(300)]),
    sideResults('ag1', ['g', x(10)]),
    results(['b', x(100)]),
    asst({ id: 'm2', ctx: 1_401, content: [use('t', 'Task', { subagent_type: 'Plan' })] }),
    asst({ id: 'g2', ctx: 5_600, sidechain: true, agentId: 'ag1' }),
    asst({ id: 'm2', ctx: 1_401, content: [use('m', 'mcp__db__query', { sql: 'select 1' })] }),
    results(['t', x(40)], ['m', x(60)]),
    asst({ id: 'm2', ctx: 1_401 }),
    JSON.stringify({ type: 'system', subtype: 'compact_boundary', compactMetadata: { postTokens: 300 } }),
    asst({ id: 'm3', ctx: 600, content: [use('w', 'Write', { content: x(80) })] }),
    results(['w', x(1)]),
    asst({ id: 'm4', ctx: 700 }),
    asst({ id: 'm4', ctx: 700, content: [use('e', 'Edit')] }),
  ];

  it('gives the same digest folded in two calls (through a JSON round trip, as the cache does) as in one', () => {
    const once = digest(lines);
    // sanity: the run exercises splits, chains, groups, compaction and a call still pending
    expect(once.tools.Read?.samples).toBe(1);
    expect(once.tools.Grep?.resultTokens).toBe(600);
    expect(once.unattributedResults).toBe(2); // Task and mcp results waiting at the compaction
    expect(once.pendingTools).toEqual({ e: ['Edit', null, 'main'] });
    expect(FileDigestSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
    for (let k = 0; k <= lines.length; k++) {
      const first = digestLines(emptyDigest(), lines.slice(0, k), new Map());
      const cached = FileDigestSchema.parse(JSON.parse(JSON.stringify(first))) as FileDigest;
      const both = digestLines(cached, lines.slice(k), indexEntries(cached));
      expect(both, `split at line ${k}`).toEqual(once);
    }
  });
});

describe('tool attribution: names from the transcript are plain keys', () => {
  it('tallies tools, subagent types and servers named like Object.prototype members as their own entries', () => {
    const d = digest([
      asst({ id: 'm1', ctx: 1_000, content: [use('a', 'constructor'), use('b', 'Task', { subagent_type: '__proto__' }), use('c', 'mcp__toString__x')] }),
    ]);
    expect(Object.keys(d.tools).sort()).toEqual(['Task', 'constructor', 'mcp__toString__x']);
    expect(d.tools.constructor).toEqual({ calls: 1, useTokens: 1, resultTokens: 0, samples: 0 });
    expect(Object.keys(d.agentTypes)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(d.agentTypes)).toBe(Object.prototype);
    expect(Object.keys(d.mcpServers)).toEqual(['toString']);
    expect(JSON.parse(JSON.stringify(d)).agentTypes).toEqual(JSON.parse('{"__proto__":{"calls":1,"useTokens":8,"resultTokens":0,"samples":0}}')); // {"subagent_type":"__proto__"}: 29 chars
  });
});
