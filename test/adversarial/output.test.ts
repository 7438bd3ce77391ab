import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayText, terminalText } from '../../src/render/display-text.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { hookCommand, hookEnv, type HookName } from '../helpers/spawn-bundle.ts';
import { adversary } from './tally.ts';

// Issue 18, class "output": a working directory, session name, title, model or tool name with terminal
// escape sequences in it (from a transcript, a payload or a state file) never reaches a terminal raw:
// no colour, no title change, no clipboard write (OSC 52), no hyperlink (OSC 8), no bell, no line of its
// own. Checked on the built CLI, the status line and the hooks' messages.

const newHome = tempHomePerTest();
const CLI = path.join(ROOT, 'dist', 'cli.mjs');

/** Every byte that drives a terminal: C0 but line feed and tab, DEL, C1 (as characters of the decoded text). */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** Hostile strings, each with a marker that must never start a line of its own. */
const HOSTILE: Record<string, string> = {
  'CSI colour ESC[31m': '\x1b[31mRED\x1b[0m',
  'OSC 0 title': '\x1b]0;owned title\x07',
  'OSC 52 clipboard': '\x1b]52;c;cm0gLXJmIH4=\x07',
  'OSC 8 hyperlink': '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\',
  'BEL and NUL': 'bell\x07nul\x00',
  'C1 CSI \\u009b': '\u009b2J\u009d0;t\u009c',
  'newline in a name': 'line\nINJECTED LINE',
  'CR over the line': 'good\rFAKE',
  'DEL and backspace': 'a\x7fb\x08c',
};

function cli(args: string[], env: Record<string, string>, input = '') {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, input, encoding: 'utf8', timeout: 60_000, cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function hook(name: HookName, payload: object, env: Record<string, string>) {
  const stdin = JSON.stringify(payload);
  const r = spawnSync('/bin/sh', ['-c', hookCommand(name)], { input: stdin, env: hookEnv(stdin, env), encoding: 'utf8', timeout: 20_000, cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Fails naming the first raw control byte and its line, and (unless `lines` is false) any line the
 * hostile text started: a name from a transcript or payload is shown on one line.
 */
function expectSafe(what: string, text: string, lines = true): void {
  const bad = text.split('\n').find((l) => RAW_CONTROL.test(l));
  expect(bad === undefined ? null : `${what}: ${JSON.stringify(bad).slice(0, 160)}`).toBeNull();
  const started = lines ? text.split('\n').filter((l) => /^(INJECTED LINE|FAKE)/.test(l)) : [];
  if (started.length > 0) throw new Error(`${what}: a name started ${started.length} line(s): ${JSON.stringify(started[0]).slice(0, 120)}`);
}

/** A config dir whose session has `evil` in its cwd, model, tool name, prompt and title. */
function hostileSession(h: TempHome, evil: string): { env: Record<string, string>; transcript: string; sid: string; cwd: string } {
  const sid = 'sess-out';
  const cwd = `/work/p${evil}`;
  const dir = path.join(h.configDir, 'projects', '-work-p');
  mkdirSync(dir, { recursive: true });
  const transcript = path.join(dir, `${sid}.jsonl`);
  const now = new Date().toISOString();
  writeFileSync(
    transcript,
    [
      { type: 'user', sessionId: sid, timestamp: now, cwd, message: { role: 'user', content: `please ${evil}` } },
      {
        type: 'assistant',
        sessionId: sid,
        requestId: 'r1',
        timestamp: now,
        cwd,
        message: {
          id: 'm1',
          model: `claude-${evil}`,
          content: [
            { type: 'tool_use', id: 't1', name: `Bash${evil}`, input: { command: `ls ${evil}`, file_path: `/work/p/f${evil}` } },
            { type: 'text', text: `done ${evil}` },
          ],
          usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 },
        },
      },
      { type: 'custom-title', customTitle: `title ${evil}`, sessionId: sid },
      { type: 'summary', summary: `summary ${evil}` },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  const env = h.env();
  const payload = (event: string) => ({
    session_id: sid,
    hook_event_name: event,
    cwd,
    transcript_path: transcript,
    source: 'startup',
    tool_name: `Bash${evil}`,
    model: { id: `claude-${evil}`, display_name: evil },
  });
  for (const [name, ev] of [
    ['session-start', 'SessionStart'],
    ['stop', 'Stop'],
  ] as const)
    expectSafe(`${ev} hook stderr`, hook(name, payload(ev), env).stderr);
  expect(cli(['sync'], env).code).toBe(0);
  return { env, transcript, sid, cwd };
}

describe('adversarial: output', () => {
  it('the pure helpers: displayText makes one clean line, terminalText escapes every control byte', async () => {
    const t = adversary('output');
    for (const [what, evil] of Object.entries(HOSTILE)) {
      await t.case(`helpers on ${what}`, () => {
        const shown = displayText(`name ${evil} end`);
        expect(shown).not.toMatch(RAW_CONTROL);
        expect(shown).not.toContain('\n');
        const escaped = terminalText(`a ${evil}\nb`);
        expect(escaped).not.toMatch(RAW_CONTROL);
        expect(escaped.endsWith('\nb')).toBe(true); // line feeds of the output itself are kept
        expect(JSON.parse(terminalText(JSON.stringify({ evil })))).toEqual({ evil }); // JSON still parses to the same value
      });
    }
    t.done();
  });

  it('cco status, sessions, report, context, tools, plan, handoff and doctor print no raw control byte', async () => {
    const t = adversary('output');
    for (const [what, evil] of Object.entries(HOSTILE)) {
      await t.case(`${what} in cwd, model, tool, prompt, title`, () => {
        const h = newHome();
        const { env, sid } = hostileSession(h, evil);
        const runs: string[][] = [
          ['status'],
          ['status', '--session', sid],
          ['sessions'],
          ['report'],
          ['context', '--session', sid],
          ['tools'],
          ['handoff', 'save', '--session', sid],
          ['handoff', 'list'],
          ['handoff', 'show', '--project', `/work/p${evil.replace(/\0/g, '')}`],
          ['doctor'],
        ];
        for (const args of runs) {
          const r = cli(args, env);
          expectSafe(`cco ${args.join(' ')} stdout`, r.stdout);
          expectSafe(`cco ${args.join(' ')} stderr`, r.stderr);
        }
        // The plan queue's text is the person's own (typed, or their markdown plan; argv holds no NUL):
        // no byte of it drives the terminal, and a line break in it is shown as a space.
        const arg = evil.replace(/\0/g, '');
        expect(
          cli(['plan', 'add', '--title', `plan ${arg}`, '--tokens', '1000', '--hours', '1', '--objective', `obj ${arg}`, '--project', `/work/p${arg}`], env)
            .code,
        ).toBe(0);
        for (const args of [
          ['plan', 'list'],
          ['plan', 'show', 's1'],
          ['plan', 'next'],
          ['plan', 'start', 's1'],
          ['plan', 'current', '--project', `/work/p${arg}`],
        ]) {
          const r = cli(args, env);
          expectSafe(`cco ${args.join(' ')} stdout`, r.stdout);
          expectSafe(`cco ${args.join(' ')} stderr`, r.stderr);
        }
        // The saved handoff markdown (read in a terminal, injected into the next session).
        const list = JSON.parse(cli(['handoff', 'list', '--json'], env).stdout) as { files: { file: string }[] };
        expect(list.files.length).toBeGreaterThan(0);
        expectSafe('handoff markdown', readFileSync(list.files[0]!.file, 'utf8'));
        // JSON output still carries the text exactly (parses back to it; DEL and C1 escaped on the way).
        const json = cli(['status', '--json'], env).stdout;
        expect(json).not.toMatch(RAW_CONTROL);
        expect(JSON.stringify(JSON.parse(json))).toContain(JSON.stringify(`claude-${evil}`).slice(1, -1));
      });
    }
    t.done();
  }, 600_000);

  it('plan titles, objectives, agents and project dirs are shown on one line, whole', async () => {
    const t = adversary('output');
    // Line breaks of every kind a title can carry: typed into `cco plan add`, in a markdown plan, or
    // written into session-queue.json by hand.
    const BREAKS: Record<string, string> = {
      'line feed': '\n',
      'CR LF': '\r\n',
      'lone CR': '\r',
      'U+2028': '\u2028',
      'NEL \\u0085': '\u0085',
      'tab and vertical tab': '\t\v',
    };
    /** Fails when any line of `text` starts with the injected marker, or `whole` is missing (then the name was cut or mangled). */
    const expectOneLine = (what: string, text: string, whole: string[]): void => {
      expectSafe(what, text);
      const started = text.split('\n').filter((l) => /^\s*(INJECTED|FAKE)/.test(l));
      expect(started, `${what}: a name started a line`).toEqual([]);
      for (const w of whole) expect(text, `${what}: ${w}`).toContain(w);
    };
    const now = new Date().toISOString();
    for (const [what, br] of Object.entries(BREAKS)) {
      await t.case(`${what} in a hand-edited session-queue.json: list, show, next, start, current, schedule, done, remove`, () => {
        const h = newHome();
        const env = h.env();
        const project = path.join(h.home, `proj${br}INJECTED dir`);
        const session = (id: string, title: string) => ({
          id,
          title,
          projectDir: project,
          tokens: 1000,
          windowShare: null,
          hours: 1,
          objectives: [`obj${br}INJECTED objective`],
          agent: `agent${br}INJECTED agent`,
          dependsOn: [],
          status: 'ready',
          scheduledAt: null,
          scheduledBy: null,
          announcedAt: null,
          createdAt: now,
          startedAt: null,
          finishedAt: null,
          calendar: null,
        });
        mkdirSync(h.configDir, { recursive: true });
        writeFileSync(
          path.join(h.configDir, 'session-queue.json'),
          JSON.stringify({
            version: 1,
            queueId: 'q-adv',
            nextId: 3,
            updatedAt: null,
            sessions: [session('s1', `first${br}INJECTED title`), session('s2', `second${br}FAKE title`)],
          }),
        );
        const whole = ['first INJECTED title', 'INJECTED objective'];
        const runs = [
          ['plan', 'list'],
          ['plan', 'show', 's1'],
          ['plan', 'next'],
          ['plan', 'schedule', '--all'],
          ['plan', 'start', 's1'],
          ['plan', 'current', '--project', project],
          ['plan', 'done', 's1'],
          ['plan', 'remove', 's2'],
        ];
        for (const args of runs) {
          const r = cli(args, env);
          expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
          const must = ['show', 'start', 'current'].includes(args[1]!) ? whole : args[1] === 'remove' ? ['second FAKE title'] : ['first INJECTED title'];
          expectOneLine(`cco ${args.join(' ')}`, r.stdout, must);
          expectOneLine(`cco ${args.join(' ')} stderr`, r.stderr, []);
        }
      });
    }
    await t.case('a newline typed into cco plan add: --title, --objective, --agent, --project', () => {
      const h = newHome();
      const env = h.env();
      // An agent name with a line break is refused, in one line that shows the name whole.
      const bad = cli(['plan', 'add', '--title', 'x', '--tokens', '1000', '--hours', '1', '--agent', 'a\nINJECTED'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(bad.stderr).toContain('not "a\\nINJECTED"');
      const r = cli(
        [
          'plan',
          'add',
          '--title',
          'typed\nINJECTED title',
          '--tokens',
          '1000',
          '--hours',
          '1',
          '--objective',
          'do\nINJECTED this',
          '--project',
          '/work/p\nINJECTED',
        ],
        env,
      );
      expect(r.code, r.stderr).toBe(0);
      expectOneLine('cco plan add', r.stdout, ['Added s1: typed INJECTED title', 'do INJECTED this', '/work/p INJECTED']);
      expectOneLine('cco plan add stderr', r.stderr, []);
      // The same title again: the duplicate-title warning names it on one line too.
      const again = cli(['plan', 'add', '--title', 'typed\nINJECTED title', '--tokens', '1000', '--hours', '1'], env);
      expect(again.code).toBe(0);
      expectOneLine('cco plan add (duplicate) stderr', again.stderr, ['typed INJECTED title']);
      expect(JSON.parse(cli(['plan', 'list', '--json'], env).stdout).sessions[0].title).toBe('typed\nINJECTED title'); // kept as given
    });
    await t.case('a markdown plan with NEL, vertical tab and form feed in headings and bullets', () => {
      const h = newHome();
      const env = h.env();
      const file = path.join(h.home, 'plan.md');
      writeFileSync(
        file,
        '# Plan\n- project: /work/p\n\n## Part\u0085FAKE one\n- tokens: 1000\n- hours: 1\n- step\vINJECTED two\n\n## Part\fINJECTED three\n- tokens: 1000\n- hours: 1\n',
      );
      const r = cli(['plan', 'import', file], env);
      expect(r.code, r.stderr).toBe(0);
      expectOneLine('cco plan import', r.stdout, ['Part FAKE one', 'Part INJECTED three']);
      expectOneLine('cco plan show s1', cli(['plan', 'show', 's1'], env).stdout, ['Part FAKE one', 'step INJECTED two']);
    });
    await t.case('a markdown plan with U+2028 and U+2029 in headings and a lone CR in a bullet: imported whole, shown on one line', () => {
      const h = newHome();
      const env = h.env();
      const file = path.join(h.home, 'plan.md');
      writeFileSync(
        file,
        '# Plan\n- project: /work/p\n\n## Part\u2028FAKE one\n- tokens: 1000\n- hours: 1\n- step\rINJECTED two\n\n## Part\u2029INJECTED three\n- tokens: 1000\n- hours: 1\n',
      );
      const r = cli(['plan', 'import', file], env);
      expect(r.code, r.stderr).toBe(0);
      expectOneLine('cco plan import', r.stdout, ['Part FAKE one', 'Part INJECTED three']);
      // Kept as written; a lone CR is a line end in CommonMark, so the bullet wraps onto it and is read whole.
      const queue = JSON.parse(cli(['plan', 'list', '--json'], env).stdout) as { sessions: { title: string; objectives: string[] }[] };
      expect(queue.sessions.map((s) => [s.title, s.objectives])).toEqual([
        ['Part\u2028FAKE one', ['step INJECTED two']],
        ['Part\u2029INJECTED three', []],
      ]);
      expectOneLine('cco plan show s1', cli(['plan', 'show', 's1'], env).stdout, ['Part FAKE one', 'step INJECTED two']);
    });
    await t.case('a markdown plan with a lone CR in a "## " heading: refused in one stderr line naming the line, nothing imported', () => {
      const h = newHome();
      const env = h.env();
      const file = path.join(h.home, 'plan.md');
      writeFileSync(file, '# Plan\n- project: /work/p\n\n## Part\rFAKE one\n- tokens: 1000\n- hours: 1\n');
      const r = cli(['plan', 'import', file], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expectOneLine('cco plan import stderr', r.stderr, [
        'line 4: the heading "Part" ends in a lone carriage return (CR)',
        '"FAKE one" after it is not part of the title',
      ]);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(JSON.parse(cli(['plan', 'list', '--json'], env).stdout).sessions).toEqual([]);
    });
    await t.case('an error quoting a plan value with a line break (U+2028, NEL) in it: one stderr line, the value whole', () => {
      const h = newHome();
      const env = h.env();
      const file = path.join(h.home, 'plan.md');
      writeFileSync(file, '## A\n- tokens: 1000\n- hours: 1\u2028INJECTED\n- agent: x\n## B\u0085FAKE\n- share: 2\u2029FAKE\n- hours: 1\n');
      const r = cli(['plan', 'import', file], env);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split(/[\n\r\u2028\u2029\u0085]/)).toHaveLength(1);
      expectOneLine('cco plan import stderr', r.stderr, ['line 3: hours must be a number from 0.5 to 12, not "1\\u2028INJECTED"', 'not "2\\u2029FAKE"']);
    });
    t.done();
  }, 600_000);

  it('the status line (dist/statusline.cjs and cco statusline) prints no raw control byte', async () => {
    const t = adversary('output');
    for (const [what, evil] of Object.entries(HOSTILE)) {
      await t.case(`${what} in the status line payload`, () => {
        const h = newHome();
        const { env, sid, transcript, cwd } = hostileSession(h, evil);
        const payload = JSON.stringify({
          session_id: sid,
          transcript_path: transcript,
          cwd,
          model: { id: `claude-${evil}`, display_name: `Opus ${evil}` },
          workspace: { current_dir: cwd, project_dir: cwd },
          context_window: {
            context_window_size: 200_000,
            current_usage: { input_tokens: 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 1_000, output_tokens: 5 },
          },
        });
        const front = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'statusline.cjs')], { input: payload, env, encoding: 'utf8', timeout: 20_000 });
        expect(front.status).toBe(0);
        expect(front.stdout.length).toBeGreaterThan(0);
        expectSafe('statusline.cjs', front.stdout);
        const cmd = cli(['statusline'], env, payload);
        expect(cmd.code).toBe(0);
        expectSafe('cco statusline', cmd.stdout);
      });
    }
    await t.case('a wrapped status line keeps its own colours; ours is escaped', () => {
      const h = newHome();
      const { env } = hostileSession(h, HOSTILE['CSI colour ESC[31m']!);
      const r = cli(['statusline', '--wrap', "printf '\\033[32mmine\\033[0m'"], env, JSON.stringify({ session_id: 'x', model: { id: 'claude-\x1b]0;t\x07' } }));
      expect(r.stdout).toContain('\x1b[32mmine\x1b[0m');
      expect(r.stdout.split(' | ').slice(1).join(' | ')).not.toMatch(RAW_CONTROL);
    });
    t.done();
  }, 600_000);

  it("a hook's message and error line carry no raw control byte", async () => {
    const t = adversary('output');
    for (const [what, evil] of Object.entries(HOSTILE).slice(0, 5)) {
      await t.case(`a config dir that is a file, named with ${what}`, () => {
        const h = newHome();
        const f = path.join(h.home, `cfg${evil.replace(/[\0/]/g, '')}`);
        writeFileSync(f, 'x');
        const env = h.env({ CLAUDE_CONFIG_DIR: f });
        const r = hook('session-start', { session_id: 's', hook_event_name: 'SessionStart', cwd: '/w', transcript_path: '/none.jsonl' }, env);
        expect(r.code).toBe(0);
        expect(r.stderr).toContain('is not a directory');
        expectSafe('hook stderr', r.stderr);
        const c = cli(['status'], env);
        expect(c.code).toBe(1);
        expectSafe('cco status stderr', c.stderr);
      });
    }
    t.done();
  }, 300_000);
});
