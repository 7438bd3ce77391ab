import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_LIST_TITLE } from '../../src/handoff/compact-instructions.ts';
import { HANDOFF_TITLE } from '../../src/handoff/render-handoff.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { runHookSync, type HookName } from '../helpers/spawn-bundle.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

const CWD = '/w/proj';
const KEY = '-w-proj';
const OLD = '11111111-1111-4111-8111-111111111111';
const NEW = '22222222-2222-4222-8222-222222222222';

/** Runs a built hook bundle as Claude Code does (JSON on stdin), then lets its background tracking finish. */
function hook(name: HookName, stdin: string | object) {
  return runHookSync(name, typeof stdin === 'string' ? stdin : JSON.stringify(stdin), h.env());
}

function cli(args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string } = {}) {
  const r = spawnSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'handoff', ...args], {
    input: opts.input ?? '',
    env: h.env(opts.env),
    encoding: 'utf8',
    timeout: 30_000,
    cwd: opts.cwd ?? h.home,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const line = (o: object) => JSON.stringify({ sessionId: OLD, cwd: CWD, isSidechain: false, timestamp: new Date().toISOString(), ...o });
const tool = (id: string, name: string, input: object) =>
  line({ type: 'assistant', message: { id: `m_${id}`, role: 'assistant', model: 'claude-opus-4-5', content: [{ type: 'tool_use', id, name, input }] } });
const result = (id: string) => line({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'ok' }] } });

/** A session in /w/proj that edited src/app.ts, ran a command and left a todo open. No usage, so no quota alerts. */
function setup(): { transcript: string; dir: string } {
  h = tempHome();
  const dir = path.join(h.configDir, 'projects', KEY);
  mkdirSync(dir, { recursive: true });
  const transcript = path.join(dir, `${OLD}.jsonl`);
  writeFileSync(
    transcript,
    [
      line({ type: 'user', message: { role: 'user', content: 'Make the app start faster (HANDOFF-MARKER-REQUEST)' } }),
      tool('t1', 'Edit', { file_path: '/w/proj/src/app.ts', old_string: 'a', new_string: 'b' }),
      result('t1'),
      tool('t2', 'Bash', { command: 'npm run bench' }),
      result('t2'),
      tool('t3', 'TodoWrite', { todos: [{ content: 'Lazy-load the router', status: 'in_progress' }] }),
      result('t3'),
      line({
        type: 'assistant',
        message: { id: 'm_x', role: 'assistant', model: 'claude-opus-4-5', content: [{ type: 'text', text: 'Chose lazy imports over bundling.' }] },
      }),
    ].join('\n') + '\n',
  );
  return { transcript, dir };
}

const startInput = (sessionId: string, source: string, dir: string) => ({
  session_id: sessionId,
  transcript_path: path.join(dir, `${sessionId}.jsonl`),
  cwd: CWD,
  hook_event_name: 'SessionStart',
  source,
});

function pendingIndex(): { pending: Record<string, { file: string; reason: string; sessionId: string }>; consumed: { outcome: string; by: string }[] } {
  return JSON.parse(readFileSync(path.join(h.configDir, 'cco', 'handoffs', 'pending.json'), 'utf8'));
}

describe('PreCompact hook (built bundle)', () => {
  it('prints the keep-list as plain text and saves a pending snapshot', () => {
    const { transcript } = setup();
    const r = hook('pre-compact', {
      session_id: OLD,
      transcript_path: transcript,
      cwd: CWD,
      hook_event_name: 'PreCompact',
      trigger: 'manual',
      custom_instructions: 'keep X',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith(`${KEEP_LIST_TITLE}\n`)).toBe(true); // plain text, not hook JSON
    expect(r.stdout).toContain("- The session's objective (first request): Make the app start faster (HANDOFF-MARKER-REQUEST)");
    expect(r.stdout).toContain('- Files in progress, with the last change (else the last call) on each: /w/proj/src/app.ts (Edit)');
    expect(r.stdout).toContain('- Open todos, with their status: [in_progress] Lazy-load the router');
    const e = pendingIndex().pending[KEY]!;
    expect(e).toMatchObject({ reason: 'pre-compact (manual)', sessionId: OLD });
    expect(r.stdout).toContain(`(A fuller handoff snapshot was saved to ${e.file};`);
    const md = readFileSync(e.file, 'utf8');
    expect(md.startsWith(`${HANDOFF_TITLE}\n`)).toBe(true);
    expect(md).toContain('reason: pre-compact (manual)');
    expect(md).toContain('- `npm run bench`');
  });

  it('auto trigger; a missing transcript: exit 0, no output, one clear stderr line, nothing pending', () => {
    const { transcript, dir } = setup();
    const auto = hook('pre-compact', { session_id: OLD, transcript_path: transcript, cwd: CWD, trigger: 'auto', custom_instructions: null });
    expect(auto.code).toBe(0);
    expect(pendingIndex().pending[KEY]!.reason).toBe('pre-compact (auto)');
    const missing = path.join(dir, `${NEW}.jsonl`);
    const r = hook('pre-compact', { session_id: NEW, transcript_path: missing, cwd: '/w/other', trigger: 'auto' });
    expect(r).toEqual({ code: 0, stdout: '', stderr: `cco: PreCompact: transcript not found: ${missing}; no handoff snapshot saved\n` });
    expect(Object.keys(pendingIndex().pending)).toEqual([KEY]);
  });

  it.each([
    ['not JSON', 'nope'],
    ['empty', ''],
    ['no session id', '{"trigger":"auto"}'],
  ])('exits 0 on %s stdin, printing nothing', (_l, stdin) => {
    h = tempHome();
    const r = hook('pre-compact', stdin);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('SessionStart hook injects a pending handoff once', () => {
  it('startup in the same project: systemMessage + additionalContext, then never again', () => {
    const { transcript, dir } = setup();
    hook('pre-compact', { session_id: OLD, transcript_path: transcript, cwd: CWD, trigger: 'manual' });
    const file = pendingIndex().pending[KEY]!.file;
    const first = hook('session-start', startInput(NEW, 'startup', dir));
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout) as { systemMessage: string; hookSpecificOutput: { hookEventName: string; additionalContext: string } };
    expect(out.systemMessage).toMatch(
      new RegExp(
        `^cco: resumed from handoff ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pre-compact \\(manual\\), \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)$`,
      ),
    );
    expect(out.hookSpecificOutput.hookEventName).toBe('SessionStart');
    expect(out.hookSpecificOutput.additionalContext.split('\n')[0]).toMatch(/^This is a handoff from an earlier Claude Code session in this project/);
    expect(out.hookSpecificOutput.additionalContext).toContain(`\n\n${HANDOFF_TITLE}\n`);
    expect(out.hookSpecificOutput.additionalContext).toContain('HANDOFF-MARKER-REQUEST');
    const again = hook('session-start', startInput(NEW, 'clear', dir));
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(pendingIndex().consumed).toEqual([expect.objectContaining({ outcome: 'injected', by: NEW })]);
  });

  it("compact takes only its own session's snapshot; fork takes nothing; another project gets nothing", () => {
    const { transcript, dir } = setup();
    hook('pre-compact', { session_id: OLD, transcript_path: transcript, cwd: CWD, trigger: 'auto' });
    expect(hook('session-start', startInput(NEW, 'compact', dir)).stdout).toBe('');
    expect(hook('session-start', startInput(NEW, 'fork', dir)).stdout).toBe('');
    const elsewhere = path.join(h.configDir, 'projects', '-w-other');
    expect(hook('session-start', { ...startInput(NEW, 'startup', elsewhere), cwd: '/w/other' }).stdout).toBe('');
    expect(pendingIndex().pending[KEY]).toBeDefined();
    const own = JSON.parse(hook('session-start', startInput(OLD, 'compact', dir)).stdout) as { systemMessage: string };
    expect(own.systemMessage).toContain('(pre-compact (auto), ');
    expect(pendingIndex().pending).toEqual({});
  });

  it('is for the next new session: a resume (of the saver or another session) and the saver itself leave it pending; /clear takes it', () => {
    const { dir } = setup();
    expect(cli(['save'], { env: { CLAUDE_CODE_SESSION_ID: OLD } }).code).toBe(0);
    expect(pendingIndex().pending[KEY]).toMatchObject({ reason: 'save-and-restart', sessionId: OLD });
    expect(hook('session-start', startInput(OLD, 'resume', dir)).stdout).toBe('');
    expect(hook('session-start', startInput(NEW, 'resume', dir)).stdout).toBe('');
    // `claude --session-id <the saver's id>` starts under the saver's id: still not for it
    expect(hook('session-start', startInput(OLD, 'startup', dir)).stdout).toBe('');
    expect(pendingIndex().pending[KEY]).toBeDefined();
    expect(pendingIndex().consumed).toEqual([]);
    const cleared = JSON.parse(hook('session-start', startInput(NEW, 'clear', dir)).stdout) as { systemMessage: string };
    expect(cleared.systemMessage).toMatch(/^cco: resumed from handoff /);
    expect(pendingIndex().pending).toEqual({});
  });

  it("survives the saver's own compaction: its PreCompact does not replace it and its post-compaction start does not take it", () => {
    const { transcript, dir } = setup();
    expect(cli(['save'], { env: { CLAUDE_CODE_SESSION_ID: OLD } }).code).toBe(0);
    const saved = pendingIndex().pending[KEY]!.file;
    const pre = hook('pre-compact', { session_id: OLD, transcript_path: transcript, cwd: CWD, trigger: 'auto' });
    expect(pre.stdout).toContain('(A fuller handoff snapshot was saved to '); // the keep-list still points at its snapshot
    expect(pendingIndex().pending[KEY]).toMatchObject({ file: saved, reason: 'save-and-restart' });
    expect(hook('session-start', startInput(OLD, 'compact', dir)).stdout).toBe('');
    const next = JSON.parse(hook('session-start', startInput(NEW, 'startup', dir)).stdout) as { systemMessage: string };
    expect(next.systemMessage).toContain(`${saved} (save-and-restart, `);
  });

  it('a deleted handoff file: a clear message, nothing injected, nothing later', () => {
    const { transcript, dir } = setup();
    hook('pre-compact', { session_id: OLD, transcript_path: transcript, cwd: CWD, trigger: 'manual' });
    const file = pendingIndex().pending[KEY]!.file;
    rmSync(file);
    const r = hook('session-start', startInput(NEW, 'startup', dir));
    expect(JSON.parse(r.stdout)).toEqual({ systemMessage: `cco: the pending handoff ${file} was deleted; nothing injected` });
    expect(hook('session-start', startInput(NEW, 'startup', dir)).stdout).toBe('');
  });

  it('a hand-edited handoff is injected as edited', () => {
    const { transcript, dir } = setup();
    hook('pre-compact', { session_id: OLD, transcript_path: transcript, cwd: CWD, trigger: 'manual' });
    const file = pendingIndex().pending[KEY]!.file;
    writeFileSync(file, '# My own notes\nStart with the router (EDITED-MARKER).\n');
    const out = JSON.parse(hook('session-start', startInput(NEW, 'startup', dir)).stdout) as {
      systemMessage: string;
      hookSpecificOutput: { additionalContext: string };
    };
    expect(out.systemMessage).toMatch(/, edited since it was saved\)$/);
    expect(out.hookSpecificOutput.additionalContext).toMatch(/\n\n# My own notes\nStart with the router \(EDITED-MARKER\)\.\n$/);
  });
});

describe('cco handoff (built CLI)', () => {
  it('save: builds, saves and marks pending; prints path, markdown and how to continue; show and list find it', () => {
    setup();
    const r = cli(['save'], { env: { CLAUDE_CODE_SESSION_ID: OLD } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = pendingIndex().pending[KEY]!.file;
    expect(r.stdout.split('\n')[0]).toBe(`cco: handoff of session ${OLD} saved to ${file}`);
    expect(r.stdout).toContain(`${HANDOFF_TITLE}\n`);
    expect(r.stdout).toContain('reason: save-and-restart');
    expect(r.stdout).toContain('- `/w/proj/src/app.ts`: Edit');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('To continue from this handoff, start a new session: type /clear, or exit and run `claude` in /w/proj.');
    expect(readFileSync(file, 'utf8')).toBe(r.stdout.slice(r.stdout.indexOf(HANDOFF_TITLE), r.stdout.lastIndexOf('\nTo continue')));

    const show = cli(['show', '--project', CWD]);
    expect(show.code).toBe(0);
    expect(show.stdout.split('\n')[0]).toBe(`Pending handoff for ${CWD}: ${file}`);
    expect(show.stdout).toContain('HANDOFF-MARKER-REQUEST');
    const list = cli(['list']);
    expect(list.stdout).toContain(`  ${CWD}  `);
    expect(list.stdout).toMatch(new RegExp(`pending\\s+${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const json = JSON.parse(cli(['list', '--json']).stdout) as { pending: { project: string; file: string }[]; files: { file: string; status: string }[] };
    expect(json.pending).toEqual([expect.objectContaining({ project: CWD, file })]);
    expect(json.files).toEqual([expect.objectContaining({ file, status: 'pending' })]);
  });

  it("show finds a long project's handoff, keyed by Claude Code's own (hashed) folder name, by its directory", () => {
    const { transcript } = setup();
    const longDir = `/${'d'.repeat(250)}`;
    const claudeKey = `-${'d'.repeat(199)}-claudehash`;
    const dir = path.join(h.configDir, 'projects', claudeKey);
    mkdirSync(dir, { recursive: true });
    const moved = path.join(dir, `${OLD}.jsonl`);
    writeFileSync(moved, readFileSync(transcript, 'utf8'));
    expect(hook('pre-compact', { session_id: OLD, transcript_path: moved, cwd: longDir, trigger: 'auto' }).code).toBe(0);
    expect(Object.keys(pendingIndex().pending)).toEqual([claudeKey]);
    const show = cli(['show', '--project', longDir]);
    expect(show.stdout.split('\n')[0]).toBe(`Pending handoff for ${longDir}: ${pendingIndex().pending[claudeKey]!.file}`);
  });

  it('save --stdin saves the given markdown; --dry-run saves nothing', () => {
    setup();
    const dry = cli(['save', '--dry-run', '--session', OLD]);
    expect(dry.code).toBe(0);
    expect(dry.stdout.startsWith(HANDOFF_TITLE)).toBe(true);
    expect(existsSync(path.join(h.configDir, 'cco', 'handoffs', 'pending.json'))).toBe(false);
    const r = cli(['save', '--stdin', '--session', OLD], { input: '# Rich handoff\n\nWritten by the agent.\n' });
    expect(r.code).toBe(0);
    const file = pendingIndex().pending[KEY]!.file;
    expect(readFileSync(file, 'utf8')).toBe('# Rich handoff\n\nWritten by the agent.\n');
  });

  it('clear one-line errors: empty stdin, a session with nothing done, no session, unknown subcommand', () => {
    setup();
    expect(cli(['save', '--stdin', '--session', OLD], { input: '  \n' })).toMatchObject({
      code: 1,
      stderr: 'cco handoff: --stdin: no handoff markdown on stdin; nothing saved\n',
    });
    const dir = path.join(h.configDir, 'projects', KEY);
    writeFileSync(
      path.join(dir, `${NEW}.jsonl`),
      JSON.stringify({
        type: 'user',
        sessionId: NEW,
        cwd: CWD,
        timestamp: new Date().toISOString(),
        message: { role: 'user', content: '<command-name>/cco:save-and-restart</command-name>' },
      }) + '\n',
    );
    expect(cli(['save'], { env: { CLAUDE_CODE_SESSION_ID: NEW } })).toMatchObject({
      code: 1,
      stderr: `cco handoff: session ${NEW} has nothing to hand off yet (no requests, tool calls or replies in its transcript)\n`,
    });
    expect(existsSync(path.join(h.configDir, 'cco', 'handoffs', 'pending.json'))).toBe(false);
    expect(cli(['save', '--session', 'nope'])).toMatchObject({ code: 1, stderr: 'cco handoff: no tracked session with id nope\n' });
    expect(cli(['frob'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `cco handoff: unknown action "frob" (actions: save, show, list); see node "${path.join(ROOT, 'dist', 'cli.mjs')}" handoff --help\n`,
    });
    expect(cli(['save', '--stdin', '--dry-run'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `cco handoff save: --stdin and --dry-run do not go together; see node "${path.join(ROOT, 'dist', 'cli.mjs')}" handoff save --help\n`,
    });
    h.cleanup();
    h = tempHome();
    expect(cli(['save'])).toMatchObject({
      code: 1,
      stderr: 'cco handoff: no Claude Code session to hand off here (run /save-and-restart inside a session, or pass --session <id>)\n',
    });
    expect(cli(['show', '--project', '/nowhere'])).toMatchObject({ code: 0, stdout: 'No pending handoff for /nowhere.\n' });
  });
});
