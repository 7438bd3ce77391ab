// Adversarial class "writer-reader" (issue 18): what a writer writes always passes its reader. The built
// hooks, tracker, status line and cco commands run on hostile magnitudes (token counts at
// Number.MAX_SAFE_INTEGER, the largest a transcript may hold; counts that must be refused; context
// figures of 1e308; a plan of 1e20 tokens); then EVERY file they left under the temp HOME is read back
// by the reader of its kind (its zod schema, or the hand-written check the front uses). A file of ours
// that no reader here knows fails the test too, so a new state file cannot escape it.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/config.ts';
import { parseNotices } from '../../src/front/outbox.ts';
import { SessionQueueSchema } from '../../src/plan/queue-schema.ts';
import { processRuntime } from '../../src/runtime.ts';
import { checkSnapshot } from '../../src/render/statusline-snapshot.ts';
import { ConfigDirsRegistrySchema } from '../../src/store/config-dirs-registry.ts';
import { checkCursorFile } from '../../src/store/cursor-check.ts';
import { readReportCache } from '../../src/store/report-cache.ts';
import { HandoffIndexSchema } from '../../src/store/schema-handoff.ts';
import { DurableQuotaSchema, QuotaTrackerSchema, SessionTrackerSchema } from '../../src/store/schemas.ts';
import { SpoolEntrySchema } from '../../src/tracker/spool-read.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { runHookSync, syncTrackerSync, type HookName } from '../helpers/spawn-bundle.ts';
import { nowSec, statuslinePayload } from '../helpers/statusline-payload.ts';
import { assistantLine } from '../helpers/one-response.ts';
import { adversary } from './tally.ts';
import { filesUnder } from '../helpers/files-under.ts';
import { oneSession, runCliSync } from '../helpers/session-home.ts';

const newHome = tempHomePerTest();
const SID = 'b7c0ffee-0000-4000-8000-000000000018';
const MAX = Number.MAX_SAFE_INTEGER;

const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const mustParse =
  (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }) => (file: string) => {
    const r = schema.safeParse(json(file));
    if (!r.success) throw new Error(`${r.error!.issues[0]!.path.join('.')}: ${r.error!.issues[0]!.message}`);
  };

/**
 * The reader of each kind of file we write, by its path relative to the temp HOME. A reader throws (or
 * returns false) when the file does not pass it. Logs, locks, saved handoff texts and calendar exports
 * are not state read back by a schema: they are listed as such.
 */
const READERS: [RegExp, string, (file: string, h: TempHome) => unknown][] = [
  [/^\.claude\/session-tracker\.json$/, 'SessionTrackerSchema', mustParse(SessionTrackerSchema)],
  [/\/accounts\/[^/]+\/quota-tracker\.json$/, 'QuotaTrackerSchema', mustParse(QuotaTrackerSchema)],
  [/\/accounts\/[^/]+\/quota-durable\.json$/, 'DurableQuotaSchema', mustParse(DurableQuotaSchema)],
  [/\/accounts\/[^/]+\/statusline-snapshot\.json$/, "checkSnapshot (the front's reader)", (f) => checkSnapshot(json(f)) !== null],
  [/\/claude-code-optimizer\/config-dirs\.json$/, 'ConfigDirsRegistrySchema', mustParse(ConfigDirsRegistrySchema)],
  [/^\.claude\/cco\/config\.json$/, 'ConfigSchema', mustParse(ConfigSchema)],
  [/^\.claude\/cco\/cache\/transcripts\/[^/]+\.json$/, 'checkCursorFile', (f) => checkCursorFile(json(f)).kind === 'ok'],
  [
    /^\.claude\/cco\/cache\/report-cache\.json$/,
    'readReportCache',
    (_f, h) => {
      const c = readReportCache(processRuntime(h.env()));
      return c !== null && c.side() !== null && c.head.rows.every((_r, i) => c.cursor(i) !== null);
    },
  ],
  [
    /^\.claude\/cco\/cache\/report-parts-[0-9a-z]+-[0-9a-z]+\.bin$/,
    'readReportCache (a parts file)',
    (f, h) => {
      // Every part of this file that the head points to reads back as a cursor.
      const c = readReportCache(processRuntime(h.env()));
      const at = c?.head.partFiles.indexOf(path.basename(f)) ?? -1;
      return c !== null && at >= 0 && c.head.rows.every((r, i) => r[5] !== at || c.cursor(i) !== null);
    },
  ],
  [/^\.claude\/cco\/spool\/[^/]+\.json$/, 'SpoolEntrySchema', mustParse(SpoolEntrySchema)],
  [
    /^\.claude\/cco\/outbox\/[^/]+\.json$/,
    'parseNotices',
    (f) => {
      let bad = false;
      parseNotices(readFileSync(f, 'utf8'), () => {
        bad = true;
      });
      return !bad;
    },
  ],
  [/^\.claude\/cco\/handoffs\/pending\.json$/, 'HandoffIndexSchema', mustParse(HandoffIndexSchema)],
  [/^\.claude\/cco\/handoffs\/.+\.md$/, '(a saved handoff: text)', () => true],
  [/^\.claude\/session-queue\.json$/, 'SessionQueueSchema', mustParse(SessionQueueSchema)],
  [/^\.claude\/cco\/session-queue\.last-good\.json$/, 'SessionQueueSchema', mustParse(SessionQueueSchema)],
  [/^\.claude\/calendar\//, '(calendar export)', () => true],
  [/^\.claude\/cco\/kick(-deadline|\.\d+)?$/, '(tracker kick markers: only their presence and mtime are read)', () => true],
  [/\/accounts\/[^/]+\/plan-hint-shown$/, '(a presence marker)', () => true],
  [/(^|\/)[^/]*\.log(\.\d+)?$/, '(log)', () => true],
  [/\.lock(\/|$)|\.lock\.holder$/, '(lock)', () => true],
  [/^\.claude\/projects\//, "(transcripts: the test's own)", () => true],
];

const cli = (h: TempHome, args: string[], stdin = '') => runCliSync(args, h.env(), { stdin, cwd: h.home });

const assistant = (id: string, usage: string): string =>
  assistantLine({
    sessionId: SID,
    id,
    cwd: '/work/p',
    isSidechain: false,
    model: 'claude-opus-4-5',
    stopReason: 'tool_use',
    content: [{ type: 'tool_use', id: `tu_${id}`, name: 'Bash', input: { command: 'x'.repeat(5_000) } }],
    usage,
  });

/** A home after one session's hooks, the status line and cco commands ran on `lines`. */
function session(lines: string[], statusline: Record<string, unknown>): TempHome {
  const h = newHome();
  const transcript = oneSession(h, SID, []);
  const env = h.env();
  const hook = (name: HookName, event: string, extra: Record<string, unknown> = {}) => {
    const r = runHookSync(
      name,
      JSON.stringify({ session_id: SID, transcript_path: transcript, cwd: '/work/p', hook_event_name: event, ...extra }),
      env,
      h.home,
    );
    expect(r.code, name).toBe(0);
  };
  hook('session-start', 'SessionStart', { source: 'startup' });
  hook('user-prompt-submit', 'UserPromptSubmit', { prompt: 'go' });
  for (const l of lines) {
    appendFileSync(transcript, l + '\n');
    hook('post-tool-use', 'PostToolUse', { tool_name: 'Bash', tool_input: { command: 'x' }, tool_response: { stdout: 'ok' } });
  }
  const payload = { ...(JSON.parse(statuslinePayload(h.configDir)) as Record<string, unknown>), ...statusline, session_id: SID, transcript_path: transcript };
  const sl = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'statusline.cjs')], {
    input: JSON.stringify(payload),
    env,
    encoding: 'utf8',
    timeout: 20_000,
    cwd: h.home,
  });
  expect(sl.status).toBe(0);
  syncTrackerSync(env);
  expect(cli(h, ['statusline'], JSON.stringify(payload)).code).toBe(0);
  hook('stop', 'Stop');
  hook('pre-compact', 'PreCompact', { trigger: 'auto', custom_instructions: null });
  hook('session-end', 'SessionEnd', { reason: 'other' });
  for (const args of [['report', '--json'], ['report'], ['status', '--json'], ['sessions'], ['tools'], ['doctor']]) {
    const r = cli(h, args);
    expect(r.stdout + r.stderr, args.join(' ')).not.toMatch(/Infinity|NaN/);
  }
  // What a reader refused on the way (an outbox notice's quota part, a state file moved aside) is logged.
  const logged = filesUnder(h.home)
    .filter((f) => /\.log(\.\d+)?$/.test(f))
    .map((f) => readFileSync(path.join(h.home, f), 'utf8'))
    .join('');
  const refusals = logged.split('\n').filter((l) => /malformed or out of bounds|\.corrupt-|unreadable \(/.test(l));
  if (refusals.length > 0) throw new Error(`a reader refused what a writer wrote: ${refusals.join(' | ')}`);
  return h;
}

/** Every file under the home passes the reader of its kind; returns the readers used (so a case cannot pass vacuously). */
function checkAll(h: TempHome): string[] {
  const used = new Set<string>();
  const problems: string[] = [];
  for (const rel of filesUnder(h.home)) {
    const reader = READERS.find(([re]) => re.test(rel));
    if (reader === undefined) {
      problems.push(`${rel}: no reader known to this test`);
      continue;
    }
    try {
      if (reader[2](path.join(h.home, rel), h) === false) problems.push(`${rel}: refused by ${reader[1]}`);
      else used.add(reader[1]);
    } catch (e) {
      problems.push(`${rel}: refused by ${reader[1]}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return [...used];
}

describe('adversarial: writer output passes its reader', () => {
  it('every state file written from hostile magnitudes reads back', { timeout: 600_000 }, async () => {
    const t = adversary('writer-reader');
    const huge = `{"input_tokens":${MAX},"output_tokens":${MAX},"cache_creation_input_tokens":${MAX},"cache_read_input_tokens":${MAX}}`;
    const sane = '{"input_tokens":10,"output_tokens":20,"cache_creation_input_tokens":300,"cache_read_input_tokens":4000}';
    const compaction = (post: string) =>
      JSON.stringify({
        type: 'system',
        subtype: 'compact_boundary',
        sessionId: SID,
        timestamp: new Date().toISOString(),
        compactMetadata: { trigger: 'auto', preTokens: 1, postTokens: '@P@' },
      }).replace('"@P@"', post);
    const hostileContext = {
      context_window: {
        context_window_size: 1e308,
        used_percentage: 1e308,
        total_input_tokens: 1e308,
        current_usage: { input_tokens: 1e308, cache_creation_input_tokens: MAX, cache_read_input_tokens: -5 },
      },
    };
    const extremeLimits = {
      rate_limits: {
        five_hour: { used_percentage: 100.4, resets_at: nowSec() + 5 * 3_600 },
        seven_day: { used_percentage: 0, resets_at: nowSec() + 7 * 86_400 },
      },
    };
    const scenarios: [string, string[], Record<string, unknown>][] = [
      [
        'counts at Number.MAX_SAFE_INTEGER in every field, twice (sums at the ceiling; quota % astronomical)',
        [assistant('a', huge), assistant('b', huge)],
        extremeLimits,
      ],
      ['the same, without rate_limits (the estimate path: quota % from tokens / budget)', [assistant('a', huge), assistant('b', huge)], {}],
      [
        'counts that must be refused (1e308, -5, "100", 1e400) next to a sane one',
        [
          assistant('s', sane),
          assistant('x', '{"input_tokens":1e308,"output_tokens":1e308}'),
          assistant('y', '{"input_tokens":-5}'),
          assistant('z', '{"input_tokens":"100"}'),
          assistant('w', '{"output_tokens":1e400}'),
        ],
        {},
      ],
      [
        'a compaction of MAX_SAFE_INTEGER post-tokens, then of 1e308',
        [assistant('s', sane), compaction(String(MAX)), assistant('t', sane.replace('10', '11')), compaction('1e308')],
        hostileContext,
      ],
      ['context figures of 1e308 from the status line, a sane transcript', [assistant('s', sane)], hostileContext],
    ];
    const usedAll = new Set<string>();
    for (const [what, lines, sl] of scenarios) {
      await t.case(what, () => {
        const h = session(lines, sl);
        const used = checkAll(h);
        for (const u of used) usedAll.add(u);
        expect(used).toEqual(expect.arrayContaining(['SessionTrackerSchema', 'QuotaTrackerSchema', 'checkCursorFile', 'readReportCache']));
      });
    }
    // The scenarios together wrote every kind of state file this test knows a reader for (else a check above passed vacuously).
    await t.case('the scenarios wrote every kind of state file', () => {
      const want = [
        'ConfigDirsRegistrySchema',
        'ConfigSchema',
        'DurableQuotaSchema',
        'HandoffIndexSchema',
        'QuotaTrackerSchema',
        'SessionTrackerSchema',
        'checkCursorFile',
        "checkSnapshot (the front's reader)",
        'readReportCache',
      ];
      expect(
        want.filter((r) => !usedAll.has(r)),
        'readers no scenario needed',
      ).toEqual([]);
    });
    // The plan queue's writer, from hostile magnitudes on its command line: refused (exit 1 or 2), or written so that it reads back.
    for (const [what, args] of [
      ['--tokens 99999999999999999999', ['--tokens', '99999999999999999999']],
      ['--tokens 9007199254740993 (past 2^53)', ['--tokens', '9007199254740993']],
      ['--tokens 1e308 (not a count)', ['--tokens', '1e308']],
      ['--share 1e-300', ['--share', '1e-300']],
      ['--tokens 120k (control)', ['--tokens', '120k']],
    ] as const) {
      await t.case(`cco plan add ${what}`, () => {
        const h = newHome();
        mkdirSync(path.join(h.configDir, 'cco'), { recursive: true, mode: 0o700 });
        const r = cli(h, ['plan', 'add', '--title', 'big', ...args, '--hours', '2']);
        expect([0, 1, 2], r.stderr).toContain(r.code);
        if (what.includes('control')) expect(r.code).toBe(0);
        checkAll(h);
        if (r.code === 0) {
          expect(SessionQueueSchema.parse(json(path.join(h.configDir, 'session-queue.json'))).sessions).toHaveLength(1);
          expect(checkAll(h)).toEqual(expect.arrayContaining(['SessionQueueSchema']));
        }
      });
    }
    t.done();
  });
});
