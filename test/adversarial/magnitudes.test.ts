// Adversarial class "magnitudes" (issue 18): hostile token counts and timestamps in transcript
// `message.usage` records. Each is written next to one good response, then the built hooks run (twice:
// the damage used to repeat on every hook) and the reporting commands read the result. Whatever the
// input: the hooks exit 0, no state file is quarantined (`*.corrupt-*`), every state file parses with its
// schema (the status line snapshot with its own check), the hostile entry counts in no total and no
// 5-hour block, and `cco report` (text and --json) and `cco doctor` report one malformed line.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSnapshot } from '../../src/render/statusline-snapshot.ts';
import { DurableQuotaSchema, QuotaTrackerSchema, SessionTrackerSchema } from '../../src/store/schemas.ts';
import { stateFile, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { runHookSync } from '../helpers/spawn-bundle.ts';
import { adversary } from './tally.ts';
import { corruptFilesUnder } from '../helpers/files-under.ts';
import { oneSession, runCliSync } from '../helpers/session-home.ts';
import { assistantLine } from '../helpers/one-response.ts';

const newHome = tempHomePerTest();
const SID = 'a4c0ffee-0000-4000-8000-000000000018';
const GOOD = { input_tokens: 120, output_tokens: 45, cache_creation_input_tokens: 3_000, cache_read_input_tokens: 40_000 };
const ZERO = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const MAX = Number.MAX_SAFE_INTEGER;

/** One assistant record as Claude Code writes it; `usage` raw JSON text (so that `1e400`, which JSON.parse reads as Infinity, can be written). */
const record = (id: string, usage: string, timestamp: unknown): string =>
  assistantLine({
    sessionId: SID,
    id,
    timestamp,
    cwd: '/work/p',
    isSidechain: false,
    model: 'claude-opus-4-5',
    stopReason: 'end_turn',
    content: [{ type: 'text', text: 'ok' }],
    usage,
  });

const usageJson = (u: Record<string, unknown>) => JSON.stringify(u);
const nowIso = () => new Date(Date.now() - 60_000).toISOString();

const cli = (h: TempHome, args: string[]) => runCliSync(args, h.env());

/** The four token counts of `list` summed (other keys, such as a block's `entries`, ignored). */
function sumOf(list: readonly Record<string, unknown>[]): Record<string, number> {
  const acc: Record<string, number> = { ...ZERO };
  for (const t of list) for (const k of Object.keys(acc)) acc[k] = acc[k]! + (t[k] as number);
  return acc;
}

/**
 * Writes a transcript of `lines` (JSON text), runs the Stop and UserPromptSubmit hooks as Claude Code
 * does (each followed by `cco sync`), and checks what the brief asks of every hostile input.
 * @param expected the tokens the session must total (the good entries only)
 * @param malformed how many lines must be reported malformed
 */
function runAndCheck(lines: string[], expected: Record<string, number>, malformed: number): void {
  const h = newHome();
  const transcript = oneSession(h, SID, lines);
  const env = h.env();
  for (const [hook, event] of [
    ['stop', 'Stop'],
    ['user-prompt-submit', 'UserPromptSubmit'],
    ['stop', 'Stop'],
  ] as const) {
    const payload = JSON.stringify({
      session_id: SID,
      transcript_path: transcript,
      cwd: '/work/p',
      hook_event_name: event,
      ...(event === 'UserPromptSubmit' ? { prompt: 'go on' } : {}),
    });
    const r = runHookSync(hook, payload, env, h.home);
    expect(r.code, `${hook} exit`).toBe(0);
    expect(corruptFilesUnder(h.home), `quarantined after ${hook}`).toEqual([]);
  }
  // Every state file parses with its reader's schema.
  const tracker = SessionTrackerSchema.parse(JSON.parse(readFileSync(stateFile(h, 'session-tracker.json'), 'utf8')));
  const quota = QuotaTrackerSchema.parse(JSON.parse(readFileSync(stateFile(h, 'quota-tracker.json'), 'utf8')));
  const durable = stateFile(h, 'cco/quota-durable.json');
  if (existsSync(durable)) DurableQuotaSchema.parse(JSON.parse(readFileSync(durable, 'utf8')));
  const snap = stateFile(h, 'cco/statusline-snapshot.json');
  if (existsSync(snap)) expect(checkSnapshot(JSON.parse(readFileSync(snap, 'utf8'))), 'snapshot passes its reader').not.toBeNull();
  // Totals and blocks exclude the hostile entry.
  expect(tracker.sessions[SID]?.tokens).toEqual(expected);
  expect(sumOf(quota.blocks.map((b) => b.tokens))).toEqual(expected);
  const json = cli(h, ['report', '--json']);
  expect(json.code, json.stderr).toBe(0);
  const report = JSON.parse(json.stdout) as {
    totals: Record<string, number>;
    blocks: Record<string, unknown>[];
    days: Record<string, unknown>;
    stats: { malformedLines: number };
  };
  expect(report.totals).toEqual(expected);
  expect(sumOf(report.blocks)).toEqual(expected);
  for (const day of Object.keys(report.days)) expect(day).toMatch(/^2\d{3}-\d{2}-\d{2}$/);
  expect(report.stats.malformedLines).toBe(malformed);
  const text = cli(h, ['report']);
  expect(text.code).toBe(0);
  expect(text.stdout).not.toMatch(/Infinity|NaN|null/);
  if (malformed > 0) expect(text.stdout).toContain(`${malformed} malformed transcript line(s) skipped`);
  const doctor = cli(h, ['doctor']);
  if (malformed > 0) expect(doctor.stdout).toMatch(new RegExp(`transcripts +${malformed} malformed lines? in 1 transcript`));
  else expect(doctor.stdout).toMatch(/ok +transcripts +no malformed lines/);
  expect(corruptFilesUnder(h.home), 'quarantined after the commands').toEqual([]);
}

describe('adversarial: magnitudes', () => {
  it('hostile token counts are malformed entries: counted nowhere, reported, and no state file breaks', { timeout: 600_000 }, async () => {
    const t = adversary('magnitudes');
    const good = record('good', usageJson(GOOD), nowIso());
    // Each hostile count, in cache_read_input_tokens unless said otherwise (raw JSON text).
    const hostile: [string, string][] = [
      [
        '1e308 in every field (the sum is Infinity)',
        '{"input_tokens":1e308,"output_tokens":1e308,"cache_creation_input_tokens":1e308,"cache_read_input_tokens":1e308}',
      ],
      ['1e20 input_tokens', '{"input_tokens":1e20,"output_tokens":5}'],
      ['-5 output_tokens', '{"input_tokens":10,"output_tokens":-5}'],
      ['"100" (a string) input_tokens', '{"input_tokens":"100","output_tokens":5}'],
      ['1e400 (JSON.parse gives Infinity; Infinity - Infinity is NaN)', '{"input_tokens":1e400,"output_tokens":-1e400}'],
      ['"NaN" (a string)', '{"input_tokens":"NaN","output_tokens":5}'],
      ['null', '{"input_tokens":10,"cache_read_input_tokens":null}'],
      ['{}', '{"input_tokens":10,"cache_read_input_tokens":{}}'],
      ['[]', '{"input_tokens":10,"cache_read_input_tokens":[]}'],
      ['true', '{"input_tokens":10,"cache_read_input_tokens":true}'],
      ['2**53', `{"input_tokens":10,"cache_read_input_tokens":${2 ** 53}}`],
      ['fractional 10.5', '{"input_tokens":10.5,"output_tokens":5}'],
      ['huge cache_read 1e300', '{"input_tokens":10,"cache_read_input_tokens":1e300}'],
    ];
    for (const [what, u] of hostile) {
      await t.case(what, () => runAndCheck([good, record('bad', u, nowIso())], GOOD, 1));
    }
    // The same hostile count in a streamed copy of the good response (same message.id and requestId): the
    // copy is malformed, the good copy still counts once.
    await t.case('1e308 in a streamed copy of a good response', () =>
      runAndCheck([good, record('good', '{"input_tokens":1e308,"output_tokens":1}', nowIso())], GOOD, 1),
    );
    // Bad timestamps: the entry is malformed (not in totals, blocks or days), not counted in totals alone.
    for (const [what, ts] of [
      ['a far-future timestamp (year 58903)', '+058903-06-01T00:00:00.000Z'],
      ['an unparsable timestamp', 'yesterday-ish'],
      ['a timestamp in 1970', '1970-01-01T00:00:00.000Z'],
      ['a timestamp in 2300', '2300-01-01T00:00:00.000Z'],
      ['a numeric timestamp', 1_700_000_000_000],
    ] as const) {
      await t.case(what, () => runAndCheck([good, record('bad', usageJson(GOOD), ts)], GOOD, 1));
    }
    // Safe integers are token counts: two of MAX_SAFE_INTEGER sum to the ceiling, clamped, not past it.
    await t.case('two entries of Number.MAX_SAFE_INTEGER cache_read (sums clamp)', () =>
      runAndCheck(
        [record('m1', usageJson({ cache_read_input_tokens: MAX }), nowIso()), record('m2', usageJson({ cache_read_input_tokens: MAX }), nowIso())],
        { ...ZERO, cache_read_input_tokens: MAX },
        0,
      ),
    );
    t.done();
  });
});
