import type { QuotaNoticeData } from '../quota/alerts.ts';

/**
 * Something a hook shows: a line for the person, and maybe a note for the model. A quota notice also
 * carries what it is about (`quota`), so that the hook showing it composes it again with the newest
 * figure (src/front/notice-refresh.ts).
 */
export interface Notice {
  systemMessage: string;
  modelNote: string | null;
  quota?: QuotaNoticeData;
}

/**
 * Hook JSON output (reference §1.5) for the notices of one hook run (quota alert, context alert, ...):
 * their messages joined as one `systemMessage` for the person; for the model, their notes as
 * `hookSpecificOutput.additionalContext` on the events where that reaches the model without side effects
 * (SessionStart, PostToolUse). Stop gets the systemMessage only: its additionalContext would make the
 * model continue the turn. Pure; null when there is nothing to say.
 */
export function hookOutput(event: string, ...notices: readonly (Notice | null)[]): Record<string, unknown> | null {
  const shown = notices.filter((n): n is Notice => n !== null);
  if (shown.length === 0) return null;
  const out: Record<string, unknown> = { systemMessage: shown.map((n) => n.systemMessage).join('\n') };
  const notes = shown.map((n) => n.modelNote).filter((m): m is string => m !== null);
  if (notes.length > 0 && (event === 'SessionStart' || event === 'PostToolUse')) {
    out.hookSpecificOutput = { hookEventName: event, additionalContext: notes.join('\n\n') };
  }
  return out;
}
