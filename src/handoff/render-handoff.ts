import type { ContextStatus } from '../context/context-status.ts';
import type { QuotaStatus } from '../quota/quota-status.ts';
import { displayText, terminalText } from '../render/display-text.ts';
import { fmtDuration, fmtInt, fmtPct, fmtTime } from '../render/format.ts';
import type { FileTouch, HandoffFacts } from './handoff-facts.ts';
import type { PlannedSession } from '../plan/queue-schema.ts';
import { currentObjectiveLines } from '../render/plan.ts';

/** Why a handoff was written: by `/save-and-restart` (or `cco handoff save`), or by the PreCompact hook. */
export type HandoffReason = 'save-and-restart' | 'pre-compact (manual)' | 'pre-compact (auto)';

/** The first line of every handoff we render (tests and the e2e look for it). */
export const HANDOFF_TITLE = '# Session handoff (claude-code-optimizer)';

/** Who, where, when and why. Times in epoch ms. */
export interface HandoffHeader {
  sessionId: string;
  /** The project directory (the session's cwd); null when unknown. */
  project: string | null;
  createdAtMs: number;
  reason: HandoffReason;
}

/** The quota picture and context status when the handoff was written (either may be unknown). */
export interface HandoffState {
  /** The planned session in progress for this project (`cco plan start`), if any. */
  objective?: PlannedSession | null;
  quota: QuotaStatus | null;
  context: ContextStatus | null;
}

/** Open todos listed at most (the rest are counted). */
const MAX_TODOS = 20;

/**
 * The handoff markdown: a title, a header line (session, project, time, reason), then the sections
 * Objectives, Open todos, Files touched, Commands run, Last requests, Last decisions, (Earlier summary),
 * Quota and context, How to continue. Empty sections say so in one line rather than vanishing, so the
 * next session knows the fact was looked for. A file line gives the file's last change, else its last
 * call (see `fileLine`). Control characters from the transcript are shown escaped (terminalText). Pure.
 */
export function renderHandoff(f: HandoffFacts, h: HandoffHeader, s: HandoffState, nowMs: number = h.createdAtMs): string {
  const out: string[] = [HANDOFF_TITLE, ''];
  out.push(
    `Session \`${displayText(h.sessionId)}\` · project \`${displayText(h.project ?? f.cwd ?? 'unknown', 4_096)}\` · written ${fmtTime(h.createdAtMs)} · reason: ${h.reason}`,
  );
  if (f.messages === 0) out.push('', '_The transcript holds no messages yet: this session had not started any work._');

  out.push('', '## Objectives');
  const latest = f.recentRequests.at(-1) ?? null;
  if (f.firstRequest === null && latest === null) out.push('- (no user request found in the transcript)');
  if (s.objective) {
    const l = currentObjectiveLines(s.objective, s.quota?.budget ?? 0);
    out.push(`- ${l[0]}`, ...l.slice(1).map((x) => `  ${x}`));
  }
  if (f.firstRequest !== null) out.push(`- First request: ${f.firstRequest}`);
  if (latest !== null && latest !== f.firstRequest) out.push(`- Latest request: ${latest}`);

  out.push('', '## Open todos');
  if (f.openTodos === null) out.push('- (no TodoWrite list in this session)');
  else if (f.openTodos.length === 0) out.push('- (all todos completed)');
  else {
    for (const t of f.openTodos.slice(0, MAX_TODOS)) out.push(`- [${t.status === 'in_progress' ? 'in progress' : t.status}] ${t.content}`);
    if (f.openTodos.length > MAX_TODOS) out.push(`- … and ${f.openTodos.length - MAX_TODOS} more`);
  }

  out.push('', '## Files touched (most recent first; last change, else last call)');
  if (f.files.length === 0) out.push('- (none)');
  for (const x of f.files) out.push(fileLine(x));

  out.push('', '## Commands run (oldest first)');
  if (f.commands.length === 0) out.push('- (none)');
  for (const c of f.commands) out.push(`- ${code(c.command)}${c.failed ? ' (failed)' : ''}`);

  out.push('', '## Last requests (oldest first)');
  if (f.recentRequests.length === 0) out.push('- (none since the last compaction)');
  f.recentRequests.forEach((r, i) => {
    out.push(`${i + 1}. ${r}`);
  });

  out.push('', '## Last decisions (assistant, oldest first)');
  if (f.decisions.length === 0) out.push('- (none)');
  for (const d of f.decisions) out.push(`- ${d}`);

  if (f.earlierSummary !== null)
    out.push('', '## Earlier summary (from the last compaction)', '', ...f.earlierSummary.split('\n').map((l) => (l === '' ? '>' : `> ${l}`)));

  out.push('', '## Quota and context', ...quotaLines(s.quota, nowMs), ...contextLines(s.context));

  out.push(
    '',
    '## How to continue',
    'Pick up from the open todos and the latest request. Re-read a file before editing it (this handoff lists',
    'paths, not contents), and check the last decisions before changing course.',
  );
  // A person reads the file in a terminal too: no control character from the transcript acts there.
  return terminalText(out.join('\n') + '\n');
}

function quotaLines(q: QuotaStatus | null, nowMs: number): string[] {
  if (q === null) return ['- 5-hour window: unknown (no quota state yet)'];
  const lines: string[] = [];
  if (q.window === null) lines.push(`- 5-hour window: none open (no usage in the last 5 hours) · plan ${q.plan}`);
  else {
    lines.push(
      `- 5-hour window: ${q.usedPct.toFixed(1)}% used (${q.usedPctSource}) · level ${q.level.name} · resets ${fmtTime(q.window.endMs)} (in ${fmtDuration(q.window.endMs - nowMs)})`,
    );
    lines.push(
      `- Left: about ${fmtInt(q.remaining)} tokens of ${fmtInt(q.budget)} (${q.budgetSource})${q.runwayMin === null ? '' : ` · about ${fmtDuration(q.runwayMin * 60_000)} at the current burn rate`}`,
    );
  }
  lines.push(`- Advice: ${q.level.recommendation}`);
  return lines;
}

function contextLines(c: ContextStatus | null): string[] {
  if (c === null) return ['- Context: unknown (session not tracked yet)'];
  // Provenance labels name the model, which came from the transcript: one clean line.
  const limit = c.usableLimit === null ? `usable limit unknown (${displayText(c.windowSource, 240)})` : `usable limit ${fmtInt(c.usableLimit)} tokens`;
  if (c.used === null) return [`- Context: no response yet · ${limit}`];
  if (c.usableLimit === null) return [`- Context: ${fmtInt(c.used)} tokens (${c.usedSource}) · ${limit}`];
  return [
    `- Context: ${fmtInt(c.used)} of ${fmtInt(c.usableLimit)} usable tokens (${fmtPct(c.used / c.usableLimit)}; ${c.usedSource})${c.level === null ? '' : ` · level ${c.level.name}`}`,
  ];
}

/**
 * One file line: `- \`path\`: Edit · 3 calls`. For a modified file the action is its last successful
 * change (reads after it are not named: the next session re-reads before editing anyway), and a failed
 * last call is said to be a later one, so the change is not taken for failed; for a file never modified,
 * the last call and whether it failed (`Read (failed)`, `Edit (failed)`: the edit did not happen).
 */
function fileLine(x: FileTouch): string {
  const failed = !x.lastFailed ? '' : x.modified ? ' (a later call failed)' : ' (failed)';
  return `- ${code(x.path)}: ${x.lastAction}${failed}${x.touches > 1 ? ` · ${x.touches} calls` : ''}`;
}

/** Inline code that survives backticks in the text (a longer fence, padded). */
function code(s: string): string {
  const runs = s.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  return fence.length === 1 ? `\`${s}\`` : `${fence} ${s} ${fence}`;
}
