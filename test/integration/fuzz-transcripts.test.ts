// Fuzzing the transcripts the hooks read: a line still being written, binary garbage, concatenated
// objects, unknown record types, invalid UTF-8, and 100 MB lines. The hooks stay silent and exit 0,
// usage around the damage counts exactly, malformed lines are counted, and `cco doctor` reports them.
import { appendFileSync, closeSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/cli/doctor.ts';
import { processRuntime } from '../../src/runtime.ts';
import { captureIo } from '../helpers/command-io.ts';
import { tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { HOOK_BUNDLES, runBundle } from '../helpers/spawn-bundle.ts';
import { oneSession } from '../helpers/session-home.ts';
import { assistantLine } from '../helpers/one-response.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

type U = [number, number, number, number];
const SID = 'fz-sess';

const usage = (id: string, u: U): string =>
  assistantLine({
    sessionId: SID,
    id,
    cwd: '/work/p',
    isSidechain: false,
    model: 'claude-opus-4-5',
    stopReason: 'end_turn',
    content: [{ type: 'text', text: 'ok' }],
    usage: u,
  });

function setup(): { transcript: string; stop: (nodeArgs?: string[]) => ReturnType<typeof runBundle> } {
  h = tempHome();
  const transcript = oneSession(h, SID, []);
  const payload = JSON.stringify({ session_id: SID, transcript_path: transcript, cwd: '/work/p', hook_event_name: 'Stop' });
  // The Stop hook spools; the background tracker does the reading. It is run here in the foreground
  // (CCO_TRACKER=manual keeps the hook from starting one), so `nodeArgs` (heap limit, RSS probe) apply to it.
  const stop = async (nodeArgs: string[] = []) => {
    const front = await runBundle(HOOK_BUNDLES.stop, payload, h.env({ CCO_TRACKER: 'manual' }));
    if (front.code !== 0 || front.stderr !== '') return front;
    return runBundle('tracker.mjs', '', h.env(), { nodeArgs, timeoutMs: 60_000 });
  };
  return { transcript, stop };
}

function tracked(): { tokens: Record<string, number>; entries: number } {
  return (
    JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as {
      sessions: Record<string, { tokens: Record<string, number>; entries: number }>;
    }
  ).sessions[SID]!;
}

function cachedMalformed(): number {
  const dir = path.join(h.configDir, 'cco', 'cache', 'transcripts');
  return readdirSync(dir).reduce(
    (n, f) => n + (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { digest: { malformedLines: number } }).digest.malformedLines,
    0,
  );
}

/** `cco doctor`'s text; it exits 1, as every caller here expects it to report the malformed lines as a fix. */
async function doctorText(): Promise<string> {
  const io = captureIo();
  expect(await doctor(processRuntime(h.env()), [], io)).toBe(1);
  return io.out();
}

const sum = (us: U[]) => ({
  input_tokens: us.reduce((n, u) => n + u[0], 0),
  output_tokens: us.reduce((n, u) => n + u[1], 0),
  cache_creation_input_tokens: us.reduce((n, u) => n + u[2], 0),
  cache_read_input_tokens: us.reduce((n, u) => n + u[3], 0),
});

describe('damaged transcripts', () => {
  it('count usage around garbage exactly, count each malformed line once, and doctor reports them', async () => {
    const { transcript, stop } = setup();
    const A: U = [101, 11, 1001, 10001],
      B: U = [102, 12, 1002, 10002],
      C: U = [103, 13, 1003, 10003],
      D: U = [104, 14, 1004, 10004],
      P: U = [3, 4, 0, 0];
    const dWithBadBytes = Buffer.from(usage('d', D).replace('"text":"ok"', '"text":"o@@k"'));
    dWithBadBytes.set([0xc3, 0x28], dWithBadBytes.indexOf('@@')); // invalid UTF-8 inside a string: still one JSON object
    const lines: (string | Buffer)[] = [
      usage('a', A),
      Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x7b, 0x22, 0x80, 0x81]), // binary garbage: malformed
      '{"type":"assistant","message":{"id":"msg_cut","usage":{"input_tokens":5', // a record cut short: malformed
      `${usage('b', B)}${usage('c', C)}`, // two records back to back on one line
      JSON.stringify({ type: 'x-record-from-the-future', sessionId: SID, payload: { usage: 'not a usage record' } }),
      JSON.stringify({
        type: 'progress',
        sessionId: SID,
        data: {
          message: {
            type: 'assistant',
            requestId: 'req_p',
            message: {
              id: 'msg_p',
              model: 'claude-haiku-4-5',
              usage: { input_tokens: P[0], output_tokens: P[1], cache_creation_input_tokens: P[2], cache_read_input_tokens: P[3] },
            },
          },
        },
      }),
      '',
      '   ',
      '{', // malformed
      dWithBadBytes,
      'null', // JSON, but not a record: malformed
      '[1,2,3]', // malformed
      usage('a', A), // a copy of an earlier response: counts once
    ];
    const malformed = 5;
    for (const l of lines) appendFileSync(transcript, Buffer.concat([typeof l === 'string' ? Buffer.from(l) : l, Buffer.from('\n')]));
    // A line still being written: half of a usage record, no newline yet.
    const E: U = [7, 8, 9, 10];
    const half = usage('e', E);
    appendFileSync(transcript, half.slice(0, 40));
    let r = await stop();
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: '' });
    expect(tracked()).toMatchObject({ entries: 5, tokens: sum([A, B, C, D, P]) });
    expect(cachedMalformed()).toBe(malformed);
    appendFileSync(transcript, half.slice(40) + '\n');
    r = await stop();
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(tracked()).toMatchObject({ entries: 6, tokens: sum([A, B, C, D, P, E]) });
    // The half line was never counted as malformed, and the second read counted nothing twice.
    expect(cachedMalformed()).toBe(malformed);
    const text = await doctorText();
    expect(text).toMatch(
      new RegExp(
        `^fix  transcripts +${malformed} malformed lines in 1 transcript \\(most: ${transcript.replace(/[.]/g, '\\.')}, ${malformed}\\); their usage is not counted; fix: `,
        'm',
      ),
    );
    expect(text).toMatch(/^ok   hooks/m);
    expect(text).toMatch(/^ok   state/m);
  });

  it('a truncated file (rewritten shorter) is read again from the start, not mixed', async () => {
    const { transcript, stop } = setup();
    writeFileSync(transcript, usage('1', [1, 1, 1, 1]) + '\n' + usage('2', [2, 2, 2, 2]) + '\n');
    expect((await stop()).code).toBe(0);
    writeFileSync(transcript, usage('3', [5, 5, 5, 5]) + '\n');
    expect(await stop()).toMatchObject({ code: 0, stderr: '' });
    // The session's figures follow the file as it now is.
    expect(tracked().tokens).toEqual({ input_tokens: 5, output_tokens: 5, cache_creation_input_tokens: 5, cache_read_input_tokens: 5 });
  });
});

describe('100 MB transcript lines', () => {
  const MB = 1 << 20;
  const RSS_LIMIT = 1_024 * MB;

  /** Writes `head`, 100 MB of `x`, then `tail` as one line, between two usage records. */
  function bigLine(transcript: string, head: string, tail: string, terminate = true): void {
    writeFileSync(transcript, usage('before', [1, 2, 3, 4]) + '\n');
    const fd = openSync(transcript, 'a');
    try {
      writeSync(fd, head);
      const chunk = Buffer.alloc(MB, 0x78);
      for (let i = 0; i < 100; i++) writeSync(fd, chunk);
      writeSync(fd, tail + (terminate ? '\n' : ''));
    } finally {
      closeSync(fd);
    }
  }

  /** Runs the Stop hook with a 300 MB heap and reports its peak RSS (bytes). */
  async function stopMeasured(stop: (a?: string[]) => ReturnType<typeof runBundle>, rssFile: string) {
    const probe = `data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS*1024)))`;
    const r = await stop(['--max-old-space-size=300', '--import', probe]);
    return { r, rss: Number(readFileSync(rssFile, 'utf8')) };
  }

  it('a 100 MB tool_result line: parsed within a 300 MB heap and under 1 GB RSS; the usage around it counts', async () => {
    const { transcript, stop } = setup();
    try {
      bigLine(
        transcript,
        JSON.stringify({
          type: 'user',
          sessionId: SID,
          message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: '' }] },
        }).slice(0, -5),
        '"}]}}',
      );
      appendFileSync(transcript, usage('after', [10, 20, 30, 40]) + '\n');
      const { r, rss } = await stopMeasured(stop, path.join(h.home, 'rss'));
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(rss).toBeLessThan(RSS_LIMIT);
      expect(tracked()).toMatchObject({
        entries: 2,
        tokens: { input_tokens: 11, output_tokens: 22, cache_creation_input_tokens: 33, cache_read_input_tokens: 44 },
      });
      expect(cachedMalformed()).toBe(0);
    } finally {
      rmSync(transcript, { force: true });
    }
  }, 120_000);

  it('a 100 MB garbage line: skipped as one malformed line, the usage around it counts', async () => {
    const { transcript, stop } = setup();
    try {
      bigLine(transcript, 'garbage ', '');
      appendFileSync(transcript, usage('after', [10, 20, 30, 40]) + '\n');
      const { r, rss } = await stopMeasured(stop, path.join(h.home, 'rss'));
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(rss).toBeLessThan(RSS_LIMIT);
      expect(tracked().entries).toBe(2);
      expect(cachedMalformed()).toBe(1);
      expect(await doctorText()).toMatch(/^fix  transcripts +1 malformed line in 1 transcript/m);
    } finally {
      rmSync(transcript, { force: true });
    }
  }, 120_000);

  it('a 100 MB line still being written is left for later, then read once complete', async () => {
    const { transcript, stop } = setup();
    try {
      bigLine(
        transcript,
        JSON.stringify({
          type: 'user',
          sessionId: SID,
          message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: '' }] },
        }).slice(0, -5),
        '',
        false,
      );
      let r = await stop();
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(tracked().entries).toBe(1);
      expect(cachedMalformed()).toBe(0);
      appendFileSync(transcript, '"}]}}\n' + usage('after', [10, 20, 30, 40]) + '\n');
      r = await stop();
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(tracked().entries).toBe(2);
      expect(cachedMalformed()).toBe(0);
    } finally {
      rmSync(transcript, { force: true });
    }
  }, 120_000);
});
