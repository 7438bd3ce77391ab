/**
 * Entry of `dist/install.mjs`, called by install.sh:
 *
 *   node dist/install.mjs register   [--config-dir DIR] [--repo DIR] [--mode cli|settings] [--claude PATH]
 *                                    [--statusline auto|wrap|wrap-silent|replace|skip] [--no-seed-commands]
 *   node dist/install.mjs unregister [--config-dir DIR] [--claude PATH]
 *   node dist/install.mjs statusline-probe [--config-dir DIR] [--repo DIR]
 *
 * `statusline-probe` prints how settings.json `statusLine` stands, one line: `none`, `ours`, or
 * `theirs <its command>` (install.sh asks what to do with theirs).
 *
 * `--config-dir` defaults to the first entry of CLAUDE_CONFIG_DIR, else $HOME/.claude; `--repo` to the
 * nearest parent of this file holding `.claude-plugin/marketplace.json`; `--mode` to `cli` when
 * `--claude` is given, else `settings`; `--statusline` to `auto` (see statusline-edit.ts). `--no-seed-commands`
 * leaves out the user-level commands under the seeds' names (src/install/seed-install.ts). Exit codes: 0 done (or nothing to do), 1 refused or failed
 * (one line on stderr), 2 bad arguments.
 */
import './cjs-globals.ts';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnClaudeRunner } from './claude-cli.ts';
import { probeStatusLine, register, unregister, type RegisterMode } from './commands.ts';
import { resolveInstallConfigDir } from './config-dir.ts';
import { InstallError } from './files.ts';
import { STATUS_LINE_CHOICES, type StatusLineChoice } from './statusline-edit.ts';

const USAGE =
  'usage: install.mjs register [--config-dir DIR] [--repo DIR] [--mode cli|settings] [--claude PATH] [--statusline auto|wrap|wrap-silent|replace|skip] [--no-seed-commands]\n' +
  '       install.mjs unregister [--config-dir DIR] [--claude PATH]\n' +
  '       install.mjs statusline-probe [--config-dir DIR] [--repo DIR]';

/** Parsed command line. */
interface Args {
  command: 'register' | 'unregister' | 'statusline-probe';
  configDir: string | undefined;
  repo: string | undefined;
  mode: RegisterMode | undefined;
  claude: string | undefined;
  statusLine: StatusLineChoice | undefined;
  seedCommands: boolean;
}

/**
 * Parses the arguments.
 * @throws Error with a usage message for unknown commands or options
 */
export function parseInstallArgs(argv: readonly string[]): Args {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      'config-dir': { type: 'string' },
      repo: { type: 'string' },
      mode: { type: 'string' },
      claude: { type: 'string' },
      statusline: { type: 'string' },
      'no-seed-commands': { type: 'boolean' },
    },
  });
  const [command, ...extra] = positionals;
  if ((command !== 'register' && command !== 'unregister' && command !== 'statusline-probe') || extra.length > 0) {
    throw new Error(`expected register, unregister or statusline-probe`);
  }
  const mode = values.mode;
  if (mode !== undefined && mode !== 'cli' && mode !== 'settings') throw new Error(`--mode must be cli or settings, not "${mode}"`);
  const sl = values.statusline;
  if (sl !== undefined && !(STATUS_LINE_CHOICES as readonly string[]).includes(sl)) throw new Error(`--statusline must be one of ${STATUS_LINE_CHOICES.join('|')}, not "${sl}"`);
  return { command, configDir: values['config-dir'], repo: values.repo, mode, claude: values.claude, statusLine: sl as StatusLineChoice | undefined, seedCommands: values['no-seed-commands'] !== true };
}

/** Runs the installer; returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let args: Args;
  try {
    args = parseInstallArgs(argv);
  } catch (e) {
    process.stderr.write(`cco install: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    const cwd = process.cwd();
    const configDir = args.configDir !== undefined ? path.resolve(cwd, args.configDir) : resolveInstallConfigDir(env, cwd);
    const claude = args.claude !== undefined || args.mode === 'cli' ? spawnClaudeRunner(args.claude ?? 'claude', configDir, env) : undefined;
    const now = (): Date => new Date();
    if (args.command === 'unregister') {
      await unregister({ configDir, claude, now, log });
    } else if (args.command === 'statusline-probe') {
      const repoRoot = realpathSync(args.repo !== undefined ? path.resolve(cwd, args.repo) : findRepoRoot());
      const st = probeStatusLine(configDir, repoRoot);
      log(st.kind === 'theirs' ? `theirs ${st.description}` : st.kind);
    } else {
      const repoRoot = realpathSync(args.repo !== undefined ? path.resolve(cwd, args.repo) : findRepoRoot());
      await register({ configDir, repoRoot, mode: args.mode ?? (claude ? 'cli' : 'settings'), claude, now, log, statusLine: args.statusLine ?? 'auto', seedCommands: args.seedCommands });
    }
    return 0;
  } catch (e) {
    const msg = e instanceof InstallError ? e.message : `unexpected error: ${(e as Error).message ?? String(e)}`;
    process.stderr.write(`cco install: ${msg.split('\n')[0]}\n`);
    return 1;
  }
}

/** The nearest parent of this file that holds `.claude-plugin/marketplace.json`. */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, '.claude-plugin', 'marketplace.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new InstallError('cannot find the repository root (.claude-plugin/marketplace.json); pass --repo');
    dir = up;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
