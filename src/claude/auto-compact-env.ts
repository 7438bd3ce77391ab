/** How Claude Code's auto-compaction is set for a session (from the environment its hooks saw). */
export interface AutoCompactEnv {
  /** `CLAUDE_CODE_AUTO_COMPACT_WINDOW` (tokens), when set. */
  window?: number | null;
  /** `DISABLE_AUTO_COMPACT` set: Claude Code never compacts on its own. */
  disabled?: boolean;
}

/**
 * Claude Code's auto-compaction settings as its environment gives them (hooks inherit it, reference
 * §1.7 and §7): `CLAUDE_CODE_AUTO_COMPACT_WINDOW` (tokens; the CLI compacts 33,000 below it, measured:
 * src/claude/model-windows.ts) and `DISABLE_AUTO_COMPACT` (any non-empty value but `0`/`false`). A window
 * that is not a positive integer is ignored. Pure; never throws.
 */
export function autoCompactFrom(env: Readonly<Record<string, string | undefined>>): AutoCompactEnv {
  const raw = env.CLAUDE_CODE_AUTO_COMPACT_WINDOW?.trim();
  const window = raw !== undefined && /^[0-9]{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
  const off = env.DISABLE_AUTO_COMPACT?.trim().toLowerCase();
  return { window, disabled: off !== undefined && off !== '' && off !== '0' && off !== 'false' };
}
