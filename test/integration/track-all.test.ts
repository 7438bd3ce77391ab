// trackAll(sinceMs): the sessions touched since a time, each with all of its files. A subagent file
// last written before that time still belongs to a session that is live now (`cco status` and
// `cco sessions` would undercount it otherwise); a session none of whose files changed is left out.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tupleTotal } from '../../src/claude/transcript-digest.ts';
import { processRuntime } from '../../src/runtime.ts';
import { trackAll } from '../../src/store/track.ts';
import { tempHomePerTest } from '../helpers/sandbox-env.ts';

const newHome = tempHomePerTest();
const HOUR = 3_600_000;

function transcript(file: string, sid: string, id: string, output: number, mtimeMs: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({
    type: 'assistant', sessionId: sid, requestId: `req_${id}`, timestamp: new Date(mtimeMs).toISOString(),
    message: { id: `msg_${id}`, model: 'claude-sonnet-4-5', usage: { input_tokens: 0, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
  }) + '\n');
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
    expect(outputs.sort()).toEqual([['msg_main:req_main', 10], ['msg_sub:req_sub', 200]]);

    const all = await trackAll(rt, null, { persist: false });
    expect(all.digests.flatMap((d) => d.entries.map((t) => t[0])).sort()).toEqual(['msg_main:req_main', 'msg_old:req_old', 'msg_sub:req_sub']);
  });
});
