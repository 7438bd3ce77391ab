import { readTranscriptRecords } from '../claude/transcript-records.ts';
import { analyzeContext, lastMeasuredContext } from './analysis.ts';
import { compactCommand } from './compact-line.ts';

/** Used when the transcript cannot be read: the same structure, without the concrete items. */
const GENERIC =
  '/compact Keep the current objectives, the files in progress, decisions and open todos; drop superseded file reads, large tool outputs and exchanges older than the last 10 turns.';

/**
 * The exact `/compact ...` line for a session's transcript (what to keep, what to drop, named
 * concretely). It reads and analyses the whole transcript, so callers ask for it only when an alert at
 * DANGER or above fires. Never throws: an unreadable transcript gives the generic line.
 */
export function compactLineFor(cwd: string | null, transcript: string, keepTurns: number): string {
  try {
    const records = readTranscriptRecords(transcript);
    const last = lastMeasuredContext(records);
    return compactCommand(analyzeContext(records, { total: last && { tokens: last.tokens, source: last.source }, cwd, keepTurns }));
  } catch {
    return GENERIC;
  }
}
