import type { TakeResult } from '../handoff/handoff-store.ts';
import { displayText } from '../render/display-text.ts';
import { fmtInt, fmtTime } from '../render/format.ts';
import type { HookOutput } from './run-hook.ts';

/** Most characters of a handoff injected as additionalContext; a longer (hand-edited) file is cut. */
export const MAX_INJECT_CHARS = 9_500;

/**
 * SessionStart output for a pending-handoff take: for `injected`, a systemMessage for the person
 * (`cco: resumed from handoff <path> (<reason>, <time>)`, noting an edit or a cut) and the handoff as
 * additionalContext, after one line telling the model what it is; for a deleted or emptied file (or an
 * index entry naming no handoff file of ours), a systemMessage saying nothing was injected; otherwise null. Pure.
 */
export function handoffOutput(t: TakeResult): HookOutput {
  if (t.kind === 'none' || t.kind === 'not-mine') return null;
  const e = t.entry;
  const when = fmtTime(Date.parse(e.createdAt));
  if (t.kind === 'missing')
    return {
      systemMessage: `cco: the pending handoff ${displayText(e.file, 4_096)} ${t.why === null ? 'was deleted' : `is no handoff file (${t.why})`}; nothing injected`,
    };
  if (t.kind === 'empty') return { systemMessage: `cco: the pending handoff ${e.file} is empty; nothing injected` };
  const cut = t.text.length > MAX_INJECT_CHARS;
  const body = cut ? `${t.text.slice(0, MAX_INJECT_CHARS)}\n…\n(cut at ${fmtInt(MAX_INJECT_CHARS)} characters; the whole handoff is in ${e.file})\n` : t.text;
  const notes = [e.reason, when, ...(t.edited ? ['edited since it was saved'] : []), ...(cut ? [`cut to ${fmtInt(MAX_INJECT_CHARS)} characters`] : [])];
  const intro = `This is a handoff from an earlier Claude Code session in this project (session ${e.sessionId}, saved ${when}, ${e.reason}; file ${e.file}${t.edited ? '; edited by the user since' : ''}). Continue that work from it.`;
  return {
    systemMessage: `cco: resumed from handoff ${e.file} (${notes.join(', ')})`,
    hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: `${intro}\n\n${body}` },
  };
}

/**
 * Merges two hook outputs of one event: systemMessages joined by a newline, additionalContexts by a
 * blank line, other top-level fields from `b` over `a`. Null when both are null. Pure.
 */
export function mergeHookOutputs(event: string, a: HookOutput, b: HookOutput): HookOutput {
  if (a === null) return b;
  if (b === null) return a;
  const out: Record<string, unknown> = { ...a, ...b };
  const sm = [a.systemMessage, b.systemMessage].filter((x): x is string => typeof x === 'string' && x !== '');
  if (sm.length > 0) out.systemMessage = sm.join('\n');
  const ctx = [contextOf(a), contextOf(b)].filter((x): x is string => x !== null && x !== '');
  const hso = { ...specific(a), ...specific(b) };
  if (ctx.length > 0) hso.additionalContext = ctx.join('\n\n');
  if (Object.keys(hso).length > 0) out.hookSpecificOutput = { ...hso, hookEventName: event };
  else delete out.hookSpecificOutput;
  return out;
}

function specific(o: Record<string, unknown>): Record<string, unknown> {
  const h = o.hookSpecificOutput;
  return typeof h === 'object' && h !== null && !Array.isArray(h) ? { ...(h as Record<string, unknown>) } : {};
}

function contextOf(o: Record<string, unknown>): string | null {
  const c = specific(o).additionalContext;
  return typeof c === 'string' ? c : null;
}
