import path from 'node:path';

/**
 * Where the state of the person's account lives, shared by every Claude config dir they use.
 *
 * Why: many people run one `CLAUDE_CONFIG_DIR` per clone (the mitigation of the `~/.claude.json` race),
 * and Claude Code takes one dir, not a list; all of them draw on one 5-hour window. So what belongs to
 * the account (the 5-hour blocks and their usage, the official readings the status lines capture, the
 * alerts and their deliveries, calibration, the status line snapshot, the shared config) lives in one
 * place outside every config dir, and what belongs to a config dir (its sessions, transcript caches,
 * spool, outboxes, handoffs, plan queue, logs) stays in it.
 *
 * The place: `$CCO_HOME`, else `$XDG_STATE_HOME/claude-code-optimizer`, else
 * `~/.local/state/claude-code-optimizer` (the XDG base directory for state; relative values are ignored,
 * as the spec says). The account: `default`, or `$CCO_ACCOUNT` (letters, digits, `.`, `_`, `-`), which
 * keeps config dirs signed in to another account apart: set it in that dir's settings.json `env`, which
 * Claude Code passes to hooks and the status line. Pure; never throws.
 */

/** The account name of `env`: `CCO_ACCOUNT` when valid, else `default`. */
export function accountName(env: Readonly<Record<string, string | undefined>>): string {
  const a = env.CCO_ACCOUNT?.trim();
  return a !== undefined && /^[A-Za-z0-9._-]{1,64}$/.test(a) && a !== '.' && a !== '..' ? a : 'default';
}

/** cco's home on this machine (see the module comment). */
export function ccoHome(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const own = env.CCO_HOME?.trim();
  if (own !== undefined && own !== '' && path.isAbsolute(own)) return path.resolve(own);
  const xdg = env.XDG_STATE_HOME?.trim();
  if (xdg !== undefined && xdg !== '' && path.isAbsolute(xdg)) return path.join(xdg, 'claude-code-optimizer');
  return path.join(home, '.local', 'state', 'claude-code-optimizer');
}

/** The account's dir: `<cco home>/accounts/<account>`. */
export function accountDir(home: string, account: string): string {
  return path.join(home, 'accounts', account);
}
