/**
 * `cco doctor [--json] [--exit-zero]`: checks the install, the hooks, our state files and the
 * transcripts, one line each, `ok` or `fix` with what to do. Reads only: it changes nothing (no
 * catch-up, no lock taken). Exit 0 when every check is ok, 1 when one needs a fix (0 with
 * `--exit-zero`: /cco:doctor's `!` command, as Claude Code shows nothing of a command that fails), 2 for
 * a bad command line.
 *
 * The checks are pure (src/doctor/*.ts); this file gathers their facts from the disk.
 */
import { accountDirs, transcriptRoots } from '../store/account-dirs.ts';
import { checkConfigDirs } from '../doctor/config-dirs.ts';
import { mixedClaudeAccounts, readRegistry } from '../store/config-dirs-registry.ts';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listTranscripts } from '../claude/transcript-files.ts';
import { fix, type CheckResult } from '../doctor/check.ts';
import { accountSettingNotes } from '../claude/account-home.ts';
import { withSettingsEnv } from '../claude/settings-env.ts';
import { dirUnusable } from '../store/dir-usable.ts';
import { readRegular } from '../store/read-regular.ts';
import { bundlesNeeded, checkDist, type DistFacts } from '../doctor/dist.ts';
import { checkHooksSeen, type SeenSession } from '../doctor/hooks-seen.ts';
import { checkLocks, STALE_LOCK_MS, type LockFact } from '../doctor/locks.ts';
import { inspectLock } from '../store/lock-holder.ts';
import { checkSpool, type SpoolFacts } from '../doctor/spool.ts';
import { listSpool } from '../front/spool.ts';
import { trackerRunning } from '../front/kick.ts';
import { checkLog } from '../doctor/log.ts';
import { checkNode, nodeOnPath } from '../doctor/node.ts';
import { checkPlugin, checkStatusLine, type PluginFacts } from '../doctor/plugin.ts';
import { readJson } from '../store/read-json.ts';
import { checkStateFiles, STATE_FILES, type StateFacts } from '../doctor/state-files.ts';
import { checkTranscripts, type TranscriptFact } from '../doctor/transcripts.ts';
import { renderDoctor } from '../render/doctor.ts';
import type { Runtime } from '../runtime.ts';
import type { CommandRun } from './command.ts';
import { parseCommand } from './args.ts';
import { EXIT_FAILURE, EXIT_OK } from './errors.ts';
import { selfCommand } from './self-command.ts';
import { DOCTOR } from './specs.ts';
import { isFile } from '../fs-kind.ts';

/** What the checks need besides the runtime: injected so tests can point them elsewhere. */
export interface DoctorOptions {
  /** The plugin root (holds `.claude-plugin/plugin.json`, `hooks/hooks.json`, `dist/`); null when not found. */
  root: string | null;
  /** `process.version`. */
  nodeVersion: string;
  /** Where PATH finds `node` (null: nowhere); undefined skips that check. */
  nodeOnPath?: string | null;
}

/** How much of the log's end is read (bytes). */
const LOG_TAIL_BYTES = 2 << 20;

/** `cco doctor [--json] [--exit-zero]`: the results as text, or as JSON `{stateDir, results: CheckResult[]}`. */
export const run: CommandRun = async (rt, args, io) => {
  const { values } = parseCommand(DOCTOR, args);
  const results = doctorResults(rt, { root: pluginRoot(), nodeVersion: process.version, nodeOnPath: nodeOnPath(rt.env.PATH, isExecutable) });
  io.stdout(values.json === true ? `${JSON.stringify({ stateDir: rt.paths.stateDir, results }, null, 1)}\n` : renderDoctor(results, rt.paths.stateDir));
  return values['exit-zero'] !== true && results.some((r) => r.status === 'fix') ? EXIT_FAILURE : EXIT_OK;
};

/** Runs every check. Never throws for what it finds on disk (an unreadable thing is a finding). */
export function doctorResults(rt: Runtime, opts: DoctorOptions): CheckResult[] {
  const nowMs = rt.now().getTime();
  const stateDir = rt.paths.stateDir;
  const pluginFacts: PluginFacts = {
    settingsFile: path.join(stateDir, 'settings.json'),
    settings: readJson(path.join(stateDir, 'settings.json')),
    installedFile: path.join(stateDir, 'plugins', 'installed_plugins.json'),
    installed: readJson(path.join(stateDir, 'plugins', 'installed_plugins.json')),
  };
  // Each check on its own: a fact that cannot be gathered is a finding, not the end of the doctor.
  return [
    guard('node', () => checkNode(opts.nodeVersion, opts.nodeOnPath)),
    guard('plugin', () => checkPlugin(pluginFacts)),
    guard('statusline', () => checkStatusLine(pluginFacts)),
    guard('dist', () => checkDist(distFacts(opts.root))),
    guard('hooks', () => checkHooksSeen({ sessions: trackedSessions(rt), newestTranscriptMs: newestTranscript(rt), nowMs })),
    guard('state', () => checkStateFiles(stateFacts(rt, nowMs))),
    guard('account', () =>
      checkConfigDirs({
        account: rt.account,
        accountDir: rt.paths.accountDir,
        dirs: accountDirs(rt).dirs,
        gone: accountDirs(rt).gone,
        mixed: mixedClaudeAccounts(readRegistry(rt.paths.configDirsRegistry), rt.account),
        settingNotes: accountSettingNotes(withSettingsEnv(rt.env, stateDir), rt.dirs.home),
        unusable: dirUnusable(rt.paths.accountDir),
      }),
    ),
    guard('locks', () => checkLocks(findLocks(stateDir, rt.paths.accountDir, nowMs))),
    guard('spool', () => checkSpool(spoolFacts(rt, nowMs))),
    guard('transcripts', () => checkTranscripts(transcriptFacts(rt))),
    guard('log', () => checkLog(logFacts(rt, nowMs))),
  ].flat();
}

/** A check's results, or one `fix` saying what stopped it (the error's first line). */
function guard(check: string, run: () => CheckResult | CheckResult[]): CheckResult[] {
  try {
    return [run()].flat();
  } catch (e) {
    return [
      fix(
        check,
        `could not check: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
        `fix what the message names, then run ${selfCommand()} doctor again`,
      ),
    ];
  }
}

/** Ages of the hook events in the spool (from their names' epoch ms), and whether a tracker runs. */
function spoolFacts(rt: Runtime, nowMs: number): SpoolFacts {
  const ages = listSpool(rt.paths.spoolDir).map((n) => nowMs - Number(n.split('-')[0]));
  return { ages: ages.filter((a) => Number.isFinite(a)), trackerRunning: trackerRunning(rt.paths, nowMs) };
}

/** The nearest folder above this module that holds `.claude-plugin/plugin.json` (dist/cli.mjs -> the checkout). */
export function pluginRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.claude-plugin', 'plugin.json'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

function mtime(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function distFacts(root: string | null): DistFacts {
  if (root === null) return { root: '(plugin root not found)', hooksJson: null, bundles: {} };
  let hooksJson: string | null = null;
  try {
    hooksJson = readFileSync(path.join(root, 'hooks', 'hooks.json'), 'utf8');
  } catch {
    // reported as missing
  }
  const bundles: Record<string, number | null> = {};
  for (const b of bundlesNeeded(hooksJson)) bundles[b] = mtime(path.join(root, b));
  // A split CLI loads its subcommands from dist/chunks/: every chunk it (transitively) imports must be there.
  const queue = Object.keys(bundles).filter((b) => bundles[b] !== null);
  for (let b = queue.shift(); b !== undefined; b = queue.shift()) {
    let text = '';
    try {
      text = readFileSync(path.join(root, b), 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/["'](\.{1,2}\/(?:chunks\/)?[A-Za-z0-9_.-]+\.mjs)["']/g)) {
      const rel = path.posix.join(path.posix.dirname(b), m[1]!);
      if (rel.startsWith('dist/') && !(rel in bundles)) {
        bundles[rel] = mtime(path.join(root, rel));
        if (bundles[rel] !== null) queue.push(rel);
      }
    }
  }
  return { root, hooksJson, bundles };
}

function trackedSessions(rt: Runtime): SeenSession[] | null {
  const r = readJson(rt.paths.sessionTracker);
  if (r.kind !== 'ok' || typeof r.value !== 'object' || r.value === null) return null;
  const sessions = (r.value as { sessions?: unknown }).sessions;
  if (typeof sessions !== 'object' || sessions === null) return null;
  return Object.values(sessions as Record<string, unknown>).flatMap((s) => {
    if (typeof s !== 'object' || s === null) return [];
    const o = s as Record<string, unknown>;
    const events = typeof o.hookEvents === 'object' && o.hookEvents !== null ? (o.hookEvents as Record<string, unknown>) : {};
    return typeof o.lastSeenAt === 'string'
      ? [{ lastSeenAt: o.lastSeenAt, hookEvents: Object.fromEntries(Object.entries(events).filter((e): e is [string, number] => typeof e[1] === 'number')) }]
      : [];
  });
}

function newestTranscript(rt: Runtime): number | null {
  let newest: number | null = null;
  for (const f of listTranscripts(transcriptRoots(rt))) {
    const m = mtime(f);
    if (m !== null && (newest === null || m > newest)) newest = m;
  }
  return newest;
}

function stateFacts(rt: Runtime, nowMs: number): StateFacts {
  const stateDir = rt.paths.stateDir;
  const ours = [rt.paths.ccoDir, rt.paths.calendarDir, rt.paths.accountDir];
  const at = (spec: (typeof STATE_FILES)[number]) => path.join(spec.where === 'account' ? rt.paths.accountDir : stateDir, spec.rel);
  const known = new Set(STATE_FILES.map(at));
  const facts: StateFacts = { stateDir, files: [], dirs: [], otherFiles: [], quarantined: [], tempFiles: [] };
  for (const spec of STATE_FILES) {
    const p = at(spec);
    const read = readRegular(p);
    const text = read.kind === 'text' ? read.text : null;
    const readError = read.kind === 'unreadable' ? (read.code ?? read.reason) : null;
    facts.files.push({ where: spec.where, rel: spec.rel, path: p, text, mode: text === null ? null : modeOf(p), readError });
  }
  for (const d of ours) {
    if (!existsSync(d)) continue;
    for (const dir of [d, ...dirs(d, known)]) {
      const m = modeOf(dir);
      if (m !== null) facts.dirs.push({ path: dir, mode: m });
    }
  }
  const candidates = [
    ...safeReaddir(stateDir)
      .map((n) => path.join(stateDir, n))
      .filter((p) => isFile(p) && isOurTopLevel(path.basename(p))),
    ...ours.flatMap((d) => files(d, () => true, true, known)),
  ];
  // What was moved aside that is no file (a directory or FIFO where a state file belonged) is listed too.
  for (const d of [stateDir, ...ours.flatMap((o) => (existsSync(o) ? [o, ...dirs(o, known)] : []))]) {
    for (const n of safeReaddir(d))
      if (/\.corrupt-/.test(n) && !isFile(path.join(d, n)) && (d !== stateDir || isOurTopLevel(n))) facts.quarantined.push(path.join(d, n));
  }
  for (const p of candidates) {
    const name = path.basename(p);
    if (/\.corrupt-/.test(name)) facts.quarantined.push(p);
    // write-file-atomic's `<name>.<number>`, and writeCacheFile's `<name>.<pid>-<random>.tmp` (store/cache-write.ts).
    else if (/\.(json|jsonl|bin|md|ics)\.\d+$/.test(name) || /\.\d+-[0-9a-z]+\.tmp$/.test(name))
      facts.tempFiles.push({ path: p, ageMs: nowMs - (mtime(p) ?? nowMs) });
    else if (!known.has(p)) {
      const m = modeOf(p);
      if (m !== null) facts.otherFiles.push({ path: p, mode: m });
    }
  }
  return facts;
}

/** Top-level files of ours in the state dir (and what `update` leaves beside them). */
function isOurTopLevel(name: string): boolean {
  return /^(quota-tracker|session-tracker|session-queue)\.json(\.|$)/.test(name);
}

/** Every `*.lock` folder among our files: top level of the state dir, `cco/` and `calendar/`. */
function findLocks(stateDir: string, accountDir: string, nowMs: number): LockFact[] {
  const out: LockFact[] = [];
  const where = [stateDir, ...[path.join(stateDir, 'cco'), path.join(stateDir, 'calendar'), accountDir].flatMap((d) => (existsSync(d) ? [d, ...dirs(d)] : []))];
  for (const d of where) {
    for (const n of safeReaddir(d)) {
      if (!n.endsWith('.lock')) continue;
      const target = path.join(d, n.slice(0, -'.lock'.length));
      const seen = inspectLock(target, nowMs, STALE_LOCK_MS);
      if (seen !== null) out.push({ path: path.join(d, n), ageMs: nowMs - seen.mtimeMs, holder: seen.holder, verdict: seen.verdict });
    }
  }
  return out;
}

function transcriptFacts(rt: Runtime): { cached: TranscriptFact[]; unreadableCaches: number } {
  const cached: TranscriptFact[] = [];
  let unreadableCaches = 0;
  for (const n of safeReaddir(rt.paths.transcriptCacheDir)) {
    if (!n.endsWith('.json')) continue;
    const r = readJson(path.join(rt.paths.transcriptCacheDir, n));
    const v = r.kind === 'ok' && typeof r.value === 'object' && r.value !== null ? (r.value as Record<string, unknown>) : null;
    const d = v !== null && typeof v.digest === 'object' && v.digest !== null ? (v.digest as Record<string, unknown>) : null;
    if (v !== null && d !== null && typeof v.path === 'string' && typeof d.malformedLines === 'number' && typeof d.lines === 'number') {
      cached.push({ path: v.path, lines: d.lines, malformedLines: d.malformedLines });
    } else if (v === null || typeof v.version !== 'number') unreadableCaches++;
    // A cache of another format version (an older or newer build) is not ours to read: not a problem.
  }
  return { cached, unreadableCaches };
}

function logFacts(rt: Runtime, nowMs: number) {
  const file = rt.paths.logFile;
  let size: number | null = null;
  let tail: string[] = [];
  try {
    size = statSync(file).size;
    const len = Math.min(size, LOG_TAIL_BYTES);
    const buf = Buffer.alloc(len);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, len, size - len);
    } finally {
      closeSync(fd);
    }
    tail = buf.toString('utf8').split('\n');
    if (len < size) tail.shift(); // the first line is cut
  } catch {
    // no log (size stays null) or unreadable
  }
  return { file, size, tail, nowMs };
}

function modeOf(p: string): number | null {
  try {
    return statSync(p).mode & 0o777;
  } catch {
    return null;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Folders below `dir` (not lock folders), depth first. */
/**
 * Folders below `dir`, recursively: not lock folders, not what was moved aside (`*.corrupt-<time>`), not
 * `skip` (a folder where a state file belongs: its own finding), and no symlink (what it points at is not ours).
 */
function dirs(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const n of safeReaddir(dir)) {
    const p = path.join(dir, n);
    try {
      if (lstatSync(p).isDirectory() && !n.endsWith('.lock') && !/\.corrupt-/.test(n) && !skip.has(p)) out.push(p, ...dirs(p, skip));
    } catch {
      // gone
    }
  }
  return out;
}

/** Files below `dir` (recursively unless `deep` is false) that `keep` accepts. */
function files(dir: string, keep: (p: string) => boolean, deep = true, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const d of deep ? [dir, ...dirs(dir, skip)] : [dir]) {
    for (const n of safeReaddir(d)) {
      const p = path.join(d, n);
      if (isFile(p) && keep(p)) out.push(p);
    }
  }
  return out;
}

/** A regular file with an execute bit (what `sh` runs for a bare `node`). */
function isExecutable(file: string): boolean {
  try {
    const st = statSync(file);
    return st.isFile() && (process.platform === 'win32' || (st.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}
