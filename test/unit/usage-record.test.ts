import { describe, expect, it } from 'vitest';
import { readUsageRecord, usageOf } from '../../src/usage/usage-record.ts';

const usage = { input_tokens: 3, output_tokens: 50, cache_creation_input_tokens: 700, cache_read_input_tokens: 9000 };

function assistant(extra: Record<string, unknown> = {}, message: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'assistant',
    sessionId: 'sess-A',
    requestId: 'req_1',
    timestamp: '2025-09-03T10:20:30.500Z',
    message: { id: 'msg_1', model: 'claude-sonnet-4-5', usage, ...message },
    ...extra,
  };
}

describe('usageOf: assistant records', () => {
  it('reads an assistant record with usage', () => {
    expect(usageOf(assistant())).toEqual({
      key: 'msg_1:req_1',
      sessionId: 'sess-A',
      timeMs: Date.UTC(2025, 8, 3, 10, 20, 30, 500),
      model: 'claude-sonnet-4-5',
      tokens: { input_tokens: 3, output_tokens: 50, cache_creation_input_tokens: 700, cache_read_input_tokens: 9000 },
    });
  });

  it('keys by message.id alone without requestId', () => {
    const r = assistant();
    delete r.requestId;
    expect(usageOf(r)?.key).toBe('msg_1');
  });

  it('treats an empty requestId as absent', () => {
    expect(usageOf(assistant({ requestId: '' }))?.key).toBe('msg_1');
  });

  it('gives key null without message.id (and with an empty or non-string id)', () => {
    const r = assistant();
    delete (r.message as Record<string, unknown>).id;
    expect(usageOf(r)?.key).toBeNull();
    expect(usageOf(assistant({}, { id: '' }))?.key).toBeNull();
    expect(usageOf(assistant({}, { id: 42 }))?.key).toBeNull();
    // still a usage record: it counts
    expect(usageOf(r)?.tokens.output_tokens).toBe(50);
  });

  it('returns model "" when message.model is absent', () => {
    expect(usageOf(assistant({}, { model: undefined }))?.model).toBe('');
  });

  it('returns sessionId null when absent', () => {
    const r = assistant();
    delete r.sessionId;
    expect(usageOf(r)?.sessionId).toBeNull();
  });

  it('treats missing usage fields as 0', () => {
    const r = usageOf(assistant({}, { usage: { output_tokens: 7 } }));
    expect(r?.tokens).toEqual({ input_tokens: 0, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('refuses a record with a count that is not a non-negative safe integer: malformed, none of its tokens counted', () => {
    for (const bad of [12.9, '34', -5, null, { n: 1 }, [1], true, 1e20, 2 ** 53, 1e308]) {
      const rec = assistant({}, { usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: bad } });
      expect(usageOf(rec)).toBeNull();
      expect(readUsageRecord(rec)).toEqual({ malformed: expect.stringContaining('usage.cache_read_input_tokens') });
    }
    const top = usageOf(assistant({}, { usage: { input_tokens: Number.MAX_SAFE_INTEGER } }));
    expect(top?.tokens.input_tokens).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('usageOf: timestamps', () => {
  it('parses an ISO timestamp with offset', () => {
    expect(usageOf(assistant({ timestamp: '2025-09-03T12:00:00+02:00' }))?.timeMs).toBe(Date.UTC(2025, 8, 3, 10, 0, 0));
  });

  it('gives timeMs null for a missing timestamp', () => {
    const r = assistant();
    delete r.timestamp;
    expect(usageOf(r)?.timeMs).toBeNull();
    expect(usageOf(r)?.tokens.output_tokens).toBe(50);
  });

  it('refuses an unparseable timestamp, or one outside 2000-2200, as malformed', () => {
    for (const ts of ['yesterday-ish', 1_700_000_000_000, '+058903-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2200-01-01T00:00:00.001Z']) {
      expect(usageOf(assistant({ timestamp: ts }))).toBeNull();
      expect(readUsageRecord(assistant({ timestamp: ts }))).toEqual({ malformed: expect.stringContaining('timestamp') });
    }
    expect(usageOf(assistant({ timestamp: '2200-01-01T00:00:00Z' }))?.timeMs).toBe(Date.UTC(2200, 0, 1));
  });
});

describe('usageOf: progress records (embedded subagent turns)', () => {
  const inner = {
    type: 'assistant',
    requestId: 'req_sub',
    sessionId: 'sess-inner',
    timestamp: '2025-09-03T11:00:00.000Z',
    message: { id: 'msg_sub', model: 'claude-haiku-4-5', usage: { input_tokens: 10, output_tokens: 20 } },
  };

  it('reads data.message when it is an assistant record with usage', () => {
    const r = usageOf({ type: 'progress', sessionId: 'sess-outer', timestamp: '2025-09-03T11:00:05.000Z', data: { message: inner } });
    expect(r).toEqual({
      key: 'msg_sub:req_sub',
      sessionId: 'sess-outer',
      timeMs: Date.UTC(2025, 8, 3, 11, 0, 0),
      model: 'claude-haiku-4-5',
      tokens: { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('takes sessionId from the outer record first, else from the embedded one', () => {
    expect(usageOf({ type: 'progress', data: { message: inner } })?.sessionId).toBe('sess-inner');
  });

  it('falls back to the outer timestamp when the embedded one is absent', () => {
    const { timestamp: _t, ...noTs } = inner;
    const r = usageOf({ type: 'progress', timestamp: '2025-09-03T11:00:05.000Z', data: { message: noTs } });
    expect(r?.timeMs).toBe(Date.UTC(2025, 8, 3, 11, 0, 5));
  });

  it('uses the embedded requestId, not an outer one', () => {
    const { requestId: _r, ...noReq } = inner;
    expect(usageOf({ type: 'progress', requestId: 'req_outer', data: { message: noReq } })?.key).toBe('msg_sub');
  });

  it('ignores progress records whose data.message is not an assistant record with usage', () => {
    expect(usageOf({ type: 'progress', data: { message: { ...inner, type: 'user' } } })).toBeNull();
    expect(usageOf({ type: 'progress', data: { message: { ...inner, message: { id: 'm' } } } })).toBeNull();
    expect(usageOf({ type: 'progress', data: { type: 'hook_progress' } })).toBeNull();
    expect(usageOf({ type: 'progress', data: 'text' })).toBeNull();
    expect(usageOf({ type: 'progress' })).toBeNull();
  });
});

describe('usageOf: non-usage records', () => {
  it('returns null for anything that is not a usage record', () => {
    expect(usageOf(null)).toBeNull();
    expect(usageOf(undefined)).toBeNull();
    expect(usageOf('assistant')).toBeNull();
    expect(usageOf(12)).toBeNull();
    expect(usageOf([assistant()])).toBeNull();
    expect(usageOf({ type: 'user', message: { id: 'm', usage } })).toBeNull();
    expect(usageOf({ type: 'system', subtype: 'compact_boundary' })).toBeNull();
    expect(usageOf({ type: 'summary', summary: 'x' })).toBeNull();
    expect(usageOf({ type: 'assistant' })).toBeNull();
    expect(usageOf({ type: 'assistant', message: 'text' })).toBeNull();
    expect(usageOf({ type: 'assistant', message: { id: 'm' } })).toBeNull();
    expect(usageOf({ type: 'assistant', message: { id: 'm', usage: [1, 2] } })).toBeNull();
    expect(usageOf({ type: 'assistant', message: { id: 'm', usage: null } })).toBeNull();
  });

  it('accepts an empty usage object as a zero-token record', () => {
    expect(usageOf({ type: 'assistant', message: { id: 'm', usage: {} } })?.tokens).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });
});
