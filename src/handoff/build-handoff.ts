import { readTranscriptRecords, type TranscriptRecord } from '../claude/transcript-records.ts';
import type { Runtime } from '../runtime.ts';
import { handoffFacts, type HandoffFacts } from './handoff-facts.ts';
import { handoffState } from './handoff-state.ts';
import { renderHandoff, type HandoffReason } from './render-handoff.ts';

/** The session a handoff is built for. */
export interface HandoffSubject {
  sessionId: string;
  transcriptPath: string | null;
  /** The project directory (the session's cwd), when known. */
  cwd: string | null;
}

/** A handoff built but not saved. */
export interface BuiltHandoff {
  facts: HandoffFacts;
  markdown: string;
  /** Why the transcript could not be read (`no transcript path`, `not found: <path>`), or null when it was read. */
  transcriptProblem: string | null;
}

/**
 * Reads the session's transcript (whole file; see `readTranscriptRecords`), extracts the facts and
 * renders the markdown with the quota and context state at `rt.now()`. A missing transcript is not an
 * error: the facts are empty and `transcriptProblem` says why.
 *
 * @throws fs errors other than ENOENT reading the transcript
 */
export function buildHandoff(rt: Runtime, s: HandoffSubject, reason: HandoffReason): BuiltHandoff {
  let records: TranscriptRecord[] = [];
  let transcriptProblem: string | null = null;
  if (s.transcriptPath === null) transcriptProblem = 'no transcript path';
  else {
    try {
      records = readTranscriptRecords(s.transcriptPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      transcriptProblem = `not found: ${s.transcriptPath}`;
    }
  }
  const facts = handoffFacts(records);
  const nowMs = rt.now().getTime();
  const markdown = renderHandoff(
    facts,
    { sessionId: s.sessionId, project: s.cwd ?? facts.cwd, createdAtMs: nowMs, reason },
    handoffState(rt, s.sessionId, nowMs),
  );
  return { facts, markdown, transcriptProblem };
}
