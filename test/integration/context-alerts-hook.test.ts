import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../helpers/sandbox-env.ts';
import { HOOK_BUNDLES, syncTrackerSync } from '../helpers/spawn-bundle.ts';
import { assistantLine } from '../helpers/one-response.ts';

const h = tempHome();
afterAll(() => h.cleanup());

describe('context alerts from the hooks', () => {
  it('shows 50 % once, then DANGER with the /compact line for the person (at Stop) and the model (at the next prompt), and starts over after a compaction', () => {
    mkdirSync(path.join(h.configDir, 'cco'), { recursive: true });
    // A budget so large that no quota alert fires: only context alerts are in play.
    writeFileSync(
      path.join(h.configDir, 'cco', 'config.json'),
      JSON.stringify({ plan: 'custom', customBudget: 100_000_000, quota: { desktopNotifications: false } }),
    );
    const dir = path.join(h.configDir, 'projects', '-w');
    mkdirSync(dir, { recursive: true });
    const sid = '11111111-2222-4333-8444-555555555555';
    const transcript = path.join(dir, `${sid}.jsonl`);
    const at = (min: number) => new Date(Date.now() - (60 - min) * 60_000).toISOString();
    const usage = (id: string, min: number, ctx: number) =>
      assistantLine({
        sessionId: sid,
        requestId: `r_${id}`,
        messageId: `m_${id}`,
        timestamp: at(min),
        isSidechain: false,
        model: 'claude-sonnet-4-6',
        usage: [10, 5, 0, ctx - 10],
      }) + '\n';
    type Out = { systemMessage?: string; hookSpecificOutput?: { additionalContext: string } };
    const hook = (name: 'post-tool-use' | 'stop' | 'user-prompt-submit'): Out | null => {
      const r = spawnSync('node', [path.join(ROOT, 'dist', HOOK_BUNDLES[name])], {
        input: JSON.stringify({ session_id: sid, transcript_path: transcript, cwd: '/w', hook_event_name: 'x', tool_name: 'Read' }),
        env: h.env(),
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      syncTrackerSync(h.env());
      return r.stdout.trim() === '' ? null : (JSON.parse(r.stdout) as Out);
    };
    // A tool call's hook has the tracker catch the transcript up; what that finds is shown by the
    // session's next hooks: the person's line at the turn's end (Stop), the model's note at the next
    // prompt (UserPromptSubmit). `run` is all three: the notices the transcript so far gives.
    const run = (): Out | null => {
      expect(hook('post-tool-use')).toBeNull();
      const person = hook('stop');
      const model = hook('user-prompt-submit');
      expect(model?.systemMessage).toBeUndefined();
      if (person === null && model === null) return null;
      return { ...(person ?? {}), ...(model ?? {}) };
    };
    writeFileSync(transcript, usage('1', 0, 60_000) + usage('2', 30, 95_000));
    const first = run();
    // claude-sonnet-4-6: a 200,000 window that Claude Code compacts 33,000 below: 167,000 usable.
    // 95,000 of 167,000 = 56.9 %, shown rounded down (a threshold is never shown before it is reached); growth 35,000 over 30 min = 70,000/h -> 72,000 left in ~1.0 h
    expect(first?.systemMessage).toBe(
      "cco: context at 56% of the usable limit (95,000 of 167,000 tokens); at this session's pace the usable limit is reached in about 1.0 h. /cco:compact-context shows what to drop.",
    );
    expect(first?.hookSpecificOutput).toBeUndefined();
    expect(run()).toBeNull();
    appendFileSync(transcript, usage('3', 40, 140_000));
    const danger = run();
    expect(danger?.systemMessage).toMatch(/^cco: context at 83% of the usable limit \(140,000 of 167,000 tokens\).* Compact now: \/compact /);
    expect(danger?.hookSpecificOutput?.additionalContext).toMatch(/only the user can\): \/compact /);
    expect(run()).toBeNull();
    appendFileSync(
      transcript,
      JSON.stringify({
        type: 'system',
        subtype: 'compact_boundary',
        timestamp: at(45),
        compactMetadata: { trigger: 'manual', preTokens: 140_000, postTokens: 20_000 },
      }) + '\n',
    );
    expect(run()).toBeNull();
    appendFileSync(transcript, usage('4', 50, 91_000));
    expect(run()?.systemMessage).toMatch(/^cco: context at 54% of the usable limit/); // 91,000 of 167,000
  });
});
