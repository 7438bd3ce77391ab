import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_LIST_TITLE } from '../../src/handoff/compact-instructions.ts';
import { HANDOFF_TITLE } from '../../src/handoff/render-handoff.ts';
import { mainRequests, mockPool, requestText, type MockApi, type ScriptTurn, type Usage } from './mock-anthropic.ts';
import { REPO_ROOT } from './paths.ts';
import { installPlugin, makeSandbox, runClaude, type Sandbox } from './sandbox.ts';
import { readTranscript, transcriptPath } from './transcript.ts';

const U: Usage = { input_tokens: 120, cache_creation_input_tokens: 900, cache_read_input_tokens: 4_000, output_tokens: 40 };
const REQUEST = 'rename beta to gamma in notes.txt and note it in the changelog (CCO-REQUEST-MARKER)';
const DECISION = 'Renamed beta to gamma (CCO-DECISION-MARKER); the changelog entry is still open.';
const HANDOFF_INTRO = 'SessionStart hook additional context: This is a handoff from an earlier Claude Code session in this project';

interface Index {
  pending: Record<string, { file: string; reason: string; sessionId: string }>;
  consumed: { file: string; outcome: string; by: string; reason: string }[];
}

let sb: Sandbox;
let sessionId: string;
const mocks = mockPool();
const mockOf = (script: ScriptTurn[]): Promise<MockApi> => mocks.start(script);

const index = (): Index => JSON.parse(readFileSync(path.join(sb.configDir, 'cco', 'handoffs', 'pending.json'), 'utf8')) as Index;

describe('handoffs with the real Claude Code CLI', () => {
  beforeAll(async () => {
    sb = makeSandbox();
    installPlugin(sb);
    const notes = path.join(sb.projectDir, 'notes.txt');
    writeFileSync(notes, 'alpha\nbeta\n');
    const work = await mockOf([
      { tool: { name: 'Read', input: { file_path: notes } }, usage: U },
      {
        tool: {
          name: 'TodoWrite',
          input: {
            todos: [
              { content: 'Rename beta to gamma', status: 'completed', activeForm: 'Renaming beta to gamma' },
              { content: 'Add the CCO-TODO-MARKER changelog entry', status: 'pending', activeForm: 'Adding the changelog entry' },
            ],
          },
        },
        usage: U,
      },
      { tool: { name: 'Edit', input: { file_path: notes, old_string: 'beta', new_string: 'gamma' } }, usage: U },
      { tool: { name: 'Bash', input: { command: 'echo cco-handoff-bash', description: 'echo a marker' } }, usage: U },
      { text: DECISION, usage: U },
    ]);
    const res = await runClaude(['-p', REQUEST, '--output-format', 'json', '--allowedTools', 'Read,Edit,Bash,TodoWrite'], { sandbox: sb, mockUrl: work.url });
    expect(res.code, res.stderr).toBe(0);
    sessionId = (JSON.parse(res.stdout) as { session_id: string }).session_id;
    expect(readFileSync(notes, 'utf8')).toBe('alpha\ngamma\n');
  }, 400_000);

  afterAll(async () => {
    await mocks.closeAll();
    sb?.cleanup();
  });

  it('(a) /cco:save-and-restart saves a pending handoff; a --resume of the saving session leaves it; the next new `claude -p` here gets it in its first request, once', async () => {
    const saveMock = await mockOf([{ text: 'Saved; type /clear to continue.', usage: U }]);
    const saved = await runClaude(['-p', '/cco:save-and-restart', '--resume', sessionId, '--output-format', 'json'], { sandbox: sb, mockUrl: saveMock.url });
    expect(saved.code, saved.stdout + saved.stderr).toBe(0);
    const entry = Object.values(index().pending)[0]!;
    expect(entry).toMatchObject({ reason: 'save-and-restart', sessionId });
    expect(existsSync(entry.file)).toBe(true);
    // The slash command's `!` output (path + markdown) is what the model was asked to confirm.
    const cmdText = requestText(mainRequests(saveMock)[0]!);
    expect(cmdText).toContain(`cco: handoff of session ${sessionId} saved to ${entry.file}`);
    expect(cmdText).toContain('To continue from this handoff, start a new session: type /clear');

    // The saving session resumed: it still has the context the handoff came from; the handoff waits.
    const resumedMock = await mockOf([{ text: 'Still here.', usage: U }]);
    const resumed = await runClaude(['-p', 'one more thing', '--resume', sessionId, '--output-format', 'json'], { sandbox: sb, mockUrl: resumedMock.url });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(requestText(mainRequests(resumedMock)[0]!)).not.toContain(HANDOFF_INTRO);
    expect(Object.values(index().pending)[0]).toMatchObject({ file: entry.file });

    const next = await mockOf([{ text: 'Continuing.', usage: U }]);
    const res = await runClaude(['-p', 'continue where we left off', '--output-format', 'stream-json', '--verbose'], { sandbox: sb, mockUrl: next.url });
    expect(res.code, res.stderr).toBe(0);
    const first = requestText(mainRequests(next)[0]!);
    expect(first).toContain(HANDOFF_INTRO);
    expect(first).toContain(HANDOFF_TITLE);
    expect(first).toContain(`Session \`${sessionId}\` · project \`${sb.projectDir}\``);
    expect(first).toContain(`- First request: ${REQUEST}`);
    expect(first).toContain(`- \`${path.join(sb.projectDir, 'notes.txt')}\`: Edit · 2 calls`);
    expect(first).toContain('- `echo cco-handoff-bash`');
    // Claude Code 2.1.329 rejects TodoWrite ("TodoWrite is disabled for this session"): its list is not
    // the session's todo list, and the handoff says there is none.
    expect(first).not.toContain('CCO-TODO-MARKER');
    expect(first).toContain('- (no TodoWrite list in this session)');
    expect(first).toContain(`- ${DECISION}`);
    // The person is told: the systemMessage is stored in the new session's transcript (attachment
    // hook_system_message); under -p it is not printed as a notice.
    const newId = res.stdout
      .split('\n')
      .filter((l) => l.includes('"type":"result"'))
      .map((l) => JSON.parse(l) as { session_id: string })[0]!.session_id;
    const shown = readTranscript(transcriptPath(sb.configDir, sb.projectDir, newId))
      .filter((r) => r.type === 'attachment' && r.attachment?.type === 'hook_system_message')
      .map((r) => JSON.stringify(r.attachment));
    expect(
      shown.filter((x) => x.includes(`cco: resumed from handoff ${entry.file} (save-and-restart, `)),
      JSON.stringify(shown),
    ).toHaveLength(1);
    expect(index().pending).toEqual({});

    const later = await mockOf([{ text: 'ok', usage: U }]);
    expect((await runClaude(['-p', 'anything else?', '--output-format', 'json'], { sandbox: sb, mockUrl: later.url })).code).toBe(0);
    expect(requestText(mainRequests(later)[0]!)).not.toContain(HANDOFF_INTRO);
  });

  it('(b) /compact: our keep-list reaches the compaction request; the snapshot is re-injected after it', async () => {
    const compactMock = await mockOf([]);
    const res = await runClaude(['-p', '/compact keep CCO-KEEP-X', '--resume', sessionId, '--output-format', 'json'], {
      sandbox: sb,
      mockUrl: compactMock.url,
    });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const compact = compactMock.requests.filter((r) => r.kind === 'compact');
    expect(compact).toHaveLength(1);
    const instructions = requestText(compact[0]!);
    const at = instructions.indexOf('Additional Instructions:');
    expect(at).toBeGreaterThan(0);
    const tail = instructions.slice(at);
    expect(tail).toContain('keep CCO-KEEP-X');
    expect(tail).toContain(KEEP_LIST_TITLE);
    expect(tail).toContain(`- The session's objective (first request): ${REQUEST}`);
    expect(tail).toContain(`${path.join(sb.projectDir, 'notes.txt')} (Edit)`);
    expect(tail).not.toContain('CCO-TODO-MARKER'); // the CLI rejected that TodoWrite

    // PreCompact saved the snapshot; the post-compaction SessionStart (source compact) took it at once.
    const taken = index().consumed.at(-1)!;
    expect(taken).toMatchObject({ reason: 'pre-compact (manual)', outcome: 'injected', by: sessionId });
    expect(readFileSync(taken.file, 'utf8')).toContain('reason: pre-compact (manual)');
    expect(index().pending).toEqual({});

    const after = await mockOf([{ text: 'Picking up.', usage: U }]);
    const resumed = await runClaude(['-p', 'go on', '--resume', sessionId, '--output-format', 'json'], { sandbox: sb, mockUrl: after.url });
    expect(resumed.code, resumed.stderr).toBe(0);
    const text = requestText(mainRequests(after)[0]!);
    expect(text).toContain('Mock summary of the conversation so far.');
    expect(text).toContain(HANDOFF_INTRO);
    expect(text).toContain('reason: pre-compact (manual)');
    expect(text).toContain('- (no TodoWrite list in this session)');
  });

  it('(c) the handoff-writer agent gets the plugin root substituted and saves its own handoff with --stdin', async () => {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.mjs');
    const rich = '# Session handoff\n\n## Goal\nRename beta to gamma (CCO-AGENT-MARKER).\n\n## Next steps\n1. Write the changelog entry.';
    const agentMock = await mockOf([
      {
        tool: {
          name: 'Agent',
          input: { description: 'write a handoff', prompt: 'Write a rich handoff of this session.', subagent_type: 'cco:handoff-writer' },
        },
        usage: U,
      },
      {
        for: 'subagent',
        tool: { name: 'Bash', input: { command: `node "${cli}" handoff save --stdin <<'CCO_HANDOFF'\n${rich}\nCCO_HANDOFF`, description: 'save the handoff' } },
        usage: U,
      },
      { for: 'subagent', text: 'Saved.', usage: U },
      { text: 'The handoff-writer saved a handoff.', usage: U },
    ]);
    const res = await runClaude(['-p', 'write a detailed handoff', '--resume', sessionId, '--output-format', 'json', '--allowedTools', 'Agent,Bash'], {
      sandbox: sb,
      mockUrl: agentMock.url,
    });
    expect(res.code, res.stderr).toBe(0);
    const sub = agentMock.requests.filter((r) => r.kind === 'subagent');
    expect(sub.length).toBeGreaterThanOrEqual(2);
    // ${CLAUDE_PLUGIN_ROOT} in the agent body reached the model as the plugin's folder.
    expect(requestText(sub[0]!)).toContain(`node "${cli}" handoff save --stdin <<'CCO_HANDOFF'`);
    expect(requestText(sub[0]!)).not.toContain('${CLAUDE_PLUGIN_ROOT}');
    const entry = Object.values(index().pending)[0]!;
    expect(entry).toMatchObject({ reason: 'save-and-restart', sessionId }); // the subagent's Bash runs with the parent's session id
    expect(readFileSync(entry.file, 'utf8')).toBe(`${rich}\n`);
  });
});
