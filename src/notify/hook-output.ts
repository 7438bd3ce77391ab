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
  /** Who was shown this notice already (src/front/outbox.ts): its other part still waits. */
  seenBy?: NoticeAudience;
}

/** Who a hook event shows notices to: the person (a systemMessage), the model (its note), or both. */
export type NoticeAudience = 'person' | 'model';

/**
 * Who a hook event's notices reach without side effects (reference §1.5, §1.6):
 * - PostToolUse runs `async` (Claude Code does not wait for it, issue 17): whatever it prints reaches
 *   the model in a later request, and the person is not shown it. So it takes the model's part only.
 * - Stop: the person only (its additionalContext would make the model go on).
 * - SessionStart, UserPromptSubmit: both.
 */
export function noticeAudiences(event: string): readonly NoticeAudience[] {
  if (event === 'PostToolUse') return ['model'];
  if (event === 'Stop') return ['person'];
  return ['person', 'model'];
}

/**
 * Hook JSON output (reference §1.5) for the notices of one hook run (quota alert, context alert, ...):
 * for the person, their messages joined as one `systemMessage`; for the model, their notes as
 * `hookSpecificOutput.additionalContext`, each only where `noticeAudiences(event)` says it reaches them,
 * and not again to whoever a notice's `seenBy` names. Pure; null when there is nothing to say.
 */
export function hookOutput(event: string, ...notices: readonly (Notice | null)[]): Record<string, unknown> | null {
  const to = noticeAudiences(event);
  const shown = notices.filter((n): n is Notice => n !== null);
  const messages = to.includes('person') ? shown.filter((n) => n.seenBy !== 'person').map((n) => n.systemMessage) : [];
  const notes = to.includes('model')
    ? shown
        .filter((n) => n.seenBy !== 'model')
        .map((n) => n.modelNote)
        .filter((m): m is string => m !== null)
    : [];
  if (messages.length === 0 && notes.length === 0) return null;
  const out: Record<string, unknown> = {};
  if (messages.length > 0) out.systemMessage = messages.join('\n');
  if (notes.length > 0) out.hookSpecificOutput = { hookEventName: event, additionalContext: notes.join('\n\n') };
  return out;
}
