import { describe, expect, it } from 'vitest';
import { analyzeContext } from '../../src/context/analysis.ts';
import { contextStatus } from '../../src/context/context-status.ts';
import { renderCompactPlan } from '../../src/render/compact-plan.ts';
import { renderContextReport } from '../../src/render/context-report.ts';
import { asst, boundary, chars, prompt, recs, result, summary, text, use } from '../helpers/context-records.ts';

const cfg = { usableFraction: 0.9, windowSize: 200_000, thresholds: [50, 80, 90] };
const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

/** Compacted: after the boundary, the summary (2,000 chars), then a read of /p/a.ts and an edit of it, then a response at 9,000. */
const r = recs([
  prompt('start'), // 5 chars -> 2
  asst([text('ok')], 4_002), // system 4,000
  boundary(150_000, 5_000),
  summary(chars(2_000)),
  asst([use('r1', 'Read', { file_path: '/p/a.ts' })], 6_000),
  result('r1', chars(9_000)),
  asst([use('e1', 'Edit', { file_path: '/p/a.ts', old_string: 'x', new_string: 'y' })], 8_000),
  result('e1', 'ok'),
  asst([text('done')], 9_000),
]);
const a = analyzeContext(r, { total: { tokens: 9_000, source: 'measured, last response' }, cwd: '/p' });
const status = contextStatus({ tokens: 9_000, timeMs: null, source: 'usage' }, 'claude-opus-4-5', cfg);

describe('renderContextReport', () => {
  const out = renderContextReport({ nowMs: NOW, sessionId: 'S1', chosenBy: 'this session', status, analysis: a, reason: null });

  it('labels the measured and the estimated figures', () => {
    expect(out).toMatch(/System prompt and tools +4,000 +44\.4% +measured: the session's first request \(4,002\) minus its estimated prompt \(~2\)/);
    expect(out).toMatch(/Compaction summary +[\d,]+ +[\d.]+% +estimated/);
    expect(out).toMatch(/Total +9,000 +100\.0% +measured, last response/);
    expect(out).toContain('Compacted          yes (boundary at line 3); the figures cover what came after it');
    expect(out).toContain('Not in this total yet: 1 item after the measured request (~1 tokens, estimated).');
    expect(out).toMatch(/Superseded reads +1 · ~[\d,]+ tokens/);
  });

  it('says n/a and why when there is no analysis', () => {
    const na = renderContextReport({
      nowMs: NOW,
      sessionId: 'S1',
      chosenBy: '--session',
      status: contextStatus(null, null, cfg),
      analysis: null,
      reason: 'transcript not found: /x.jsonl',
    });
    expect(na).toContain('Used               n/a  (transcript not found: /x.jsonl)');
    expect(na).toContain('BREAKDOWN  (parts sum to the measured total)\n  n/a: transcript not found: /x.jsonl');
    expect(na).not.toContain('System prompt and tools');
  });
});

describe('renderCompactPlan', () => {
  const out = renderCompactPlan({ nowMs: NOW, sessionId: 'S1', chosenBy: 'this session', status, analysis: a, reason: null });

  it('names items after a compaction as such and ends with the /compact line', () => {
    expect(out).toMatch(/~[\d,]+ {2}a\.ts {2}\(since the compaction, line 6\) → edited \(since the compaction, line 7\)/);
    expect(out).toContain('Note      compacted before (boundary at line 3): only what came after it is listed');
    expect(out).toContain('Latest requests    none in the live context');
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-2)).toBe('THE /compact LINE  (copy and run it yourself: only you can start a compaction)');
    expect(lines.at(-1)).toMatch(/^\/compact Keep: the current objective; the state of the files in progress \(a\.ts\);/);
  });

  it('says there is no plan without a transcript', () => {
    const na = renderCompactPlan({
      nowMs: NOW,
      sessionId: null,
      chosenBy: 'latest on this machine',
      status: contextStatus(null, null, cfg),
      analysis: null,
      reason: 'no session tracked yet',
    });
    expect(na).toContain('No plan: no session tracked yet.');
    expect(na).not.toContain('/compact Keep');
  });
});
