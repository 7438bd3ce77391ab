import { describe, expect, it } from 'vitest';
import { digestLines, emptyDigest, fromTuple, indexEntries, toTuple, tupleTotal, type FileDigest } from '../../src/claude/transcript-digest.ts';
import type { UsageEntry } from '../../src/usage/usage-record.ts';

const T0 = Date.UTC(2025, 8, 3, 10, 0, 0); // 2025-09-03T10:00:00Z
const iso = (ms: number) => new Date(ms).toISOString();

interface AsstOpts {
  id?: string | null;
  req?: string | null;
  at?: number;
  sid?: string;
  model?: string;
  usage?: Record<string, number>;
  content?: unknown[];
  sidechain?: boolean;
  cwd?: string;
}

function asst(o: AsstOpts = {}): string {
  const message: Record<string, unknown> = {
    role: 'assistant',
    model: o.model ?? 'claude-sonnet-4-5',
    usage: o.usage ?? { input_tokens: 1, output_tokens: 1 },
    content: o.content ?? [{ type: 'text', text: 'hi' }],
  };
  if (o.id !== null) message.id = o.id ?? 'msg_1';
  const rec: Record<string, unknown> = { type: 'assistant', sessionId: o.sid ?? 'S', timestamp: iso(o.at ?? T0), message };
  if (o.req !== null) rec.requestId = o.req ?? 'req_1';
  if (o.sidechain !== undefined) rec.isSidechain = o.sidechain;
  if (o.cwd !== undefined) rec.cwd = o.cwd;
  return JSON.stringify(rec);
}

function user(content: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'user', sessionId: 'S', timestamp: iso(T0), message: { role: 'user', content }, ...extra });
}

function digest(lines: string[], changes?: UsageEntry[]): FileDigest {
  return digestLines(emptyDigest(), lines, new Map(), changes);
}

describe('tuples', () => {
  it('toTuple / fromTuple round-trip and tupleTotal sums the four counts', () => {
    const e: UsageEntry = {
      key: 'k',
      sessionId: 's',
      timeMs: 5,
      model: 'm',
      tokens: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 },
    };
    const t = toTuple(e);
    expect(t).toEqual(['k', 's', 5, 'm', 1, 2, 3, 4]);
    expect(fromTuple(t)).toEqual(e);
    expect(tupleTotal(t)).toBe(10);
  });
});

describe('digestLines: usage and streamed duplicates', () => {
  it('counts four streamed copies of one message once, as the largest, first on a tie', () => {
    const lines = [
      asst({ at: T0 + 1, usage: { input_tokens: 10, output_tokens: 1 } }), // total 11
      asst({ at: T0 + 2, usage: { input_tokens: 10, output_tokens: 40 } }), // total 50 (grows)
      asst({ at: T0 + 3, usage: { input_tokens: 30, output_tokens: 20 } }), // total 50 (tie: keep previous)
      asst({ at: T0 + 4, usage: { input_tokens: 10, output_tokens: 5 } }), // total 15 (smaller)
    ];
    const changes: UsageEntry[] = [];
    const d = digest(lines, changes);
    expect(d.entries).toEqual([['msg_1:req_1', 'S', T0 + 2, 'claude-sonnet-4-5', 10, 40, 0, 0]]);
    expect(d.loose).toEqual([]);
    // changes: the first copy (added) and the second (grown) only
    expect(changes.map((c) => [c.timeMs, c.tokens.output_tokens])).toEqual([
      [T0 + 1, 1],
      [T0 + 2, 40],
    ]);
    expect(d.lines).toBe(4);
    expect(d.firstMs).toBe(T0 + 1);
    expect(d.lastMs).toBe(T0 + 4);
  });

  it('keeps distinct keys apart: same message.id with another requestId, and id-only keys', () => {
    const d = digest([
      asst({ id: 'm', req: 'r1' }),
      asst({ id: 'm', req: 'r2' }),
      asst({ id: 'm', req: null }),
      asst({ id: 'm', req: null, usage: { input_tokens: 9 } }),
    ]);
    expect(d.entries.map((e) => e[0])).toEqual(['m:r1', 'm:r2', 'm']);
    expect(d.entries[2]![4]).toBe(9);
  });

  it('counts every entry without message.id (loose), even identical ones', () => {
    const changes: UsageEntry[] = [];
    const line = asst({ id: null, usage: { input_tokens: 5, output_tokens: 6 } });
    const d = digest([line, line], changes);
    expect(d.entries).toEqual([]);
    expect(d.loose).toEqual([
      [null, 'S', T0, 'claude-sonnet-4-5', 5, 6, 0, 0],
      [null, 'S', T0, 'claude-sonnet-4-5', 5, 6, 0, 0],
    ]);
    expect(changes).toHaveLength(2);
  });

  it('reads usage from progress records (embedded subagent turns)', () => {
    const inner = JSON.parse(asst({ id: 'sub', req: 'rs', sid: 'inner', usage: { output_tokens: 77 } })) as Record<string, unknown>;
    const line = JSON.stringify({ type: 'progress', sessionId: 'outer', timestamp: iso(T0), data: { message: inner } });
    const d = digest([line]);
    expect(d.entries).toEqual([['sub:rs', 'outer', T0, 'claude-sonnet-4-5', 0, 77, 0, 0]]);
    // an embedded turn is not the main chain: it sets no context and no model
    expect(d.context).toBeNull();
    expect(d.model).toBeNull();
  });

  it('splits several records on one line', () => {
    const d = digest([asst({ id: 'a' }) + asst({ id: 'b' }) + ' ' + asst({ id: 'c' })]);
    expect(d.entries.map((e) => e[0])).toEqual(['a:req_1', 'b:req_1', 'c:req_1']);
    expect(d.lines).toBe(1);
    expect(d.malformedLines).toBe(0);
  });

  it('continues across calls with the same index: a later grown copy replaces, a smaller does not', () => {
    const d = emptyDigest();
    const index = new Map<string, number>();
    digestLines(d, [asst({ id: 'a', usage: { output_tokens: 5 } }), asst({ id: 'b', usage: { output_tokens: 5 } })], index);
    const changes: UsageEntry[] = [];
    digestLines(d, [asst({ id: 'b', usage: { output_tokens: 9 } }), asst({ id: 'a', usage: { output_tokens: 2 } })], index, changes);
    expect(d.entries.map((e) => [e[0], e[5]])).toEqual([
      ['a:req_1', 5],
      ['b:req_1', 9],
    ]);
    expect(changes.map((c) => c.key)).toEqual(['b:req_1']);
  });

  it('indexEntries rebuilds the map of a digest loaded from the cache (JSON round trip)', () => {
    const d0 = digest([asst({ id: 'a', usage: { output_tokens: 5 } }), asst({ id: 'b', usage: { output_tokens: 5 } })]);
    const d = JSON.parse(JSON.stringify(d0)) as FileDigest;
    const index = indexEntries(d);
    expect([...index.entries()]).toEqual([
      ['a:req_1', 0],
      ['b:req_1', 1],
    ]);
    digestLines(d, [asst({ id: 'a', usage: { output_tokens: 8 } })], index);
    expect(d.entries.map((e) => [e[0], e[5]])).toEqual([
      ['a:req_1', 8],
      ['b:req_1', 5],
    ]);
  });
});

describe('digestLines: tools', () => {
  const useA = { type: 'tool_use', id: 'tu_1', name: 'Read', input: { file_path: '/a.ts' } };
  const useB = { type: 'tool_use', id: 'tu_2', name: 'Bash', input: { command: 'ls' } };
  const useC = { type: 'tool_use', id: 'tu_3', name: 'Read', input: { file_path: '/bb.ts' } };

  it('tallies calls and tool_use tokens (ceil(input chars / 4), uncapped without a final stop_reason)', () => {
    // {"file_path":"/a.ts"} is 21 chars -> 6; {"file_path":"/bb.ts"} 22 -> 6; {"command":"ls"} 16 -> 4
    expect([JSON.stringify(useA.input).length, JSON.stringify(useC.input).length, JSON.stringify(useB.input).length]).toEqual([21, 22, 16]);
    const d = digest([asst({ content: [{ type: 'text', text: 'x' }, useA, useB] }), asst({ id: 'm2', content: [useC] })]);
    expect(d.tools).toEqual({
      Read: { calls: 2, useTokens: 12, resultTokens: 0, samples: 0 },
      Bash: { calls: 1, useTokens: 4, resultTokens: 0, samples: 0 },
    });
    expect(d.pendingTools).toEqual({ tu_1: ['Read', null, 'main'], tu_2: ['Bash', null, 'main'], tu_3: ['Read', null, 'main'] });
  });

  it('does not count a tool_use again when a streamed copy repeats it while pending', () => {
    const d = digest([asst({ content: [useA] }), asst({ content: [useA], usage: { output_tokens: 30 } })]);
    expect(d.tools.Read?.calls).toBe(1);
    expect(d.tools.Read?.useTokens).toBe(6);
  });

  it('queues results with their characters (string and array contents, images as 6,000) until the next request', () => {
    const d = digest([
      asst({ content: [useA, useB, useC] }),
      user([{ type: 'tool_result', tool_use_id: 'tu_1', content: 'abcdef' }]),
      user([
        {
          type: 'tool_result',
          tool_use_id: 'tu_2',
          content: [
            { type: 'text', text: 'line1' },
            { type: 'text', text: 'line22' },
          ],
        },
      ]),
      user([
        {
          type: 'tool_result',
          tool_use_id: 'tu_3',
          content: [
            { type: 'image', source: {} },
            { type: 'text', text: 'ok' },
          ],
        },
      ]),
    ]);
    expect(d.chains.main?.awaiting).toEqual([
      ['Read', null, 6],
      ['Bash', null, 5 + 6],
      ['Read', null, 6_000 + 2],
    ]);
    expect(d.pendingTools).toEqual({});
    expect(d.tools.Read?.samples).toBe(0);
  });

  it('counts results of unknown tool_use ids and results seen twice as unmatched', () => {
    const d = digest([
      asst({ content: [useA] }),
      user([{ type: 'tool_result', tool_use_id: 'tu_1', content: 'abc' }]),
      user([{ type: 'tool_result', tool_use_id: 'tu_1', content: 'abcdefgh' }]),
      user([{ type: 'tool_result', tool_use_id: 'nope', content: 'zzzz' }]),
    ]);
    expect(d.chains.main?.awaiting).toEqual([['Read', null, 3]]);
    expect(d.unmatchedResults).toBe(2);
  });

  it('counts a tool_use with no input as "{}" (1 token) and a result with no content as 0 characters', () => {
    const d = digest([asst({ content: [{ type: 'tool_use', id: 't', name: 'Noop' }] }), user([{ type: 'tool_result', tool_use_id: 't' }])]);
    expect(d.tools.Noop).toEqual({ calls: 1, useTokens: 1, resultTokens: 0, samples: 0 });
    expect(d.chains.main?.awaiting).toEqual([['Noop', null, 0]]);
  });

  it('skips malformed tool_use blocks (no id or no name)', () => {
    const d = digest([
      asst({
        content: [
          { type: 'tool_use', name: 'X', input: {} },
          { type: 'tool_use', id: 'y', input: {} },
        ],
      }),
    ]);
    expect(d.tools).toEqual({});
  });
});

describe('digestLines: context, model, ids', () => {
  it('sets context from the last main-chain response: input + cache creation + cache read', () => {
    const d = digest([
      asst({ id: 'a', at: T0, usage: { input_tokens: 1, output_tokens: 9, cache_creation_input_tokens: 10, cache_read_input_tokens: 100 } }),
      asst({ id: 'b', at: T0 + 60_000, usage: { input_tokens: 2, output_tokens: 500, cache_creation_input_tokens: 20, cache_read_input_tokens: 200 } }),
    ]);
    expect(d.context).toEqual({ tokens: 222, timeMs: T0 + 60_000, source: 'usage' });
    expect(d.model).toBe('claude-sonnet-4-5');
  });

  it('the model is the one Claude Code sized the window for: requestedModel (with [1m]) over message.model', () => {
    const line = (id: string, requested: string | null, at: number) => {
      const rec = JSON.parse(asst({ id, model: 'claude-sonnet-4-6', at, usage: { input_tokens: 5 } })) as Record<string, unknown>;
      if (requested !== null) rec.requestedModel = requested;
      return JSON.stringify(rec);
    };
    expect(digest([line('a', 'claude-sonnet-4-6[1m]', T0)]).model).toBe('claude-sonnet-4-6[1m]');
    // a later response without requestedModel (an older CLI) goes by message.model
    expect(digest([line('a', 'claude-sonnet-4-6[1m]', T0), line('b', null, T0 + 1)]).model).toBe('claude-sonnet-4-6');
    // the usage entries keep the API's model id
    expect(digest([line('a', 'claude-sonnet-4-6[1m]', T0)]).entries[0]![3]).toBe('claude-sonnet-4-6');
  });

  it('a requestedModel alias (`sonnet[1m]`, `opus`, `default`) the table does not know: message.model, keeping the [1m]', () => {
    const line = (requested: string, apiModel: string) => {
      const rec = JSON.parse(asst({ id: 'a', model: apiModel, at: T0, usage: { input_tokens: 5 } })) as Record<string, unknown>;
      rec.requestedModel = requested;
      return JSON.stringify(rec);
    };
    expect(digest([line('sonnet[1m]', 'claude-sonnet-4-6')]).model).toBe('claude-sonnet-4-6[1m]');
    expect(digest([line('opus', 'claude-opus-4-6')]).model).toBe('claude-opus-4-6');
    expect(digest([line('default', 'claude-opus-5-5')]).model).toBe('claude-opus-5-5');
    // neither known: named by what was asked for (the report then says "window unknown for ...")
    expect(digest([line('my-gateway-alias', 'gw-model-x')]).model).toBe('my-gateway-alias');
  });

  it('sidechain records count their usage but do not set context or model', () => {
    const d = digest([
      asst({ id: 'a', usage: { input_tokens: 1000 }, model: 'claude-opus-4-1' }),
      asst({ id: 'b', usage: { input_tokens: 5 }, sidechain: true, model: 'claude-haiku-4-5', at: T0 + 1000 }),
    ]);
    expect(d.context).toEqual({ tokens: 1000, timeMs: T0, source: 'usage' });
    expect(d.model).toBe('claude-opus-4-1');
    expect(d.entries).toHaveLength(2);
  });

  it('ignores a <synthetic> error response (zero usage) for the model and the context', () => {
    const first = digest([asst({ id: 'a', model: 'claude-opus-4-1' })]).context;
    const d = digest([asst({ id: 'a', model: 'claude-opus-4-1' }), asst({ id: 'b', model: '<synthetic>', usage: { input_tokens: 0 }, at: T0 + 5 })]);
    expect(d.model).toBe('claude-opus-4-1');
    expect(first).not.toBeNull();
    expect(first!.tokens).toBeGreaterThan(0);
    expect(d.context).toEqual(first);
  });

  it('a compact_boundary with postTokens sets context with source compaction', () => {
    const boundary = JSON.stringify({
      type: 'system',
      subtype: 'compact_boundary',
      sessionId: 'S',
      timestamp: iso(T0 + 120_000),
      compactMetadata: { trigger: 'auto', preTokens: 167_000, postTokens: 12_345 },
    });
    const d = digest([asst({ usage: { input_tokens: 167_000 } }), boundary]);
    expect(d.context).toEqual({ tokens: 12_345, timeMs: T0 + 120_000, source: 'compaction' });
  });

  it('a compact_boundary without postTokens leaves context alone; a later response replaces a compaction reading', () => {
    const noPost = JSON.stringify({ type: 'system', subtype: 'compact_boundary', compactMetadata: { preTokens: 5 }, timestamp: iso(T0) });
    const withPost = JSON.stringify({ type: 'system', subtype: 'compact_boundary', compactMetadata: { postTokens: 40 } });
    let d = digest([asst({ usage: { input_tokens: 70 } }), noPost]);
    expect(d.context).toEqual({ tokens: 70, timeMs: T0, source: 'usage' });
    d = digest([withPost]);
    expect(d.context).toEqual({ tokens: 40, timeMs: null, source: 'compaction' });
    d = digest([withPost, asst({ id: 'z', usage: { input_tokens: 41 } })]);
    expect(d.context?.source).toBe('usage');
    expect(d.context?.tokens).toBe(41);
  });

  it('lines without any interesting marker still set sessionId and cwd (first cwd kept)', () => {
    const d = digest([
      JSON.stringify({ type: 'summary', summary: 'x' }),
      JSON.stringify({ type: 'user', sessionId: 'sess-1', cwd: '/proj/a', message: { role: 'user', content: 'hello' } }),
      JSON.stringify({ type: 'user', sessionId: 'sess-1', cwd: '/proj/b', message: { role: 'user', content: 'again' } }),
    ]);
    expect(d.sessionId).toBe('sess-1');
    expect(d.cwd).toBe('/proj/a');
    expect(d.lines).toBe(3);
    expect(d.entries).toEqual([]);
  });

  it('takes the last sessionId from usage records', () => {
    const d = digest([asst({ id: 'a', sid: 'old', cwd: '/w' }), asst({ id: 'b', sid: 'new' })]);
    expect(d.sessionId).toBe('new');
    expect(d.cwd).toBe('/w');
  });
});

describe('digestLines: line accounting', () => {
  it('skips blank lines without counting them', () => {
    const d = digest(['', '   ', '\t', asst()]);
    expect(d.lines).toBe(1);
  });

  it('counts a line with an interesting marker that is not wholly JSON as malformed, keeping its leading records', () => {
    const d = digest([asst({ id: 'a' }) + '{"type":"assistant","message":{"usage":', 'garbage "usage" garbage', asst({ id: 'b' })]);
    expect(d.malformedLines).toBe(2);
    expect(d.lines).toBe(3);
    expect(d.entries.map((e) => e[0])).toEqual(['a:req_1', 'b:req_1']);
  });

  it('returns the same digest object it was given', () => {
    const d = emptyDigest();
    expect(digestLines(d, [asst()], new Map())).toBe(d);
  });
});

describe('digestLines: lines that are not parsed', () => {
  it('counts a line that cannot be one JSON object as malformed without parsing it, and ignores well-formed unknown records', () => {
    const d = emptyDigest();
    digestLines(d, ['this is not json', '{"type":"future-kind","x":1}', '{"type":"user","message":{"content":"cut off', '   '], new Map());
    expect(d.lines).toBe(3);
    expect(d.malformedLines).toBe(2);
    expect(d.entries).toEqual([]);
  });
});
