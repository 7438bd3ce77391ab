// digestBytes (the reader's byte-level fold) must give exactly the digest digestLines gives on the
// decoded text: same lines counted, same lines parsed, same entries, tallies and ids; and a `usage` read
// (cco report) the same usage and line counts as an `all` read (hooks).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listTranscripts } from '../../src/claude/transcript-files.ts';
import { digestBytes, digestLines, emptyDigest, type DigestScope, type FileDigest } from '../../src/claude/transcript-digest.ts';
import { HAS_SHARED_FIXTURES, LOCAL_SOURCES, NEEDS_SHARED, SHARED_SOURCES } from '../helpers/fixture-sets.ts';

function viaText(buf: Buffer, scope: DigestScope = 'all'): FileDigest {
  const text = buf.toString('utf8');
  return digestLines(emptyDigest(), text.length === 0 ? [] : text.split('\n'), new Map(), undefined, scope);
}

function viaBytes(buf: Buffer, scope: DigestScope = 'all'): FileDigest {
  return digestBytes(emptyDigest(), buf, 0, buf.length, new Map(), undefined, scope);
}

/** What both scopes must agree on (see DigestScope). */
const usageFields = (d: FileDigest) => ({
  entries: d.entries,
  loose: d.loose,
  lines: d.lines,
  malformedLines: d.malformedLines,
  firstMs: d.firstMs,
  lastMs: d.lastMs,
});

const asst = (id: string, extra: Record<string, unknown> = {}, text = 'hi') =>
  JSON.stringify({
    type: 'assistant',
    sessionId: 'S1',
    cwd: '/p',
    requestId: `req_${id}`,
    timestamp: '2025-09-03T10:00:00.000Z',
    message: {
      id: `msg_${id}`,
      model: 'claude-x',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text },
        { type: 'tool_use', id: `tu_${id}`, name: 'Bash', input: { command: text } },
      ],
      usage: { input_tokens: 3, output_tokens: 7, cache_creation_input_tokens: 11, cache_read_input_tokens: 13 },
    },
    ...extra,
  });
const result = (id: string, content: string) =>
  JSON.stringify({ type: 'user', sessionId: 'S1', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `tu_${id}`, content }] } });

/** digestBytes on the whole file, on its `usage` scope, and folded in two pieces equals digestLines on its text. */
function sameDigests(f: string): void {
  const buf = readFileSync(f);
  const want = viaText(buf);
  expect(viaBytes(buf), f).toEqual(want);
  expect(usageFields(viaBytes(buf, 'usage')), f).toEqual(usageFields(want));
  // Folded at line boundaries in two calls, as the reader does across chunks.
  const cut = buf.indexOf(0x0a, buf.length >> 1);
  if (cut > 0) {
    const d = emptyDigest();
    const index = new Map<string, number>();
    digestBytes(d, buf, 0, cut, index);
    digestBytes(d, buf, cut + 1, buf.length, index);
    expect(d, f).toEqual(want);
  }
}

describe('digestBytes equals digestLines on the decoded text', () => {
  const cases: Array<[string, Buffer]> = [
    ['plain lines', Buffer.from([asst('a'), result('a', 'out'), asst('b')].join('\n') + '\n')],
    ['blank, white-space-only and CRLF lines', Buffer.from(['', '   ', '\t', asst('a') + '\r', '\r', result('a', 'x') + '  ', ''].join('\n'))],
    [
      'a BOM before the first record, NBSP and other Unicode spaces at line ends',
      Buffer.from(['\uFEFF' + asst('a'), asst('b') + '\u00a0', '\u2028' + asst('c'), '\u00a0\u3000', 'é{"type":"user"}', '{"type":"user"}é'].join('\n')),
    ],
    ['non-ASCII text inside records', Buffer.from([asst('a', {}, 'naïve café → 日本語 🚀'), result('a', '├── src\n│   └── x.ts 🚀')].join('\n'))],
    [
      'invalid UTF-8 bytes',
      Buffer.concat([
        Buffer.from(asst('a').slice(0, 60)),
        Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]),
        Buffer.from(asst('a').slice(60) + '\n'),
        Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xc3]),
        Buffer.from('}\n{"x":"\udc00"}\n'),
      ]),
    ],
    [
      'two objects on one line, malformed lines, lines that are no object',
      Buffer.from(
        [
          asst('a') + asst('b'),
          '{"type":"assistant","message":{"usage": garbage',
          'not json',
          '[1,2]',
          '{"cut":',
          '"usage"',
          asst('c') + ' {"type":"summary"}',
        ].join('\n'),
      ),
    ],
    [
      'ids noted from unparsed lines until both are known',
      Buffer.from(
        [
          JSON.stringify({ type: 'queue-operation', sessionId: 'Q' }),
          JSON.stringify({ type: 'x', cwd: '/first' }),
          JSON.stringify({ type: 'y', sessionId: 'R', cwd: '/second' }),
          asst('a'),
        ].join('\n'),
      ),
    ],
    [
      'long lines: patterns only in the middle, or straddling the head and tail windows',
      (() => {
        const pad = 'x'.repeat(5_000);
        const mid = JSON.stringify({ type: 'user', sessionId: 'S2', a: pad, b: '"usage"', c: pad });
        const edge1 = JSON.stringify({ type: 'user', a: 'y'.repeat(2_035), k: 'tool_result', z: pad });
        const edge2 = JSON.stringify({ type: 'user', z: pad, k: 'compact_boundary', a: 'y'.repeat(2_040) });
        const none = JSON.stringify({ type: 'attachment', a: pad, b: pad });
        return Buffer.from([mid, edge1, edge2, none, asst('a', {}, pad)].join('\n'));
      })(),
    ],
    [
      'long lines: "usage" starting 1 to 7 bytes before the tail window (straddling its edge)',
      (() => {
        const lines: string[] = [];
        for (const before of [1, 3, 6, 7]) {
          const rec = (b: string) =>
            JSON.stringify({
              type: 'assistant',
              a: 'y'.repeat(4_000),
              requestId: `r${before}`,
              message: {
                id: `m${before}`,
                model: 'claude-x',
                usage: { input_tokens: before, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
              },
              b,
            });
          const probe = rec('');
          // The padding that puts the match's first byte `before` bytes ahead of the last 1,024 (the window).
          const pad = 1_024 + before - (probe.length - probe.indexOf('"usage"'));
          const line = rec('z'.repeat(pad));
          expect(line.length - line.indexOf('"usage"')).toBe(1_024 + before);
          lines.push(line);
        }
        return Buffer.from(lines.join('\n') + '\n');
      })(),
    ],
    [
      'compaction and sidechain records',
      Buffer.from(
        [
          asst('a'),
          JSON.stringify({ type: 'system', subtype: 'compact_boundary', timestamp: '2025-09-03T11:00:00.000Z', compactMetadata: { postTokens: 900 } }),
          asst('b', { isSidechain: true, agentId: 'ag1' }),
        ].join('\n'),
      ),
    ],
  ];
  for (const [name, buf] of cases) {
    it(name, () => {
      expect(viaBytes(buf)).toEqual(viaText(buf));
      expect(viaBytes(buf, 'usage')).toEqual(viaText(buf, 'usage'));
      expect(usageFields(viaBytes(buf, 'usage'))).toEqual(usageFields(viaBytes(buf)));
    });
  }

  it('a `usage` read gives the usage, line counts and times of an `all` read and no tool or context state', () => {
    const buf = cases.find(([n]) => n === 'two objects on one line, malformed lines, lines that are no object')![1];
    const all = viaBytes(buf);
    const usage = viaBytes(buf, 'usage');
    expect(all.malformedLines).toBe(5); // the cut usage record, 'not json', '[1,2]', '{"cut":', '"usage"'
    expect(usageFields(usage)).toEqual(usageFields(all));
    expect(all.tools).not.toEqual({});
    expect(usage).toMatchObject({ tools: {}, pendingTools: {}, chains: {}, context: null, contextSeries: [] });
    // A tool result that does not parse holds no usage: not malformed in either scope.
    const cutResult = Buffer.from(result('a', 'out').slice(0, -3) + '}\n');
    expect([viaBytes(cutResult).malformedLines, viaBytes(cutResult, 'usage').malformedLines]).toEqual([0, 0]);
  });

  it("gives the same digests on every transcript of the repository's cases, also folded in pieces", () => {
    const files = listTranscripts(LOCAL_SOURCES);
    expect(files.length).toBe(14);
    for (const f of files) sameDigests(f);
  });
});

describe.skipIf(!HAS_SHARED_FIXTURES)(`digestBytes on the shared real transcripts: ${NEEDS_SHARED}`, () => {
  it('gives the same digests on every shared fixture transcript, also folded in pieces', () => {
    const files = listTranscripts(SHARED_SOURCES);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) sameDigests(f);
  });
});
