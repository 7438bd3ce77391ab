// Fuzzing the stdin of the real bundles: every hook and the status line get random bytes, truncated
// JSON, wrong types, missing fields, deep nesting and oversized payloads. A hook always exits 0 with at
// most one clear line on stderr (exactly one when the payload is unusable), the status line always
// prints exactly one line, and the state files stay intact.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HOOK_STDIN_BYTES } from '../../src/front/hook-stdin.ts';
import { OURS, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { diffSnapshots, HOOK_BUNDLES, pool, runBundle, seeded, snapshot, syncTracker } from '../helpers/spawn-bundle.ts';
import { assistantLine } from '../helpers/one-response.ts';

const HOOKS = [
  ['session-start', 'SessionStart'],
  ['post-tool-use', 'PostToolUse'],
  ['stop', 'Stop'],
  ['pre-compact', 'PreCompact'],
  ['session-end', 'SessionEnd'],
] as const;

let h: TempHome;
let transcript: string;
const KEEP = {
  sessionId: 'keep-me',
  cwd: '/k',
  transcriptPath: null,
  model: null,
  source: 'startup',
  startedAt: '2026-01-01T00:00:00.000Z',
  lastSeenAt: '2026-01-01T00:00:00.000Z',
  endedAt: null,
  endReason: null,
  tokens: { input_tokens: 11, output_tokens: 22, cache_creation_input_tokens: 33, cache_read_input_tokens: 44 },
  entries: 3,
  firstUsageAt: null,
  lastUsageAt: null,
  tools: {},
  context: null,
  hookEvents: { Stop: 1 },
};

beforeAll(() => {
  h = tempHome();
  const dir = path.join(h.configDir, 'projects', '-work-p');
  mkdirSync(dir, { recursive: true });
  transcript = path.join(dir, 'fuzz-sess.jsonl');
  writeFileSync(
    transcript,
    assistantLine({
      sessionId: 'fuzz-sess',
      id: '1',
      cwd: '/work/p',
      model: 'claude-opus-4-5',
      stopReason: 'end_turn',
      content: [{ type: 'text', text: 'hi' }],
      usage: [5, 6, 7, 8],
    }) + '\n',
  );
  mkdirSync(path.join(h.configDir, 'cco'), { recursive: true });
  writeFileSync(path.join(h.configDir, 'cco', 'config.json'), JSON.stringify({ quota: { desktopNotifications: false } }));
  writeFileSync(path.join(h.configDir, 'session-tracker.json'), JSON.stringify({ version: 1, sessions: { 'keep-me': KEEP } }));
});
afterAll(() => h.cleanup());

interface Case {
  label: string;
  stdin: string | Buffer;
  /** True when the payload is usable: the hook must then be silent on stderr. */
  usable: boolean;
  /** The one field given a wrong type, for those cases. */
  field?: string;
}

/** The fuzz cases for one event, from a seeded PRNG (the same cases on every run). */
function cases(event: string, seed: number): Case[] {
  const rng = seeded(seed);
  const int = (n: number) => Math.floor(rng() * n);
  const valid = {
    session_id: 'fuzz-sess',
    transcript_path: transcript,
    cwd: '/work/p',
    hook_event_name: event,
    source: 'startup',
    reason: 'other',
    trigger: 'manual',
    custom_instructions: null,
    tool_name: 'Bash',
    tool_input: { command: 'ls' },
    tool_response: { stdout: 'x' },
  };
  const text = JSON.stringify(valid);
  const out: Case[] = [];
  for (let i = 0; i < 3; i++)
    out.push({ label: `random bytes #${i}`, stdin: Buffer.from(Array.from({ length: 1 + int(4096) }, () => int(256))), usable: false });
  for (let i = 0; i < 3; i++) out.push({ label: `truncated at ${i}`, stdin: text.slice(0, 1 + int(text.length - 2)), usable: false });
  const wrong: [string, unknown][] = [
    ['session_id', 42],
    ['session_id', ''],
    ['session_id', null],
    ['session_id', ['a']],
    ['transcript_path', 42],
    ['cwd', {}],
    ['model', 5],
    ['tool_name', []],
    ['reason', false],
  ];
  for (const [k, v] of wrong) out.push({ label: `${k} = ${JSON.stringify(v)}`, stdin: JSON.stringify({ ...valid, [k]: v }), usable: false, field: k });
  // A malformed SessionStart `source` counts as absent (as `startup`): it costs neither tracking nor the handoff.
  for (const v of [{ a: 1 }, null, 7])
    out.push({ label: `source = ${JSON.stringify(v)}`, stdin: JSON.stringify({ ...valid, source: v }), usable: true, field: 'source' });
  const { session_id: _s, ...noSession } = valid;
  out.push({ label: 'no session_id', stdin: JSON.stringify(noSession), usable: false });
  for (const v of ['[]', '"a string"', 'null', '123', 'true', '', ' \n ', '{}']) out.push({ label: `JSON ${JSON.stringify(v)}`, stdin: v, usable: false });
  out.push({
    label: 'invalid UTF-8 inside a string',
    stdin: Buffer.concat([Buffer.from('{"session_id":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
    usable: true,
  });
  out.push({ label: 'deep nesting', stdin: `{"session_id":"fuzz-sess","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, usable: true });
  out.push({ label: 'two objects back to back', stdin: `${text}${text}`, usable: false });
  // Usable: only the session id is required; unknown fields and odd-but-valid values pass.
  out.push({ label: 'only session_id', stdin: '{"session_id":"fuzz-sess"}', usable: true });
  out.push({ label: 'unknown fields', stdin: JSON.stringify({ ...valid, future_field: { a: [1, 2, 3] }, effort: { level: 'max' } }), usable: true });
  out.push({
    label: 'unicode and path-like session id',
    stdin: JSON.stringify({ ...valid, session_id: '../../é🚀/..', transcript_path: undefined }),
    usable: true,
  });
  out.push({
    label: 'transcript that does not exist',
    stdin: JSON.stringify({ ...valid, transcript_path: path.join(h.configDir, 'projects', '-work-p', 'nope.jsonl') }),
    usable: true,
  });
  out.push({ label: '5 MB tool_response', stdin: JSON.stringify({ ...valid, tool_response: { stdout: 'y'.repeat(5 << 20) } }), usable: true });
  out.push({ label: 'model object', stdin: JSON.stringify({ ...valid, model: { id: 'claude-opus-4-5', display_name: 'Opus' } }), usable: true });
  return out;
}

/** Hooks whose front checks only that stdin is a JSON object with a session id; the background tracker validates the rest (and logs what it refuses). */
const FRONT_EVENTS = new Set(['SessionStart', 'PostToolUse', 'Stop', 'SessionEnd']);

/** The payload fields the background tracker reads (src/front/spool.ts keeps these and drops the rest). */
const TRACKED_FIELDS = new Set(['session_id', 'transcript_path', 'cwd', 'hook_event_name', 'source', 'model', 'agent_type', 'agent_id', 'reason']);

/** Whether a front takes the payload in: a JSON object with a non-empty string session_id. */
function frontTakes(stdin: string | Buffer): boolean {
  try {
    const v = JSON.parse(stdin.toString()) as unknown;
    const sid = (v as { session_id?: unknown } | null)?.session_id;
    return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof sid === 'string' && sid.length > 0;
  } catch {
    return false;
  }
}

function checkHookRun(label: string, event: string, c: Case, r: Awaited<ReturnType<typeof runBundle>>): void {
  const where = `${event} / ${c.label}: ${JSON.stringify(r)}`.slice(0, 600);
  expect(r.code, where).toBe(0);
  expect(r.stdinError, where).toBeNull();
  if (FRONT_EVENTS.has(event) && !c.usable && frontTakes(c.stdin)) c = { ...c, usable: true }; // refused later, by the tracker (in the log)
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  // PreCompact says in one line when it cannot save its snapshot (no transcript to build it from).
  if (c.usable && event === 'PreCompact')
    expect(
      lines.filter((l) => !/^cco: PreCompact: .*no handoff snapshot saved$/.test(l)),
      where,
    ).toEqual([]);
  else if (c.usable) expect(lines, where).toEqual([]);
  else {
    expect(lines, where).toHaveLength(1);
    expect(lines[0], where).toMatch(new RegExp(`^cco: ${event} hook: \\S`));
  }
  // Hook output is JSON (PreCompact prints its keep-list as plain text, which Claude Code appends).
  if (event !== 'PreCompact' && r.stdout.trim() !== '') expect(() => JSON.parse(r.stdout), where).not.toThrow();
  void label;
}

describe('fuzzed hook stdin (real bundles)', () => {
  it('every hook exits 0 with one clear line for an unusable payload and silence otherwise; state stays intact', async () => {
    const before = snapshot(h.home);
    const jobs = HOOKS.flatMap(([file, event], i) =>
      cases(event, 1000 + i).map((c) => async () => {
        const r = await runBundle(HOOK_BUNDLES[file], c.stdin, h.env());
        checkHookRun(c.label, event, c, r);
        return r;
      }),
    );
    expect(jobs.length).toBeGreaterThan(150);
    await pool(jobs, 4);
    await syncTracker(h.env());

    // State intact: the session that was there is untouched, every file of ours parses, nothing was quarantined.
    const tracker = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, typeof KEEP> };
    expect(tracker.sessions['keep-me']).toEqual(KEEP);
    expect(tracker.sessions['fuzz-sess']!.tokens).toEqual({ input_tokens: 5, output_tokens: 6, cache_creation_input_tokens: 7, cache_read_input_tokens: 8 });
    expect(readdirSync(h.configDir).filter((n) => n.includes('.corrupt-'))).toEqual([]);
    // Only our own files changed.
    const { changed, removed } = diffSnapshots(before, snapshot(h.home));
    expect(removed).toEqual([]);
    expect(changed.filter((p) => !OURS.test(p))).toEqual([]);
    // Every unusable payload left one error line in our log, too.
    const log = readFileSync(path.join(h.configDir, 'cco', 'logs', 'cco.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; msg: string });
    // A front refuses what is not an object with a session id; the tracker refuses a wrong type in a
    // field it tracks with (it keeps no other: a wrong `tool_name` changes nothing there).
    const refused = (e: string, c: Case) => !c.usable && (!FRONT_EVENTS.has(e) || c.field === undefined || TRACKED_FIELDS.has(c.field));
    const unusable = HOOKS.flatMap(([, e], i) => cases(e, 1000 + i).filter((c) => refused(e, c))).length;
    expect(log.filter((l) => l.level === 'error')).toHaveLength(unusable);
  }, 240_000);

  it('a transcript_path that is a folder: the hook exits 0 silently, the tracker refuses it with one line before opening it', async () => {
    const logFile = path.join(h.configDir, 'cco', 'logs', 'cco.log');
    const before = readFileSync(logFile, 'utf8').split('\n').length;
    const r = await runBundle(HOOK_BUNDLES.stop, JSON.stringify({ session_id: 'dir-sess', transcript_path: h.configDir }), h.env());
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: '' });
    await syncTracker(h.env());
    const added = readFileSync(logFile, 'utf8')
      .split('\n')
      .slice(before - 1)
      .filter((l) => l !== '');
    expect(added).toHaveLength(1);
    expect(JSON.parse(added[0]!)).toMatchObject({
      level: 'warn',
      where: 'Stop',
      msg: expect.stringMatching(/^transcript_path .* of session dir-sess is a directory; the event is not tracked$/),
    });
  });

  it(`refuses a 50 MB payload with one line, drains the rest (no EPIPE for the writer), and exits 0 quickly`, async () => {
    const big = Buffer.alloc(50 << 20, 0x61);
    Buffer.from('{"session_id":"big","x":"').copy(big);
    for (const [file, event] of HOOKS) {
      const r = await runBundle(HOOK_BUNDLES[file], big, h.env());
      expect(r.code, event).toBe(0);
      expect(r.stdinError, event).toBeNull();
      expect(r.stderr).toBe(`cco: ${event} hook: stdin over ${MAX_HOOK_STDIN_BYTES} bytes; payload ignored\n`);
      expect(r.ms, event).toBeLessThan(8_000);
    }
    await syncTracker(h.env());
    const tracker = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, unknown> };
    expect(tracker.sessions.big).toBeUndefined();
  }, 120_000);

  it('does not wait forever for a writer that sends too much and never closes stdin', async () => {
    const { spawn } = await import('node:child_process');
    const { ROOT } = await import('../helpers/sandbox-env.ts');
    const r = await new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) => {
      const t0 = Date.now();
      const p = spawn(process.execPath, [path.join(ROOT, 'dist', HOOK_BUNDLES['post-tool-use'])], { env: h.env() });
      let stderr = '';
      p.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      p.stdin.on('error', () => undefined);
      p.stdin.write(Buffer.alloc(MAX_HOOK_STDIN_BYTES + (1 << 20), 0x61)); // and never end()
      const kill = setTimeout(() => p.kill('SIGKILL'), 20_000);
      p.on('close', (code) => {
        clearTimeout(kill);
        resolve({ code, stderr, ms: Date.now() - t0 });
      });
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`cco: PostToolUse hook: stdin over ${MAX_HOOK_STDIN_BYTES} bytes; payload ignored\n`);
    expect(r.ms).toBeLessThan(10_000); // STDIN_DRAIN_MS (2 s) plus start-up, well inside the hook timeout
  }, 30_000);

  it('accepts a payload just under the cap', async () => {
    const pad = 'z'.repeat(MAX_HOOK_STDIN_BYTES - 200);
    const r = await runBundle(HOOK_BUNDLES['post-tool-use'], JSON.stringify({ session_id: 'near-cap', tool_response: { stdout: pad } }), h.env());
    expect(r).toMatchObject({ code: 0, stderr: '', stdinError: null });
    await syncTracker(h.env());
    const tracker = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as {
      sessions: Record<string, { hookEvents: Record<string, number> }>;
    };
    expect(tracker.sessions['near-cap']!.hookEvents).toEqual({ PostToolUse: 1 });
  }, 60_000);
});

describe('fuzzed status line stdin (real bundle)', () => {
  it('always prints exactly one line and exits 0, whatever comes in', async () => {
    const rng = seeded(77);
    const int = (n: number) => Math.floor(rng() * n);
    const good = JSON.stringify({
      session_id: 'sl-sess',
      transcript_path: transcript,
      cwd: '/work/p',
      model: { id: 'claude-opus-4-5', display_name: 'Opus' },
      context_window: {
        total_input_tokens: 5000,
        context_window_size: 200000,
        current_usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 4999 },
        used_percentage: 3,
        remaining_percentage: 97,
      },
      rate_limits: { five_hour: { used_percentage: 12.5, resets_at: Math.floor(Date.now() / 1000) + 3600 } },
    });
    const inputs: (string | Buffer)[] = [
      '',
      'not json',
      '[]',
      'null',
      '42',
      '{}',
      good,
      good.slice(0, int(good.length)),
      `${good}${good}`,
      Buffer.from(Array.from({ length: 2048 }, () => int(256))),
      JSON.stringify({ session_id: 5, context_window: 'big', rate_limits: [1, 2], model: 'x', cwd: {} }),
      JSON.stringify({
        session_id: 'sl-sess',
        context_window: { used_percentage: 'NaN', context_window_size: -1, current_usage: null },
        rate_limits: { five_hour: { used_percentage: 1e308, resets_at: 'soon' }, seven_day: null },
      }),
      JSON.stringify({ session_id: 'sl-sess', rate_limits: { five_hour: { used_percentage: -5, resets_at: 1 } } }),
      `{"session_id":"sl-sess","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    ];
    const runs = await pool(
      inputs.map((stdin) => () => runBundle('cli.mjs', stdin, h.env(), { args: ['statusline'] })),
      4,
    );
    runs.forEach((r, i) => {
      const where = `input #${i}: ${JSON.stringify(r).slice(0, 400)}`;
      expect(r.code, where).toBe(0);
      expect(r.stderr, where).toBe('');
      expect(r.stdout.endsWith('\n'), where).toBe(true);
      expect(r.stdout.trimEnd().split('\n'), where).toHaveLength(1);
    });
    expect(runs[1]!.stdout).toMatch(/n\/a \(stdin is not JSON\)/);
    const tracker = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, typeof KEEP> };
    expect(tracker.sessions['keep-me']).toEqual(KEEP);
    expect(readdirSync(h.configDir).filter((n) => n.includes('.corrupt-'))).toEqual([]);
  }, 120_000);

  it('prints one line for a 50 MB payload', async () => {
    const big = Buffer.alloc(50 << 20, 0x20);
    Buffer.from('{"session_id":"sl-big","pad":"').copy(big);
    big.write('"}', big.length - 2);
    const r = await runBundle('cli.mjs', big, h.env(), { args: ['statusline'] });
    expect(r).toMatchObject({ code: 0, stderr: '', stdinError: null });
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  }, 60_000);
});
