import { z } from 'zod';

/** A session's tool calls by tool name: calls (measured) and tokens attributed (estimate). */
export const ToolStatSchema = z.looseObject({ calls: z.number(), tokens: z.number() });
export type ToolStat = z.infer<typeof ToolStatSchema>;
