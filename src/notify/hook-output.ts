import type { Delivery } from '../quota/alerts.ts';

/**
 * Hook JSON output (reference §1.5) for a delivery: `systemMessage` for the person; for the model,
 * `hookSpecificOutput.additionalContext` on the events where it reaches the model without side effects
 * (SessionStart, PostToolUse). Stop gets the systemMessage only: its additionalContext would make the
 * model continue the turn. Pure; null when there is nothing to say.
 */
export function hookOutput(event: string, d: Delivery | null): Record<string, unknown> | null {
  if (d === null) return null;
  const out: Record<string, unknown> = { systemMessage: d.systemMessage };
  if (d.modelNote !== null && (event === 'SessionStart' || event === 'PostToolUse')) {
    out.hookSpecificOutput = { hookEventName: event, additionalContext: d.modelNote };
  }
  return out;
}
