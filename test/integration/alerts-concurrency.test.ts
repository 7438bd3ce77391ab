import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../helpers/sandbox-env.ts';
import { HOOK_BUNDLES, syncTracker } from '../helpers/spawn-bundle.ts';
import { assistantLine } from '../helpers/one-response.ts';

const N = 16;
const h = tempHome();
afterAll(() => h.cleanup());

function runHook(bundle: string, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('node', [path.join(ROOT, 'dist', bundle)], { env: h.env() });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(stdin);
  });
}

describe(`${N} sessions' hooks running at once across a threshold crossing`, () => {
  it('record each alert once, and each session shows the 50 % alert exactly once', async () => {
    // Budget 16,000 counted tokens; each session used 600 -> 9,600 in all (60 %): the 10, 25 and 50 %
    // thresholds are crossed while the hooks race each other.
    mkdirSync(path.join(h.configDir, 'cco'), { recursive: true });
    writeFileSync(
      path.join(h.configDir, 'cco', 'config.json'),
      JSON.stringify({ plan: 'custom', customBudget: 16_000, quota: { desktopNotifications: false } }),
    );
    const dir = path.join(h.configDir, 'projects', '-work');
    mkdirSync(dir, { recursive: true });
    const now = new Date().toISOString();
    const payloads = Array.from({ length: N }, (_, i) => {
      const sid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const transcript = path.join(dir, `${sid}.jsonl`);
      writeFileSync(transcript, assistantLine({ sessionId: sid, id: String(i), timestamp: now, model: 'm', usage: [500, 100, 0, 9_000] }) + '\n');
      return { sid, stdin: JSON.stringify({ session_id: sid, transcript_path: transcript, cwd: '/work', hook_event_name: 'PostToolUse', tool_name: 'Bash' }) };
    });
    const shown = new Map<string, string[]>(payloads.map((p) => [p.sid, []]));
    // Four rounds of 16 hooks at once race each other and the background tracker; after the tracker
    // settles, a fifth round shows what the last tracking left in the outboxes.
    for (let round = 0; round < 5; round++) {
      if (round === 4) await syncTracker(h.env());
      // Each session's PostToolUse (the note for the model) and Stop (the line for the person) race too.
      const results = await Promise.all(
        payloads.flatMap((p) => [HOOK_BUNDLES['post-tool-use'], HOOK_BUNDLES.stop].map(async (b) => ({ sid: p.sid, r: await runHook(b, p.stdin) }))),
      );
      for (const { sid, r } of results) {
        expect(r.code).toBe(0);
        const out = r.stdout.trim() === '' ? null : (JSON.parse(r.stdout) as { systemMessage?: string });
        if (out?.systemMessage !== undefined) shown.get(sid)!.push(out.systemMessage);
      }
    }
    await syncTracker(h.env());
    const q = JSON.parse(readFileSync(path.join(h.accountDir, 'quota-tracker.json'), 'utf8')) as {
      alerts: { id: string; threshold: number; deliveredTo: string[] }[];
      blocks: { entries: number }[];
    };
    expect(q.blocks.at(-1)!.entries).toBe(N);
    expect(q.alerts.map((a) => a.threshold).sort((a, b) => a - b)).toEqual([10, 25, 50]);
    expect(new Set(q.alerts.map((a) => a.id)).size).toBe(3);
    for (const a of q.alerts) expect([...a.deliveredTo].sort()).toEqual(payloads.map((p) => p.sid).sort());
    for (const [sid, messages] of shown) {
      const fifty = messages.filter((m) => m.startsWith('cco: 50% of the 5-hour quota reached'));
      expect(fifty, `session ${sid}: ${JSON.stringify(messages)}`).toHaveLength(1);
    }
  }, 180_000);
});
