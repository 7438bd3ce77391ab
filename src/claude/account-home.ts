import { createHash } from 'node:crypto';
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
 * `~/.local/state/claude-code-optimizer` (the XDG base directory for state). The account: `default`, or
 * `$CCO_ACCOUNT`, which keeps config dirs signed in to another account apart: set it in that dir's
 * settings.json `env`, which Claude Code passes to hooks and the status line (and `cco` in a terminal
 * reads: src/claude/settings-env.ts). Pure; never throws.
 */

/** A CCO_ACCOUNT used as a folder name as it is. */
const PLAIN_ACCOUNT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

/**
 * The account name of `env`: `CCO_ACCOUNT` when it is a plain name (letters, digits, `.`, `_`, `-`; at
 * most 64; not starting with `.`), `default` when unset or blank. Any other value still names an account
 * of its own, never `default` (merging two accounts' usage is the harm CCO_ACCOUNT exists to prevent):
 * its letters and digits, then `-` and 8 hex digits of its sha256 (`work account` -> `work-account-…`).
 */
export function accountName(env: Readonly<Record<string, string | undefined>>): string {
  const a = env.CCO_ACCOUNT?.trim() ?? '';
  if (a === '') return 'default';
  if (PLAIN_ACCOUNT.test(a)) return a;
  const slug = a
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug === '' ? 'account' : slug}-${createHash('sha256').update(a).digest('hex').slice(0, 8)}`;
}

/**
 * cco's home on this machine (see the module comment). `~` and `~/…` in CCO_HOME mean the home dir (a
 * settings.json `env` value is not expanded by any shell); other relative values are ignored
 * (ccoHomeProblem says so), as the XDG spec says of relative XDG_STATE_HOME.
 */
export function ccoHome(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const own = expandTilde(env.CCO_HOME?.trim(), home);
  if (own !== undefined && own !== '' && path.isAbsolute(own)) return path.resolve(own);
  const xdg = env.XDG_STATE_HOME?.trim();
  if (xdg !== undefined && xdg !== '' && path.isAbsolute(xdg)) return path.join(xdg, 'claude-code-optimizer');
  return path.join(home, '.local', 'state', 'claude-code-optimizer');
}

/**
 * What a person should hear about CCO_HOME and CCO_ACCOUNT in `env` (for `cco doctor`): a relative
 * CCO_HOME that is ignored, a CCO_ACCOUNT that is not a plain name and the account it stands for.
 * Empty when both are fine.
 */
export function accountSettingNotes(env: Readonly<Record<string, string | undefined>>, home: string): string[] {
  const notes: string[] = [];
  const own = expandTilde(env.CCO_HOME?.trim(), home);
  if (own !== undefined && own !== '' && !path.isAbsolute(own))
    notes.push(`CCO_HOME=${JSON.stringify(env.CCO_HOME)} is not an absolute path, so it is ignored (cco keeps its state in ${ccoHome(env, home)})`);
  const a = env.CCO_ACCOUNT?.trim() ?? '';
  if (a !== '' && !PLAIN_ACCOUNT.test(a))
    notes.push(
      `CCO_ACCOUNT=${JSON.stringify(env.CCO_ACCOUNT)} is not a plain name (letters, digits, . _ -, at most 64), so its account is named ${accountName(env)}`,
    );
  return notes;
}

/** The account's dir: `<cco home>/accounts/<account>`. */
export function accountDir(home: string, account: string): string {
  return path.join(home, 'accounts', account);
}

function expandTilde(p: string | undefined, home: string): string | undefined {
  if (p === '~') return home;
  if (p?.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}
