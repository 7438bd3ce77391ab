import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { spawnSync } from 'node:child_process';
import { runHookSync, type HookName } from '../helpers/spawn-bundle.ts';
import { assistantLine } from '../helpers/one-response.ts';

const h = tempHome();
afterAll(() => h.cleanup());

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe('quota alerts tell the truth when they are shown (built hooks, background tracker)', () => {
  it('a session that starts after a crossing gets the window as it stands once; later crossings reach it as crossings', () => {
    mkdirSync(path.join(h.configDir, 'cco'), { recursive: true });
    writeFileSync(
      path.join(h.configDir, 'cco', 'config.json'),
      JSON.stringify({ plan: 'custom', customBudget: 10_000, quota: { desktopNotifications: false } }),
    );
    const dir = path.join(h.configDir, 'projects', '-work');
    mkdirSync(dir, { recursive: true });
    const tx = (sid: string) => path.join(dir, `${sid}.jsonl`);
    let n = 0;
    const use = (sid: string, counted: number) =>
      appendFileSync(tx(sid), assistantLine({ sessionId: sid, id: String(++n), model: 'claude-opus-5-5', usage: [counted, 0, 0, 50_000] }) + '\n');
    const hook = (name: HookName, sid: string, extra: object = {}) => {
      const r = runHookSync(name, JSON.stringify({ session_id: sid, transcript_path: tx(sid), cwd: '/work', hook_event_name: 'x', ...extra }), h.env());
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      // The person's line (PostToolUse, async, gives the model its note only; Stop shows the line).
      return r.stdout.trim() === '' ? null : ((JSON.parse(r.stdout) as { systemMessage?: string }).systemMessage ?? null);
    };

    writeFileSync(tx(A), '');
    expect(hook('session-start', A, { source: 'startup' })).toBeNull();
    use(A, 6_000); // 60 % of 10,000
    expect(hook('post-tool-use', A, { tool_name: 'Bash' })).toBeNull(); // the tracker decides 10, 25, 50 % now
    expect(hook('stop', A)).toMatch(/^cco: 50% of the 5-hour quota reached: 60\.0% used now \(estimate, customBudget of cco\/config\.json\); resets /);

    writeFileSync(tx(B), '');
    expect(hook('session-start', B, { source: 'startup' })).toBeNull();
    const first = hook('stop', B);
    expect(first).toMatch(/^cco: this 5-hour window is at 60\.0% used \(estimate, customBudget of cco\/config\.json\); resets .*\. MODERATE: /);
    expect(first).not.toMatch(/reached/);
    expect(hook('stop', B)).toBeNull();

    use(A, 1_600); // 76 %: crossed while B is live
    expect(hook('post-tool-use', A, { tool_name: 'Bash' })).toBeNull();
    // B's hook hands B over to the tracker, which leaves the crossing for B's next hook
    expect(hook('post-tool-use', B, { tool_name: 'Read' })).toBeNull();
    expect(hook('stop', B)).toMatch(/^cco: 75% of the 5-hour quota reached: 76\.0% used now/);
    expect(hook('stop', A)).toMatch(/^cco: 75% of the 5-hour quota reached: 76\.0% used now/);
  });
});

describe('the plan hint, once', () => {
  let g: TempHome;
  afterAll(() => g?.cleanup());

  it('estimates against the pro preset with no plan set say how to set it, with the first quota notice only', () => {
    g = tempHome();
    const dir = path.join(g.configDir, 'projects', '-work');
    mkdirSync(dir, { recursive: true });
    const tx = path.join(dir, `${A}.jsonl`);
    let n = 0;
    const use = (counted: number) =>
      appendFileSync(tx, assistantLine({ sessionId: A, id: String(++n), model: 'claude-opus-5-5', usage: [counted, 0, 0, 0] }) + '\n');
    // A tool call (the tracker catches up), then the turn's end (Stop shows the person's line).
    const hook = () => {
      for (const name of ['post-tool-use', 'stop'] as const) {
        const r = runHookSync(name, JSON.stringify({ session_id: A, transcript_path: tx, cwd: '/work', hook_event_name: 'x', tool_name: 'Bash' }), g.env({}));
        expect(r.code).toBe(0);
        const line = r.stdout.trim() === '' ? null : ((JSON.parse(r.stdout) as { systemMessage?: string }).systemMessage ?? null);
        if (name === 'stop') return line;
        expect(line).toBeNull();
      }
      return null;
    };
    use(30_000); // 15 % of the pro preset's 200,000
    const first = hook()!.split('\n');
    expect(first[0]).toMatch(/^cco: 10% of the 5-hour quota reached: 15\.0% used now \(estimate, pro preset, no plan set\)/);
    expect(first[1]).toBe(
      `cco: estimates use the pro preset (200,000 counted tokens per 5 h) because no plan is set, and Claude Code reports official usage only to subscribers. Set yours in ${path.join(g.accountDir, 'config.json')}, e.g. {"plan": "max5"} (free, pro, team, max5, max20, or "custom" with "customBudget").`,
    );
    use(30_000); // 30 %
    const second = hook()!;
    expect(hook()).toBeNull(); // shown once
    expect(second).toMatch(/^cco: 25% of the 5-hour quota reached/);
    expect(second).not.toContain('no plan is set, and');
    // /session-status says it while it applies
    const status = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.mjs'), 'status'], { env: g.env(), encoding: 'utf8', cwd: '/' });
    expect(status.stdout).toContain(`Note: estimates use the pro preset (200,000 counted tokens per 5 h) because no plan is set`);
    // The account's config (shared by its config dirs) is where the hint pointed.
    writeFileSync(path.join(g.accountDir, 'config.json'), JSON.stringify({ plan: 'max5' }));
    const set = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.mjs'), 'status'], { env: g.env(), encoding: 'utf8', cwd: '/' });
    expect(set.stdout).not.toContain('no plan is set');
    expect(set.stdout).toContain('(estimate, max5 preset)');
  });
});
