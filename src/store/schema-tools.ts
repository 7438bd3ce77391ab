import { z } from 'zod';

/**
 * A session's tool calls by tool name (or subagent type, or MCP server). `calls` is measured; `tokens`
 * (estimate) is `useTokens + resultTokens`: the calls' own tool_use tokens (input characters / 4) plus
 * their results' share of the next request's context growth, known for `samples` of the calls (see
 * src/claude/transcript-digest.ts). The three detail fields are absent in records written before they
 * existed (then `tokens` was input + result characters / 4).
 */
export const ToolStatSchema = z.looseObject({
  calls: z.number(),
  tokens: z.number(),
  useTokens: z.number().optional(),
  resultTokens: z.number().optional(),
  samples: z.number().optional(),
});
