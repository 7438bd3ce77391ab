/** What a Claude Code tool call may cost with cco, in ms. */
export const GOAL_EXTRA_MS: number;
/** Lines for a bench-session result: one row per plugin arm and a line on the method, or why it was skipped or failed. */
export function sessionLines(r: unknown): string[];
