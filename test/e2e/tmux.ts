import { execFileSync, spawnSync } from 'node:child_process';
import { claudeBin } from './paths.ts';
import type { Sandbox } from './sandbox.ts';

/**
 * The interactive CLI in a tmux pane (reference §10-11: what only the TUI shows, such as the status
 * line, needs a terminal). tmux came with this machine's image; a test that needs it checks
 * `tmuxAvailable()` and skips with the reason when it is missing.
 */

/** True when `tmux -V` runs. */
export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
}

/** A running interactive `claude` in a detached tmux session. */
export interface Tui {
  /** Types `text` and presses Enter. */
  submit(text: string): void;
  /** The pane as text. */
  capture(): string;
  /** Resolves once `ok()` is true (polled every 100 ms); rejects after `timeoutMs` with the pane's text. */
  waitFor(ok: () => boolean, timeoutMs: number, what: string): Promise<void>;
  /** Ends the session (SIGHUP to claude), then waits up to 5 s for its process to go. */
  close(): void;
}

let n = 0;

/**
 * Starts `claude <args>` interactively in the sandbox (cwd: its project dir) with the sandbox's
 * environment, `ANTHROPIC_BASE_URL` at the mock, `env` over it and `unset` removed.
 * @throws Error when tmux cannot start the session
 */
export function startTui(sb: Sandbox, opts: { mockUrl: string; args?: string[]; env?: Record<string, string>; unset?: readonly string[] }): Tui {
  const env = sb.env({ ANTHROPIC_BASE_URL: opts.mockUrl, ...opts.env });
  for (const k of opts.unset ?? []) delete env[k];
  const name = `cco-e2e-${process.pid}-${n++}`;
  // `env -i` gives claude exactly this environment (tmux's server would add its own otherwise).
  const cmd = ['env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), claudeBin(), ...(opts.args ?? [])];
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '220', '-y', '50', '-c', sb.projectDir, ...cmd], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMUX_TMPDIR: sb.root, HOME: sb.home },
  });
  const tmux = (...args: string[]) =>
    execFileSync('tmux', args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMUX_TMPDIR: sb.root, HOME: sb.home } });
  const tui: Tui = {
    submit: (text) => {
      tmux('send-keys', '-t', name, '-l', text);
      tmux('send-keys', '-t', name, 'Enter');
    },
    capture: () => {
      try {
        return tmux('capture-pane', '-p', '-t', name);
      } catch {
        return '';
      }
    },
    waitFor: async (ok, timeoutMs, what) => {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (ok()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; the pane shows:\n${tui.capture()}`);
    },
    close: () => {
      try {
        tmux('kill-server');
      } catch {
        // gone already
      }
    },
  };
  return tui;
}
