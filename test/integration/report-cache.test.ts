// `cco report --json` through its caches (the built CLI): cold, warm, after appends, new and deleted
// files, state files written in between, and a cold scan on worker threads, each byte for byte what a
// fresh full scan (--no-cache) of the same bytes prints.
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SOURCES, ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';

const home = tempHomePerTest();

/** A temp config dir holding writable copies of two fixture sources' transcripts. */
function setup(): TempHome {
  const h = home();
  for (const src of [FIXTURE_SOURCES[2]!, FIXTURE_SOURCES[3]!]) cpSync(path.join(src, 'projects'), path.join(h.configDir, 'projects'), { recursive: true });
  for (const f of jsonl(h.configDir)) chmodSync(f, 0o644);
  return h;
}

function jsonl(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.jsonl')) out.push(p);
    }
  };
  walk(path.join(dir, 'projects'));
  return out.sort();
}

function report(h: TempHome, extra: string[] = [], env: Record<string, string> = {}): string {
  return execFileSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'report', '--json', ...extra], { env: h.env(env), encoding: 'utf8', cwd: h.home });
}

const asst = (id: string, sid: string, out: number) => JSON.stringify({
  type: 'assistant', sessionId: sid, requestId: `req_${id}`, timestamp: '2026-01-27T03:00:00.000Z',
  message: { id: `msg_${id}`, model: 'claude-x', stop_reason: 'end_turn', content: [{ type: 'text', text: 'more' }], usage: { input_tokens: 5, output_tokens: out, cache_creation_input_tokens: 50, cache_read_input_tokens: 500 } },
});

describe('cco report --json through its caches', () => {
  it('cold, warm, incremental, new and deleted files: each equals a fresh full scan', () => {
    const h = setup();
    const index = path.join(h.configDir, 'cco', 'cache', 'report-index.json');
    const cold = report(h);
    expect(cold).toBe(report(h, ['--no-cache']));
    const indexed = statSync(index).mtimeMs;
    // Warm: the same report, and nothing rewritten.
    expect(report(h)).toBe(cold);
    expect(statSync(index).mtimeMs).toBe(indexed);
    // Appended to one main transcript (a new response, then a larger streamed copy of it).
    const main = jsonl(h.configDir).find((f) => !f.includes('subagents') && !path.basename(f).startsWith('agent-'))!;
    const sid = path.basename(main, '.jsonl');
    appendFileSync(main, asst('inc1', sid, 7) + '\n');
    const r1 = report(h);
    expect(r1).toBe(report(h, ['--no-cache']));
    expect(r1).not.toBe(cold);
    appendFileSync(main, asst('inc1', sid, 70) + '\n' + asst('inc2', sid, 1) + '\n');
    expect(report(h)).toBe(report(h, ['--no-cache']));
    // A new file and a deleted one.
    writeFileSync(path.join(path.dirname(main), 'aaaaaaaa-0000-4000-8000-000000000001.jsonl'), asst('new1', 'aaaaaaaa-0000-4000-8000-000000000001', 3) + '\n');
    rmSync(jsonl(h.configDir).at(-1)!);
    expect(report(h)).toBe(report(h, ['--no-cache']));
    // The session record of the grown session is what a full scan records (its subagent files included).
    const tracker = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, { tokens: unknown; entries: number }> }).sessions[sid];
    const fresh = home();
    cpSync(path.join(h.configDir, 'projects'), path.join(fresh.configDir, 'projects'), { recursive: true });
    report(fresh);
    expect(tracker(h.configDir)).toMatchObject({ tokens: tracker(fresh.configDir)!.tokens, entries: tracker(fresh.configDir)!.entries });
  });

  it('scans in full again when a state file was written since (a hook ran), with the same result', () => {
    const h = setup();
    report(h);
    const st = path.join(h.configDir, 'session-tracker.json');
    const t = JSON.parse(readFileSync(st, 'utf8')) as Record<string, unknown>;
    writeFileSync(st, JSON.stringify(t));
    const main = jsonl(h.configDir)[0]!;
    appendFileSync(main, asst('after-hook', path.basename(main, '.jsonl'), 9) + '\n');
    expect(report(h)).toBe(report(h, ['--no-cache']));
    // A damaged index is rebuilt, not trusted.
    const index = path.join(h.configDir, 'cco', 'cache', 'report-index.json');
    writeFileSync(index, readFileSync(index, 'utf8').replace(/"input_tokens":\d+/, '"input_tokens":1'));
    expect(report(h)).toBe(report(h, ['--no-cache']));
  });

  it('gives the same report when the cold scan runs on worker threads (dist/scan-worker.mjs)', () => {
    const h = setup();
    expect(existsSync(path.join(ROOT, 'dist', 'scan-worker.mjs'))).toBe(true);
    const viaPool = report(h, [], { CCO_SCAN_WORKERS: '2' });
    expect(viaPool).toBe(report(h, ['--no-cache']));
    // Recent transcripts got their cache files from the workers, and a later hook-style catch-up reads them.
    const caches = readdirSync(path.join(h.configDir, 'cco', 'cache', 'transcripts')).filter((n) => n.endsWith('.json'));
    expect(caches.length).toBe(jsonl(h.configDir).length);
    const main = jsonl(h.configDir)[0]!;
    appendFileSync(main, asst('pool-inc', path.basename(main, '.jsonl'), 4) + '\n');
    expect(report(h, [], { CCO_SCAN_WORKERS: '2' })).toBe(report(h, ['--no-cache']));
  });
});
