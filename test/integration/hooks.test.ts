import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { runHookSync } from '../helpers/spawn-bundle.ts';
import { assistantLine } from '../helpers/one-response.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

const HOOKS = ['session-start', 'post-tool-use', 'stop', 'session-end'] as const;

/** Runs a built hook bundle as Claude Code does (JSON on stdin), then lets its background tracking finish. */
function hook(name: (typeof HOOKS)[number], stdin: string | Buffer, env = h.env()) {
  return runHookSync(name, stdin, env);
}

const usageLine = (id: string, ts: string, u: [number, number, number, number]): string =>
  assistantLine({
    sessionId: 'sess-1',
    id,
    timestamp: ts,
    cwd: '/work/p',
    isSidechain: false,
    model: 'claude-opus-4-5',
    content: [{ type: 'tool_use', id: `toolu_${id}`, name: 'Bash', input: { command: 'ls' } }],
    usage: u,
  });

function setup(): { transcript: string; payload: (event: string) => string } {
  h = tempHome();
  const dir = path.join(h.configDir, 'projects', '-work-p');
  mkdirSync(dir, { recursive: true });
  const transcript = path.join(dir, 'sess-1.jsonl');
  return {
    transcript,
    payload: (event) =>
      JSON.stringify({ session_id: 'sess-1', transcript_path: transcript, cwd: '/work/p', hook_event_name: event, source: 'startup', tool_name: 'Bash' }),
  };
}

function tracker(): {
  sessions: Record<string, { tokens: Record<string, number>; entries: number; endedAt: string | null; hookEvents: Record<string, number> }>;
} {
  return JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8'));
}

describe('hook entrypoints (built bundles)', () => {
  it('track a growing transcript exactly: streamed copies count once, at their final size', () => {
    const { transcript, payload } = setup();
    const now = new Date().toISOString();
    expect(hook('session-start', payload('SessionStart')).code).toBe(0); // before the transcript exists
    writeFileSync(transcript, usageLine('1', now, [10, 1, 100, 1000]) + '\n');
    expect(hook('post-tool-use', payload('PostToolUse'))).toMatchObject({ code: 0, stderr: '' });
    appendFileSync(transcript, usageLine('1', now, [10, 40, 100, 1000]) + '\n' + usageLine('2', now, [5, 7, 50, 1100]) + '\n');
    expect(hook('stop', payload('Stop'))).toMatchObject({ code: 0, stderr: '' });
    const s = tracker().sessions['sess-1']!;
    expect(s.tokens).toEqual({ input_tokens: 15, output_tokens: 47, cache_creation_input_tokens: 150, cache_read_input_tokens: 2100 });
    expect(s.entries).toBe(2);
    expect(s.hookEvents).toEqual({ SessionStart: 1, PostToolUse: 1, Stop: 1 });
    const quota = JSON.parse(readFileSync(path.join(h.accountDir, 'quota-tracker.json'), 'utf8')) as { blocks: { tokens: unknown; entries: number }[] };
    expect(quota.blocks.at(-1)!.tokens).toEqual(s.tokens);
    expect(quota.blocks.at(-1)!.entries).toBe(2);
    expect(hook('session-end', JSON.stringify({ session_id: 'sess-1', transcript_path: transcript, reason: 'other' })).code).toBe(0);
    expect(tracker().sessions['sess-1']!.endedAt).not.toBeNull();
  });

  it.each([
    ['not JSON', 'this is not json', /stdin is not JSON/],
    ['empty', '', /stdin is not JSON/],
    ['truncated JSON', '{"session_id": "a", "transcript_pa', /stdin is not JSON/],
    ['wrong types', '{"session_id": 42}', /session_id/],
    ['missing session id', '{"transcript_path": "/x"}', /session_id/],
    ['random bytes', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)), /stdin is not JSON/],
  ])('exit 0 with one stderr line and a log line on %s stdin', (_label, stdin, msg) => {
    h = tempHome();
    for (const name of HOOKS) {
      const r = hook(name, stdin);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
    const log = readFileSync(path.join(h.configDir, 'cco', 'logs', 'cco.log'), 'utf8')
      .trim()
      .split('\n');
    expect(log).toHaveLength(HOOKS.length);
    expect(log.every((l) => (JSON.parse(l) as { level: string }).level === 'error')).toBe(true);
  });

  it('exit 0 silently for a transcript that does not exist, and still register the session', () => {
    const { payload } = setup();
    const r = hook('post-tool-use', payload('PostToolUse'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(tracker().sessions['sess-1']!.entries).toBe(0);
  });

  it('quarantine a corrupt session tracker, rebuild it, and lose no usage', () => {
    const { transcript, payload } = setup();
    writeFileSync(transcript, usageLine('1', new Date().toISOString(), [1, 2, 3, 4]) + '\n');
    mkdirSync(h.configDir, { recursive: true });
    mkdirSync(h.accountDir, { recursive: true });
    writeFileSync(path.join(h.configDir, 'session-tracker.json'), '{"version":1,"sessions":{"x":');
    writeFileSync(path.join(h.accountDir, 'quota-tracker.json'), '[]');
    const r = hook('stop', payload('Stop'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    // The background tracker met the corrupt files: it says so in the log (a hook's stderr is long gone).
    expect(readFileSync(path.join(h.configDir, 'cco', 'logs', 'cco.log'), 'utf8')).toMatch(/session-tracker\.json was unreadable/);
    const names = readdirSync(h.configDir);
    expect(names.filter((n) => n.startsWith('session-tracker.json.corrupt-'))).toHaveLength(1);
    expect(readdirSync(h.accountDir).filter((n) => n.startsWith('quota-tracker.json.corrupt-'))).toHaveLength(1);
    expect(tracker().sessions['sess-1']!.tokens).toEqual({ input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 });
    const quota = JSON.parse(readFileSync(path.join(h.accountDir, 'quota-tracker.json'), 'utf8')) as { blocks: { entries: number }[] };
    expect(quota.blocks.at(-1)!.entries).toBe(1);
  });

  it('rebuild a deleted quota tracker from the transcripts, not just from the latest lines', () => {
    const { transcript, payload } = setup();
    const now = new Date().toISOString();
    writeFileSync(transcript, usageLine('1', now, [1, 1, 1, 1]) + '\n');
    hook('post-tool-use', payload('PostToolUse'));
    const qf = path.join(h.accountDir, 'quota-tracker.json');
    writeFileSync(qf, JSON.stringify({ version: 1, blocks: [], seen: {}, updatedAt: null }));
    appendFileSync(transcript, usageLine('2', now, [2, 2, 2, 2]) + '\n');
    hook('post-tool-use', payload('PostToolUse'));
    const quota = JSON.parse(readFileSync(qf, 'utf8')) as { blocks: { entries: number; tokens: Record<string, number> }[] };
    expect(quota.blocks.at(-1)!.entries).toBe(2);
    expect(quota.blocks.at(-1)!.tokens.input_tokens).toBe(3);
  });

  it('work with a config dir that has no projects/ folder yet', () => {
    h = tempHome();
    const r = hook('session-start', JSON.stringify({ session_id: 'new', cwd: '/x', source: 'startup' }));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(path.join(h.configDir, 'session-tracker.json'))).toBe(true);
  });
});

describe('cco CLI errors', () => {
  it('prints one clear line: exit 2 for an unknown command, exit 1 for an unknown session', () => {
    h = tempHome();
    const bin = path.join(ROOT, 'dist', 'cli.mjs');
    const cli = (...a: string[]) => spawnSync('node', [bin, ...a], { env: h.env(), encoding: 'utf8' });
    const bad = cli('frobnicate');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`cco: unknown command "frobnicate"; see node "${bin}" --help\n`);
    const noSession = cli('status', '--session', 'nope');
    expect(noSession.status).toBe(1);
    expect(noSession.stderr).toBe('cco status: no tracked session with id nope\n');
  });

  it('reports a config that fails the schema and falls back to the defaults', () => {
    h = tempHome();
    mkdirSync(path.join(h.configDir, 'cco'), { recursive: true });
    writeFileSync(path.join(h.configDir, 'cco', 'config.json'), '{"plan":"platinum"}');
    const r = spawnSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'status'], { env: h.env(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('pro: 200,000 tokens / 5h');
    expect(r.stdout).toMatch(/Note: .*config\.json ignored \(schema: plan:/);
  });
});

describe('a trigger that dies between the transcript cache and the quota tracker', () => {
  it('loses nothing: the next trigger merges the usage the dead one had already read', () => {
    const { transcript, payload } = setup();
    const now = new Date().toISOString();
    writeFileSync(transcript, usageLine('1', now, [1, 1, 1, 1]) + '\n');
    hook('post-tool-use', payload('PostToolUse'));
    const qf = path.join(h.accountDir, 'quota-tracker.json');
    const before = readFileSync(qf, 'utf8');
    appendFileSync(transcript, usageLine('2', now, [2, 2, 2, 2]) + '\n');
    hook('post-tool-use', payload('PostToolUse'));
    // Simulate the kill: the transcript cache advanced past line 2, the quota write never happened.
    writeFileSync(qf, before);
    hook('stop', payload('Stop'));
    const quota = JSON.parse(readFileSync(qf, 'utf8')) as { blocks: { entries: number; tokens: Record<string, number> }[] };
    expect(quota.blocks.at(-1)!.entries).toBe(2);
    expect(quota.blocks.at(-1)!.tokens.output_tokens).toBe(3);
  });
});
