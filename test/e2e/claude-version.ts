/** The Claude Code CLI version the offline end-to-end tests are pinned to. */
export const CLAUDE_CODE_VERSION = '2.1.329';
