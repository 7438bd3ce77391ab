import type { TranscriptRecord } from '../../src/claude/transcript-records.ts';

/** Builders of transcript records for the context analysis tests. Sizes are easy to count by hand. */

type Rec = Record<string, unknown>;

/** A user prompt record (string content). */
export const prompt = (text: string, extra: Rec = {}): Rec => ({ type: 'user', message: { role: 'user', content: text }, ...extra });

/** An assistant record with `blocks`; `ctx` (context tokens) makes it a usage record: input 1, cache creation 9, cache read ctx - 10. */
export function asst(blocks: unknown[], ctx?: number, extra: Rec = {}): Rec {
  const usage = ctx === undefined ? undefined : { input_tokens: 1, output_tokens: 50, cache_creation_input_tokens: 9, cache_read_input_tokens: ctx - 10 };
  return {
    type: 'assistant',
    requestId: `req_${Math.random()}`,
    message: { id: `msg_${Math.random()}`, role: 'assistant', model: 'claude-opus-4-5', content: blocks, ...(usage ? { usage } : {}) },
    ...extra,
  };
}

export const text = (t: string) => ({ type: 'text', text: t });
export const thinking = (t: string) => ({ type: 'thinking', thinking: t, signature: 'sig' });
export const use = (id: string, name: string, input: unknown = {}) => ({ type: 'tool_use', id, name, input });

/** A user record carrying one tool_result. */
export const result = (id: string, content: unknown, extra: Rec = {}, block: Rec = {}): Rec => ({
  type: 'user',
  message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content, ...block }] },
  ...extra,
});

export const boundary = (preTokens: number, postTokens?: number): Rec => ({
  type: 'system',
  subtype: 'compact_boundary',
  parentUuid: null,
  compactMetadata: { trigger: 'manual', preTokens, ...(postTokens === undefined ? {} : { postTokens }) },
});

export const summary = (t: string): Rec => ({ type: 'user', isCompactSummary: true, isVisibleInTranscriptOnly: true, message: { role: 'user', content: t } });

/** Records with line = index. */
export function recs(list: Rec[]): TranscriptRecord[] {
  return list.map((rec, line) => ({ line, rec }));
}

/** `n` characters of `c`. */
export const chars = (n: number, c = 'x') => c.repeat(n);
