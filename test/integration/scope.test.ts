// What the pack writes, and with which permissions: a whole session driven through the real bundles
// (every hook, the status line, the commands a session's slash commands run) in a temp HOME that also
// holds Claude Code's own files. Only our state files and `cco/` may change; they are 0600 files in
// 0700 folders; `.claude.json` (both places) and settings.json are never touched.
import { OURS } from '../helpers/sandbox-env.ts';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/cli/doctor.ts';
import { processRuntime } from '../../src/runtime.ts';
import { captureIo } from '../helpers/command-io.ts';
import { tempHome } from '../helpers/sandbox-env.ts';
import { diffSnapshots, HOOK_BUNDLES, runBundle, snapshot, syncTracker, type HookName } from '../helpers/spawn-bundle.ts';

const h = tempHome();
afterAll(() => h.cleanup());

/** Paths (relative to HOME) the pack may create or change: DESIGN.md "State files". */

describe('scope of a whole session', () => {
  it('changes only our files, 0600 in 0700 folders, and never .claude.json or settings.json', async () => {
    const c = h.configDir;
    const sid = '6f1c2d3e-0000-4000-8000-00000000abcd';
    const cwd = path.join(h.home, 'proj');
    mkdirSync(cwd, { recursive: true });
    const tdir = path.join(c, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(tdir, { recursive: true });
    mkdirSync(path.join(c, 'plugins'), { recursive: true });
    // Claude Code's own files, as a user has them.
    writeFileSync(path.join(h.home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, projects: { [cwd]: { hasTrustDialogAccepted: true } } }));
    writeFileSync(path.join(c, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, numStartups: 3 }));
    writeFileSync(
      path.join(c, 'settings.json'),
      JSON.stringify({ model: 'opus', permissions: { allow: ['Bash(ls:*)'] }, enabledPlugins: { 'cco@cco-local': true } }),
    );
    writeFileSync(path.join(c, 'plugins', 'installed_plugins.json'), JSON.stringify({ version: 2, plugins: {} }));
    const transcript = path.join(tdir, `${sid}.jsonl`);
    writeFileSync(transcript, '');
    const before = snapshot(h.home);

    const env = h.env({ CLAUDE_PROJECT_DIR: cwd, CLAUDE_CODE_SESSION_ID: sid });
    const base = { session_id: sid, transcript_path: transcript, cwd };
    let n = 0;
    const turn = (tool: string | null) => {
      n++;
      appendFileSync(
        transcript,
        JSON.stringify({
          type: 'assistant',
          sessionId: sid,
          cwd,
          requestId: `req_${n}`,
          timestamp: new Date().toISOString(),
          isSidechain: false,
          message: {
            id: `msg_${n}`,
            model: 'claude-opus-4-5',
            stop_reason: tool ? 'tool_use' : 'end_turn',
            content: [tool ? { type: 'tool_use', id: `toolu_${n}`, name: tool, input: { command: 'ls' } } : { type: 'text', text: 'done' }],
            usage: { input_tokens: 10 * n, output_tokens: n, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 * n },
          },
        }) + '\n',
      );
      if (tool)
        appendFileSync(
          transcript,
          JSON.stringify({
            type: 'user',
            sessionId: sid,
            message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${n}`, content: 'a.txt' }] },
          }) + '\n',
        );
    };
    const results: { what: string; code: number | null; stderr: string }[] = [];
    const hook = async (file: HookName, payload: Record<string, unknown>) => {
      const r = await runBundle(HOOK_BUNDLES[file], JSON.stringify({ ...base, ...payload }), env, { cwd });
      await syncTracker(env);
      results.push({ what: file, code: r.code, stderr: r.stderr });
    };
    const cli = async (args: string[], stdin = '') => {
      const r = await runBundle('cli.mjs', stdin, env, { args, cwd });
      results.push({ what: `cco ${args.join(' ')}`, code: r.code, stderr: r.stderr });
    };
    const statusline = JSON.stringify({
      ...base,
      model: { id: 'claude-opus-4-5' },
      context_window: {
        total_input_tokens: 5000,
        context_window_size: 200000,
        used_percentage: 3,
        current_usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 4999 },
      },
      rate_limits: {
        five_hour: { used_percentage: 21.5, resets_at: Math.floor(Date.now() / 1000) + 7200 },
        seven_day: { used_percentage: 40, resets_at: Math.floor(Date.now() / 1000) + 86400 },
      },
    });

    await hook('session-start', { hook_event_name: 'SessionStart', source: 'startup', model: 'claude-opus-4-5' });
    turn('Bash');
    await hook('post-tool-use', { hook_event_name: 'PostToolUse', tool_name: 'Bash' });
    await cli(['statusline'], statusline);
    turn('Read');
    await hook('post-tool-use', { hook_event_name: 'PostToolUse', tool_name: 'Read' });
    turn(null);
    await hook('stop', { hook_event_name: 'Stop' });
    for (const args of [['status'], ['context'], ['compact-plan'], ['sessions'], ['tools'], ['report', '--json'], ['handoff', 'list'], ['calendar']])
      await cli(args);
    await hook('pre-compact', { hook_event_name: 'PreCompact', trigger: 'manual', custom_instructions: 'keep the tests' });
    appendFileSync(
      transcript,
      JSON.stringify({
        type: 'system',
        subtype: 'compact_boundary',
        sessionId: sid,
        parentUuid: null,
        timestamp: new Date().toISOString(),
        compactMetadata: { trigger: 'manual', preTokens: 5000, postTokens: 900 },
      }) + '\n',
    );
    await hook('session-start', { hook_event_name: 'SessionStart', source: 'compact' });
    turn(null);
    await hook('stop', { hook_event_name: 'Stop' });
    const io = captureIo();
    // It runs to its end (this home has no plugin settings: it finds fixes, which --exit-zero does not count).
    expect(await doctor(processRuntime(env), ['--exit-zero'], io)).toBe(0);
    await hook('session-end', { hook_event_name: 'SessionEnd', reason: 'prompt_input_exit' });

    for (const r of results) expect(r, r.what).toMatchObject({ code: 0 });
    const hookErrors = results.filter((r) => !r.what.startsWith('cco') && r.stderr !== '');
    expect(hookErrors).toEqual([]);

    const after = snapshot(h.home);
    const { changed, removed } = diffSnapshots(before, after);
    expect(removed).toEqual([]);
    const notOurs = changed.filter((p) => !OURS.test(p) && p !== path.relative(h.home, transcript));
    expect(notOurs).toEqual([]);
    // What the session must have produced (so the test is not passing on an empty run).
    for (const p of [
      '.claude/session-tracker.json',
      '.local/state/claude-code-optimizer/accounts/default/quota-tracker.json',
      '.local/state/claude-code-optimizer/config-dirs.json',
      '.claude/cco',
      '.claude/cco/cache/transcripts',
      '.claude/cco/handoffs',
      '.claude/calendar',
    ])
      expect(changed).toContain(p);
    // Permissions of everything of ours.
    const loose = changed
      .filter((p) => OURS.test(p))
      .map((p) => [p, after.get(p)!] as const)
      .filter(([, v]) => (v.startsWith('dir ') ? v.slice(4, 7) !== '700' : v.slice(5, 8) !== '600'));
    expect(loose).toEqual([]);
    for (const p of ['.claude.json', '.claude/.claude.json', '.claude/settings.json', '.claude/plugins/installed_plugins.json'])
      expect(after.get(p), p).toBe(before.get(p));
  }, 120_000);
});
