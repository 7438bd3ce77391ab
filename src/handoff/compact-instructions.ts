import type { HandoffFacts } from './handoff-facts.ts';
import { clip } from '../util/clip.ts';

/** The first line of our PreCompact keep-list (tests and the e2e look for it). */
export const KEEP_LIST_TITLE = 'claude-code-optimizer keep-list: the summary must preserve the following.';

/** Claude Code caps PreCompact stdout at 10,000 characters (reference §1.4); we stay well under. */
export const MAX_KEEP_LIST_CHARS = 3_000;

/**
 * The keep-list the PreCompact hook prints (plain stdout, appended by Claude Code to the compaction
 * instructions under "Additional Instructions:"): the objective and latest request, files in progress
 * (changed before read-only ones, at most 12) with the last change (else the last call) on each, open todos,
 * the last decisions, and where the full snapshot was saved. '' when the facts hold nothing worth
 * keeping (no request, file, todo or decision). At most `MAX_KEEP_LIST_CHARS` characters. Pure.
 */
export function preCompactInstructions(f: HandoffFacts, savedTo: string | null = null): string {
  const lines: string[] = [];
  const latest = f.recentRequests.at(-1) ?? null;
  if (f.firstRequest !== null) lines.push(`- The session's objective (first request): ${clip(f.firstRequest, 300)}`);
  if (latest !== null && latest !== f.firstRequest) lines.push(`- The latest request: ${clip(latest, 300)}`);
  const changed = f.files.filter((x) => x.modified);
  const read = f.files.filter((x) => !x.modified);
  const files = [...changed, ...read].slice(0, 12);
  // A changed file whose last call failed is still changed: say the later call failed, not the change.
  const state = (x: HandoffFacts['files'][number]) => (x.lastFailed ? (x.modified ? ', a later call failed' : ', failed') : '');
  if (files.length > 0)
    lines.push(
      `- Files in progress, with the last change (else the last call) on each: ${files.map((x) => `${x.path} (${x.lastAction}${state(x)})`).join('; ')}`,
    );
  if (f.openTodos !== null && f.openTodos.length > 0) {
    lines.push(
      `- Open todos, with their status: ${f.openTodos
        .slice(0, 12)
        .map((t) => `[${t.status}] ${clip(t.content, 120)}`)
        .join('; ')}`,
    );
  }
  if (f.decisions.length > 0) lines.push(`- Decisions and findings so far: ${f.decisions.map((d) => `"${clip(d, 200)}"`).join(' ')}`);
  if (lines.length === 0) return '';
  const head = [KEEP_LIST_TITLE];
  const tail = savedTo === null ? [] : [`(A fuller handoff snapshot was saved to ${savedTo}; it is re-injected when the session restarts.)`];
  const text = [...head, ...lines, ...tail].join('\n') + '\n';
  return text.length <= MAX_KEEP_LIST_CHARS ? text : `${text.slice(0, MAX_KEEP_LIST_CHARS - 2)}…\n`;
}
