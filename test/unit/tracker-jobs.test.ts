import { describe, expect, it } from 'vitest';
import type { SpoolEntry } from '../../src/front/spool.ts';
import { spoolInput } from '../../src/front/spool.ts';
import { planJobs, sightingOf } from '../../src/tracker/drain.ts';

const entry = (event: string, sid: string, extra: Record<string, unknown> = {}, env: SpoolEntry['env'] = {}): SpoolEntry => ({
  v: 1,
  event,
  receivedAt: '2026-11-21T10:00:00.000Z',
  input: { session_id: sid, transcript_path: `/t/${sid}.jsonl`, ...extra },
  env,
  cwd: '/hook/cwd',
});
const plan = (es: SpoolEntry[]) =>
  planJobs(
    es.map((e, i) => {
      const s = sightingOf(e);
      if ('invalid' in s) throw new Error(s.invalid);
      return { file: `f${i}`, entry: e, sighting: s };
    }),
  );

describe('tracking jobs from spooled hook events', () => {
  it('one catch-up for a run of PostToolUse/Stop of a session; SessionStart stays its own; sessions apart', () => {
    const jobs = plan([
      entry('SessionStart', 'a', { source: 'startup', model: 'claude-opus-4-5' }),
      entry('PostToolUse', 'a'),
      entry('PostToolUse', 'b'),
      entry('PostToolUse', 'a'),
      entry('Stop', 'a'),
      entry('SessionStart', 'a', { source: 'compact' }),
      entry('PostToolUse', 'a'),
    ]);
    expect(jobs.map((j) => [j.sighting.sessionId, j.sighting.event, j.sighting.source, j.files])).toEqual([
      ['a', 'SessionStart', 'startup', ['f0']],
      ['a', 'Stop', null, ['f1', 'f3', 'f4']],
      ['b', 'PostToolUse', null, ['f2']],
      ['a', 'SessionStart', 'compact', ['f5']],
      ['a', 'PostToolUse', null, ['f6']],
    ]);
    // A merged run keeps the model an earlier event named.
    expect(plan([entry('PostToolUse', 'c', { model: 'm1' }), entry('Stop', 'c')])[0]!.sighting.model).toBe('m1');
  });

  it('the sighting takes CLAUDE_PID and the project dir from the hook, and refuses a payload field of the wrong type', () => {
    const s = sightingOf(entry('Stop', 'a', { cwd: undefined }, { CLAUDE_PID: '4242', CLAUDE_PROJECT_DIR: '/proj' }));
    expect(s).toMatchObject({ sessionId: 'a', transcriptPath: '/t/a.jsonl', cwd: '/proj', claudePid: 4242, event: 'Stop' });
    expect(sightingOf(entry('Stop', 'a', {}, { CLAUDE_PID: '0' }))).toMatchObject({ claudePid: null, cwd: '/hook/cwd' });
    expect(sightingOf(entry('Stop', 'a', { model: 5 }))).toEqual({ invalid: expect.stringMatching(/^model: /) });
  });

  it('a spool entry keeps only the payload fields tracking reads (a 5 MB tool_response is dropped)', () => {
    const kept = spoolInput({
      session_id: 's',
      transcript_path: '/t',
      cwd: '/c',
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_response: { stdout: 'y'.repeat(5 << 20) },
      tool_input: { command: 'ls' },
      model: 'm',
      agent_type: 'x',
    });
    expect(kept).toEqual({ session_id: 's', transcript_path: '/t', cwd: '/c', hook_event_name: 'PostToolUse', model: 'm', agent_type: 'x' });
  });
});
