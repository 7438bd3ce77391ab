/**
 * The `/compact ...` line suggested by context alerts for a session's transcript. Computed only when an
 * alert at DANGER or above fires (callers pass it as a function).
 */
export function compactLineFor(_rt: unknown, _transcript: string): string {
  return '/compact Keep the current objectives, the files in progress, decisions and open todos; drop superseded file reads, large tool outputs and exchanges older than the last 10 turns.';
}
