// Tracking into session-tracker.json. trackAll(sinceMs): the sessions touched since a time, each with
// all of its files (a subagent file last written before that time still belongs to a session live now;
// `cco status` and `cco sessions` would undercount it otherwise). trackSession: a sighting that names no
// readable transcript leaves the session's figures as they were.
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tupleTotal } from '../../src/claude/transcript-digest.ts';
import { processRuntime } from '../../src/runtime.ts';
import { trackAll, trackSession, type SessionSighting } from '../../src/tracker/track-step.ts';
import { tempHomePerTest } from '../helpers/sandbox-env.ts';
import { assistantLine } from '../helpers/one-response.ts';

const newHome = tempHomePerTest();
const HOUR = 3_600_000;

function transcript(file: string, sid: string, id: string, output: number, mtimeMs: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, assistantLine({ sessionId: sid, id, timestamp: new Date(mtimeMs).toISOString(), usage: [0, output, 0, 0] }) + '\n');
  utimesSync(file, new Date(mtimeMs), new Date(mtimeMs));
}

describe('trackAll since a time', () => {
  it('takes every file of a session touched since then, its older subagent files too, and no session left untouched', async () => {
    const h = newHome();
    const now = Date.now();
    const proj = path.join(h.configDir, 'projects', '-w');
    const live = 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa';
    const old = 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb';
    transcript(path.join(proj, `${live}.jsonl`), live, 'main', 10, now - 60_000);
    transcript(path.join(proj, live, 'subagents', 'agent-early.jsonl'), live, 'sub', 200, now - 5 * HOUR);
    transcript(path.join(proj, `${old}.jsonl`), old, 'old', 3_000, now - 6 * HOUR);
    // After the files: a runtime reads the config dirs that hold projects/ when it is made.
    const rt = processRuntime(h.env());

    const { digests } = await trackAll(rt, now - HOUR, { persist: false });
    const outputs = digests.flatMap((d) => d.entries.map((t) => [t[0], tupleTotal(t)]));
    expect(outputs.sort()).toEqual([
      ['msg_main:req_main', 10],
      ['msg_sub:req_sub', 200],
    ]);

    const all = await trackAll(rt, null, { persist: false });
    expect(all.digests.flatMap((d) => d.entries.map((t) => t[0])).sort()).toEqual(['msg_main:req_main', 'msg_old:req_old', 'msg_sub:req_sub']);
  });
});

describe('trackSession', () => {
  it("keeps a session's figures when a sighting names no transcript, or one that is not there", async () => {
    const h = newHome();
    const sid = 'cccccccc-3333-4333-8333-cccccccccccc';
    const file = path.join(h.configDir, 'projects', '-w', `${sid}.jsonl`);
    transcript(file, sid, 'a', 42, Date.now());
    const rt = processRuntime(h.env());
    const tokensOf = () =>
      (
        JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as {
          sessions: Record<string, { tokens: { output_tokens: number }; transcriptPath: string | null; hookEvents: Record<string, number> }>;
        }
      ).sessions[sid]!;
    const sighting = (transcriptPath: string | null): SessionSighting => ({
      sessionId: sid,
      transcriptPath,
      cwd: '/w',
      model: null,
      event: 'PostToolUse',
      source: null,
      agentType: null,
      claudePid: null,
    });

    expect((await trackSession(rt, sighting(file))).agg?.tokens.output_tokens).toBe(42);
    expect((await trackSession(rt, sighting(null))).agg).toBeNull();
    expect((await trackSession(rt, sighting(path.join(h.configDir, 'projects', '-w', 'gone.jsonl')))).agg).toBeNull();
    expect(tokensOf()).toMatchObject({
      tokens: { output_tokens: 42 },
      transcriptPath: path.join(h.configDir, 'projects', '-w', 'gone.jsonl'),
      hookEvents: { PostToolUse: 3 },
    });
    // The file, read again, is still what counts.
    await trackSession(rt, sighting(file));
    expect(tokensOf()).toMatchObject({ tokens: { output_tokens: 42 }, transcriptPath: file });
  });
});
