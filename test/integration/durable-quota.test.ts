import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeOneResponse } from '../helpers/one-response.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { runHookSync } from '../helpers/spawn-bundle.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

const SID = '99999999-1111-4222-8333-444444444444';

/** A session whose usage crosses 10 % and 25 % of a 10,000-token budget, and a statusline reading. */
function setup(): { hook: () => void; statusline: () => void } {
  h = tempHome();
  mkdirSync(path.join(h.configDir, 'cco'), { recursive: true });
  writeFileSync(path.join(h.configDir, 'cco', 'config.json'), JSON.stringify({ plan: 'custom', customBudget: 10_000, quota: { desktopNotifications: false } }));
  const transcript = writeOneResponse(h.configDir, SID, { model: 'm', usage: [3_000, 0, 0, 0], id: 'm1', requestId: 'r1' });
  const resetsAt = Math.floor(Date.now() / 1000) + 3_600;
  return {
    hook: () => {
      const r = runHookSync('post-tool-use', JSON.stringify({ session_id: SID, transcript_path: transcript, cwd: '/w' }), h.env());
      expect(r.code).toBe(0);
    },
    statusline: () => {
      const r = spawnSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'statusline'], {
        input: JSON.stringify({ session_id: SID, cwd: '/w', rate_limits: { five_hour: { used_percentage: 31.5, resets_at: resetsAt } } }),
        env: h.env(),
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
    },
  };
}

const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as { readings: { usedPercentage: number }[]; alerts: { id: string; deliveredTo: string[] }[] };

describe('official readings and alerts survive the corruption of either state file', () => {
  it('a corrupt quota tracker is rebuilt with its readings and alerts restored from the durable copy', () => {
    const { hook, statusline } = setup();
    statusline();
    hook();
    const qf = path.join(h.accountDir, 'quota-tracker.json');
    const before = read(qf);
    expect(before.readings.map((r) => r.usedPercentage)).toEqual([31.5]);
    expect(before.alerts.length).toBeGreaterThan(0);
    expect(read(path.join(h.accountDir, 'quota-durable.json')).alerts.map((a) => a.id)).toEqual(before.alerts.map((a) => a.id));
    writeFileSync(qf, '{"version":1,"blocks":[{"torn');
    hook();
    const after = read(qf);
    expect(readdirSync(h.accountDir).filter((n) => n.startsWith('quota-tracker.json.corrupt-'))).toHaveLength(1);
    expect(after.readings.map((r) => r.usedPercentage)).toEqual([31.5]);
    expect(after.alerts.map((a) => [a.id, a.deliveredTo])).toEqual(before.alerts.map((a) => [a.id, a.deliveredTo]));
  });

  it('a corrupt durable copy is set aside and rewritten from the quota tracker', () => {
    const { hook, statusline } = setup();
    statusline();
    hook();
    const df = path.join(h.accountDir, 'quota-durable.json');
    writeFileSync(df, 'garbage');
    statusline(); // an unchanged reading: nothing to write, nothing to mirror
    hook();
    writeFileSync(
      path.join(h.configDir, 'cco', 'config.json'),
      JSON.stringify({ plan: 'custom', customBudget: 5_000, quota: { desktopNotifications: false } }),
    );
    hook(); // 60 % of the new budget: a new alert, so the tracker changes and is mirrored
    expect(readdirSync(h.accountDir).filter((n) => n.startsWith('quota-durable.json.corrupt-'))).toHaveLength(1);
    const d = read(df);
    expect(d.readings.map((r) => r.usedPercentage)).toEqual([31.5]);
    expect(d.alerts.map((a) => a.id).sort()).toEqual(
      read(path.join(h.accountDir, 'quota-tracker.json'))
        .alerts.map((a) => a.id)
        .sort(),
    );
  });
});
