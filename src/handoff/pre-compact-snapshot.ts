import type { HookInput } from '../claude/hook-input.ts';
import type { Runtime } from '../runtime.ts';
import { buildHandoff } from './build-handoff.ts';
import { preCompactInstructions } from './compact-instructions.ts';
import { hasWork } from './handoff-facts.ts';
import { saveHandoff, sessionProjectKey } from './handoff-store.ts';
import type { HandoffReason } from './render-handoff.ts';

/** Lock budget (ms) of the pending index in PreCompact (its hook timeout is 10 s). */
const PRE_COMPACT_LOCK_MS = 3_000;

/**
 * What the PreCompact hook does: builds a handoff snapshot of the session from its transcript, saves it
 * and marks it pending for the project (reason `pre-compact (manual|auto)`), and returns the keep-list
 * to print as plain stdout (appended by Claude Code to the compaction instructions). Never throws for
 * the expected failures: a missing transcript or a session with nothing done yet give '' (and a line
 * on stderr and in the log); a failed save still returns the keep-list (without the snapshot path).
 *
 * @throws only unexpected errors (e.g. EACCES reading the transcript); runHook turns them into exit 0
 */
export async function preCompactSnapshot(input: HookInput, rt: Runtime): Promise<string> {
  const trigger = input.trigger === 'manual' ? 'manual' : 'auto';
  const reason: HandoffReason = `pre-compact (${trigger})`;
  const cwd = input.cwd ?? rt.env.CLAUDE_PROJECT_DIR ?? null;
  const transcriptPath = input.transcript_path ?? null;
  const built = buildHandoff(rt, { sessionId: input.session_id, transcriptPath, cwd }, reason);
  if (built.transcriptProblem !== null) {
    note(rt, 'info', `transcript ${built.transcriptProblem}; no handoff snapshot saved`);
    return '';
  }
  if (!hasWork(built.facts)) {
    rt.log('info', 'PreCompact', `session ${input.session_id} has nothing to hand off yet; no snapshot saved`);
    return '';
  }
  const projectKey = sessionProjectKey(transcriptPath, cwd);
  let file: string | null = null;
  if (projectKey !== null) {
    try {
      const saved = await saveHandoff(
        rt,
        { projectKey, project: cwd, sessionId: input.session_id, reason, markdown: built.markdown },
        { lockBudgetMs: PRE_COMPACT_LOCK_MS },
      );
      file = saved.file;
      // A pending /save-and-restart handoff stays the next session's; the snapshot still feeds the keep-list.
      rt.log(
        'info',
        'PreCompact',
        saved.pending
          ? `handoff snapshot ${file} pending for ${projectKey}`
          : `handoff snapshot ${file} saved; not pending, a /save-and-restart handoff is pending for ${projectKey}`,
      );
    } catch (e) {
      note(rt, 'warn', `handoff snapshot not saved or not marked pending (${e instanceof Error ? e.message : String(e)}); compaction goes ahead`);
    }
  }
  return preCompactInstructions(built.facts, file);
}

function note(rt: Runtime, level: 'info' | 'warn', msg: string): void {
  rt.log(level, 'PreCompact', msg);
  process.stderr.write(`cco: PreCompact: ${msg}\n`);
}
