/**
 * Entry of `dist/install.mjs`, called by install.sh:
 *
 *   node dist/install.mjs register   [--config-dir DIR] [--repo DIR] [--mode cli|settings] [--claude PATH]
 *                                    [--statusline auto|wrap|wrap-silent|replace|skip] [--no-seed-commands] [--force]
 *   node dist/install.mjs unregister [--config-dir DIR] [--claude PATH] [--force]
 *   node dist/install.mjs statusline-probe [--config-dir DIR] [--repo DIR]
 *   node dist/install.mjs setup [auto|wrap|wrap-silent|replace|keep|undo] [--config-dir DIR] [--no-seed-commands]
 *
 * `setup` is `/cco:setup` (commands/setup.md), for a plugin Claude Code installed from a marketplace: it
 * registers nothing (Claude Code did), it sets the status line (`auto`, the default: only when there is none;
 * `keep`: leave it) and the short commands, through stable launchers (src/install/launchers.ts); `undo` puts
 * back what setup changed. The plugin root is the nearest parent of this file with `.claude-plugin/`.
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
import { launcherDir } from './launchers.ts';
import { STATUS_LINE_CHOICES, type StatusLineChoice } from './statusline-edit.ts';

const USAGE =
  'usage: install.mjs register [--config-dir DIR] [--repo DIR] [--mode cli|settings] [--claude PATH] [--statusline auto|wrap|wrap-silent|replace|skip] [--no-seed-commands] [--force]\n' +
  '       install.mjs unregister [--config-dir DIR] [--claude PATH] [--force]\n' +
  '       install.mjs statusline-probe [--config-dir DIR] [--repo DIR]\n' +
  '       install.mjs setup [auto|wrap|wrap-silent|replace|keep|undo] [--config-dir DIR] [--no-seed-commands]';

/** `setup`'s choices: the status line choice (`keep` is `skip`), or `undo`. */
const SETUP_CHOICES = ['auto', 'wrap', 'wrap-silent', 'replace', 'keep', 'undo'] as const;
type SetupChoice = (typeof SETUP_CHOICES)[number];

/** Parsed command line. */
interface Args {
  command: 'register' | 'unregister' | 'statusline-probe' | 'setup';
  /** `setup` only. */
  setup?: SetupChoice;
  configDir: string | undefined;
  repo: string | undefined;
  mode: RegisterMode | undefined;
  claude: string | undefined;
  statusLine: StatusLineChoice | undefined;
  seedCommands: boolean;
  /** `--force`: write a read-only settings.json all the same. */
  force: boolean;
}

/**
 * Parses the arguments.
 * @throws Error with a usage message for unknown commands or options
 */
function parseInstallArgs(argv: readonly string[]): Args {
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
      force: { type: 'boolean' },
    },
  });
  const [command, ...extra] = positionals;
  if (command === 'setup') {
    const choice = extra[0] ?? 'auto';
    if (extra.length > 1 || !(SETUP_CHOICES as readonly string[]).includes(choice))
      throw new Error(`setup takes one of ${SETUP_CHOICES.join(' | ')}, not "${extra.join(' ')}"`);
    return {
      command,
      setup: choice as SetupChoice,
      configDir: values['config-dir'],
      repo: undefined,
      mode: 'plugin',
      claude: undefined,
      statusLine: undefined,
      seedCommands: values['no-seed-commands'] !== true,
      force: values.force === true,
    };
  }
  if ((command !== 'register' && command !== 'unregister' && command !== 'statusline-probe') || extra.length > 0) {
    throw new Error(`expected register, unregister, statusline-probe or setup`);
  }
  const mode = values.mode;
  if (mode !== undefined && mode !== 'cli' && mode !== 'settings') throw new Error(`--mode must be cli or settings, not "${mode}"`);
  const sl = values.statusline;
  if (sl !== undefined && !(STATUS_LINE_CHOICES as readonly string[]).includes(sl))
    throw new Error(`--statusline must be one of ${STATUS_LINE_CHOICES.join('|')}, not "${sl}"`);
  return {
    command,
    configDir: values['config-dir'],
    repo: values.repo,
    mode,
    claude: values.claude,
    statusLine: sl as StatusLineChoice | undefined,
    seedCommands: values['no-seed-commands'] !== true,
    force: values.force === true,
  };
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
    if (args.command === 'setup') {
      await setup(args.setup ?? 'auto', { configDir, now, log, seedCommands: args.seedCommands });
    } else if (args.command === 'unregister') {
      await unregister({ configDir, claude, now, log, force: args.force });
    } else if (args.command === 'statusline-probe') {
      const repoRoot = realpathSync(args.repo !== undefined ? path.resolve(cwd, args.repo) : findRepoRoot());
      const st = probeStatusLine(configDir, repoRoot);
      log(st.kind === 'theirs' ? `theirs ${st.description}` : st.kind);
    } else {
      const repoRoot = realpathSync(args.repo !== undefined ? path.resolve(cwd, args.repo) : findRepoRoot());
      await register({
        configDir,
        repoRoot,
        mode: args.mode ?? (claude ? 'cli' : 'settings'),
        claude,
        now,
        log,
        statusLine: args.statusLine ?? 'auto',
        seedCommands: args.seedCommands,
        force: args.force,
      });
    }
    return 0;
  } catch (e) {
    const msg = e instanceof InstallError ? e.message : `unexpected error: ${(e as Error).message ?? String(e)}`;
    process.stderr.write(`cco install: ${msg.split('\n')[0]}\n`);
    return 1;
  }
}

/**
 * `/cco:setup <choice>`: the status line and the short commands for the plugin this file belongs to, or
 * `undo` (what setup recorded in the install manifest is put back; the plugin itself stays installed).
 * @throws InstallError as `register` and `unregister` do; when install.sh installed cco in this config dir
 */
async function setup(choice: SetupChoice, o: { configDir: string; now: () => Date; log: (line: string) => void; seedCommands: boolean }): Promise<void> {
  if (choice === 'undo') {
    await unregister({ configDir: o.configDir, now: o.now, log: o.log });
    o.log('done: cco stays installed as a plugin (/cco:session-status, ...); /cco:setup sets this up again');
    return;
  }
  const sourceRoot = realpathSync(findRepoRoot());
  const statusLine: StatusLineChoice = choice === 'keep' ? 'skip' : choice;
  await register({
    configDir: o.configDir,
    repoRoot: launcherDir(o.configDir),
    sourceRoot,
    mode: 'plugin',
    now: o.now,
    log: o.log,
    statusLine,
    seedCommands: o.seedCommands,
  });
  o.log('done: the status line and the short commands work from the next session on; /cco:setup undo puts back what this changed');
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
