// Status line payloads as Claude Code sends them (interface reference §5.2), and a seeded quota tracker:
// shared by the tests of `cco statusline` and of the status line front.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const MIN = 60_000;
export const SID = '8f6a2b4c-1111-4222-8333-944445555666';

/** A payload as Claude Code sends it after one turn (reference §5.2), with rate_limits when given. */
export function statuslinePayload(
  configDir: string,
  o: { rateLimits?: Record<string, { used_percentage: number; resets_at: number }>; beforeFirstResponse?: boolean } = {},
): string {
  const p: Record<string, unknown> = {
    session_id: SID,
    transcript_path: `${configDir}/projects/-home-me-proj/${SID}.jsonl`,
    cwd: '/home/me/proj',
    effort: { level: 'medium' },
    model: { id: 'claude-opus-4-5', display_name: 'Opus 4.5' },
    workspace: { current_dir: '/home/me/proj', project_dir: '/home/me/proj', added_dirs: [] },
    version: '2.1.329',
    output_style: { name: 'default' },
    cost: { total_cost_usd: 0.013992, total_duration_ms: 16905, total_api_duration_ms: 261, total_lines_added: 0, total_lines_removed: 0 },
    context_window: o.beforeFirstResponse
      ? { total_input_tokens: 0, total_output_tokens: 0, context_window_size: 200_000, current_usage: null, used_percentage: null, remaining_percentage: null }
      : {
          total_input_tokens: 62_000,
          total_output_tokens: 7,
          context_window_size: 200_000,
          current_usage: { input_tokens: 1_000, output_tokens: 7, cache_creation_input_tokens: 1_000, cache_read_input_tokens: 60_000 },
          used_percentage: 31,
          remaining_percentage: 69,
        },
    exceeds_200k_tokens: false,
    fast_mode: false,
    thinking: { enabled: true },
  };
  if (!o.beforeFirstResponse) {
    p.prompt_id = '8fd2aaaa-0000-4000-8000-000000000000';
    p.prompt_cache = { warm: true, ttl: '5m', expires_at: Math.floor(Date.now() / 1000) + 300, requests: 2, misses: 0 };
  }
  if (o.rateLimits) p.rate_limits = o.rateLimits;
  return JSON.stringify(p);
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);
/** five_hour 42 % resetting in 1h23m30s, seven_day 18.3 % resetting in ~3 days. */
export const subscriberLimits = () => ({
  five_hour: { used_percentage: 42, resets_at: nowSec() + 83 * 60 + 30 },
  seven_day: { used_percentage: 18.3, resets_at: nowSec() + 3 * 86_400 },
});

/** A quota tracker the hooks would have written in the account dir: one usage entry 5 min ago (36,000 counted tokens), and `extra`. */
export function seedQuota(accountDir: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(accountDir, { recursive: true });
  const t = Date.now() - 5 * MIN;
  const state = {
    version: 1,
    blocks: [],
    seen: { 'msg_1:req_1': [t, 30_000, 6_000, 0, 900_000] },
    updatedAt: new Date(t).toISOString(),
    readings: [],
    alerts: [],
    calibration: [],
    ...extra,
  };
  writeFileSync(path.join(accountDir, 'quota-tracker.json'), JSON.stringify(state));
}
