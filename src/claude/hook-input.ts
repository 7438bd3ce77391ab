import { z } from 'zod';

/**
 * The fields of a hook's stdin JSON that we use (reference §1.3). looseObject: Claude Code adds fields
 * over time and we must not reject them.
 */
export const HookInputSchema = z.looseObject({
  session_id: z.string().min(1),
  transcript_path: z.string().optional(),
  cwd: z.string().optional(),
  hook_event_name: z.string().optional(),
  /**
   * SessionStart's `startup|resume|clear|compact|fork`. A null or non-string value counts as absent (what
   * a missing one means is the reader's: `handoffTakeRule` and DUE_SOURCES take it as `startup`), so a
   * malformed `source` costs neither the hook's tracking nor its handoff; an unknown string stays as it
   * is (and takes nothing).
   */
  source: z.string().optional().catch(undefined),
  reason: z.string().optional(),
  model: z.union([z.string(), z.looseObject({ id: z.string().optional() })]).optional(),
  agent_type: z.string().optional(),
  tool_name: z.string().optional(),
});
export type HookInput = z.infer<typeof HookInputSchema>;

/** The model id a hook payload names, if any (`model` is a string in SessionStart). */
export function hookModel(input: HookInput): string | null {
  if (typeof input.model === 'string') return input.model;
  return input.model?.id ?? null;
}
