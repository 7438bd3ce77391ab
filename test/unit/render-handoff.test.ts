import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecords, readTranscriptRecords } from '../../src/claude/transcript-records.ts';
import { contextStatus } from '../../src/context/context-status.ts';
import { KEEP_LIST_TITLE, MAX_KEEP_LIST_CHARS, preCompactInstructions } from '../../src/handoff/compact-instructions.ts';
import { handoffFacts, type HandoffFacts } from '../../src/handoff/handoff-facts.ts';
import { HANDOFF_TITLE, renderHandoff } from '../../src/handoff/render-handoff.ts';
import { handoffOutput, MAX_INJECT_CHARS, mergeHookOutputs } from '../../src/hook/session-start-output.ts';
import { quotaLevel } from '../../src/quota/levels.ts';
import type { QuotaStatus } from '../../src/quota/quota-status.ts';
import { HAS_SHARED_FIXTURES, LOCAL_FIXTURES, NEEDS_SHARED, SHARED_SOURCES } from '../helpers/fixture-sets.ts';

const tool = (id: string, name: string, input: Record<string, unknown>) => ({
  type: 'assistant',
  isSidechain: false,
  message: { id: `msg_${id}`, role: 'assistant', content: [{ type: 'tool_use', id, name, input }] },
});
const result = (id: string, isError = false) => ({
  type: 'user',
  isSidechain: false,
  message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: isError ? 'Error: failed' : 'ok', is_error: isError }] },
});

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const NOW = T0 + (2 * 60 + 55) * 60_000; // 2 h 55 min into the window: resets in 2 h 05 min

const facts: HandoffFacts = {
  sessionId: 'sess-1',
  cwd: '/w/p',
  model: 'claude-opus-4-5',
  lastActivityAt: null,
  compacted: false,
  firstRequest: 'Add a --dry-run flag',
  recentRequests: ['Add a --dry-run flag', 'also update the changelog'],
  files: [
    { path: '/w/p/README.md', lastAction: 'Write', modified: true, lastFailed: false, touches: 1 },
    { path: '/w/p/deploy.sh', lastAction: 'Edit', modified: false, lastFailed: true, touches: 3 },
    { path: '/w/p/notes.txt', lastAction: 'Read', modified: false, lastFailed: false, touches: 1 },
  ],
  commands: [
    { command: 'bash deploy.sh --dry-run', failed: true },
    { command: 'echo `date`', failed: false },
  ],
  openTodos: [
    { content: 'Skip the upload', status: 'in_progress' },
    { content: 'Document it', status: 'pending' },
  ],
  decisions: ['Keep getopts.', 'Done.'],
  earlierSummary: null,
  messages: 12,
};

const quota = {
  plan: 'pro',
  budget: 200_000,
  budgetSource: 'estimate, pro preset',
  window: { startMs: T0, endMs: T0 + 5 * 3_600_000, source: 'estimate, from transcripts' },
  used: 90_400,
  usedPct: 45.2,
  usedPctSource: 'estimate, pro preset',
  usedFraction: 0.452,
  remaining: 109_600,
  level: quotaLevel(45.2),
  burnPerMin: 1_565.7,
  runwayMin: 70,
  runwayToolCalls: null,
  perToolCall: { tokens: 0, calls: 0, perCall: null },
  nextAlertPct: 50,
  tokensToNextAlert: 9_600,
  official: null,
  weekly: null,
} as QuotaStatus;
const context = contextStatus({ tokens: 52_000, timeMs: null, source: 'usage' }, 'claude-opus-4-5', {
  usableFraction: 0.9,
  windowSize: 200_000,
  thresholds: [50, 80, 90],
});

describe('renderHandoff', () => {
  const md = renderHandoff(facts, { sessionId: 'sess-1', project: '/w/p', createdAtMs: NOW, reason: 'save-and-restart' }, { quota, context });
  const lines = md.split('\n');

  it('opens with the title and the header line (session, project, time, reason)', () => {
    expect(lines[0]).toBe(HANDOFF_TITLE);
    expect(lines[2]).toBe('Session `sess-1` · project `/w/p` · written 2026-11-20 12:55 UTC · reason: save-and-restart');
  });

  it('has every section in order', () => {
    const heads = lines.filter((l) => l.startsWith('## '));
    expect(heads).toEqual([
      '## Objectives',
      '## Open todos',
      '## Files touched (most recent first; last change, else last call)',
      '## Commands run (oldest first)',
      '## Last requests (oldest first)',
      '## Last decisions (assistant, oldest first)',
      '## Quota and context',
      '## How to continue',
    ]);
  });

  it('lists objectives, todos, files with their last action, commands (backticks kept), requests and decisions', () => {
    expect(md).toContain('## Objectives\n- First request: Add a --dry-run flag\n- Latest request: also update the changelog\n');
    expect(md).toContain('## Open todos\n- [in progress] Skip the upload\n- [pending] Document it\n');
    expect(md).toContain('- `/w/p/README.md`: Write\n- `/w/p/deploy.sh`: Edit (failed) · 3 calls\n- `/w/p/notes.txt`: Read\n');
    expect(md).toContain('- `bash deploy.sh --dry-run` (failed)\n- `` echo `date` ``\n');
    expect(md).toContain('1. Add a --dry-run flag\n2. also update the changelog\n');
    expect(md).toContain('- Keep getopts.\n- Done.\n');
  });

  it('names an edited file by its change even when reads or a failed call followed it', () => {
    const edited = handoffFacts(
      parseRecords(
        [
          tool('a', 'Read', { file_path: '/w/p/a.ts' }),
          result('a'),
          tool('b', 'Edit', { file_path: '/w/p/a.ts', old_string: 'x', new_string: 'y' }),
          result('b'),
          tool('c', 'Read', { file_path: '/w/p/a.ts' }),
          result('c'),
          tool('d', 'Write', { file_path: '/w/p/b.ts', content: 'z' }),
          result('d'),
          tool('e', 'Edit', { file_path: '/w/p/b.ts', old_string: 'q', new_string: 'r' }),
          result('e', true),
          tool('f', 'Edit', { file_path: '/w/p/c.ts', old_string: 'q', new_string: 'r' }),
          result('f', true),
          tool('g', 'Read', { file_path: '/w/p/c.ts' }),
          result('g'),
        ]
          .map((x) => JSON.stringify(x))
          .join('\n'),
      ),
    );
    const m = renderHandoff(edited, { sessionId: 's', project: '/w/p', createdAtMs: NOW, reason: 'save-and-restart' }, { quota: null, context: null });
    expect(m).toContain(
      '## Files touched (most recent first; last change, else last call)\n' +
        '- `/w/p/c.ts`: Read · 2 calls\n' + // its only Edit failed: never modified
        '- `/w/p/b.ts`: Write (a later call failed) · 2 calls\n' +
        '- `/w/p/a.ts`: Edit · 3 calls\n',
    );
  });

  it('states quota and context with their sources', () => {
    expect(md).toContain('- 5-hour window: 45.2% used (estimate, pro preset) · level GOOD · resets 2026-11-20 15:00 UTC (in 2h 05m)\n');
    expect(md).toContain('- Left: about 109,600 tokens of 200,000 (estimate, pro preset) · about 1h 10m at the current burn rate\n');
    expect(md).toContain(`- Advice: ${quotaLevel(45.2).recommendation}\n`);
    expect(md).toContain('- Context: 52,000 of 180,000 usable tokens (28.9%; measured, last response) · level HEALTHY\n');
  });

  it('says so when facts or state are missing, rather than dropping sections', () => {
    const empty = handoffFacts([]);
    const m = renderHandoff(empty, { sessionId: 's', project: null, createdAtMs: NOW, reason: 'pre-compact (auto)' }, { quota: null, context: null });
    expect(m).toContain('project `unknown`');
    expect(m).toContain('reason: pre-compact (auto)');
    expect(m).toContain('_The transcript holds no messages yet');
    expect(m).toContain('- (no user request found in the transcript)');
    expect(m).toContain('- (no TodoWrite list in this session)');
    expect(m).toContain('- 5-hour window: unknown (no quota state yet)');
    expect(m).toContain('- Context: unknown (session not tracked yet)');
    const noWindow = renderHandoff(
      facts,
      { sessionId: 's', project: '/w/p', createdAtMs: NOW, reason: 'save-and-restart' },
      { quota: { ...quota, window: null }, context: contextStatus(null, null, { usableFraction: 0.9, windowSize: 200_000, thresholds: [50] }) },
    );
    expect(noWindow).toContain('- 5-hour window: none open (no usage in the last 5 hours) · plan pro\n');
    expect(noWindow).toContain('- Context: no response yet · usable limit 180,000 tokens\n');
    const unknown = renderHandoff(
      facts,
      { sessionId: 's', project: '/w/p', createdAtMs: NOW, reason: 'save-and-restart' },
      { quota, context: contextStatus({ tokens: 52_000, timeMs: null, source: 'usage' }, 'claude-foo-1', { thresholds: [50] }) },
    );
    expect(unknown).toContain('- Context: 52,000 tokens (measured, last response) · usable limit unknown (window unknown for claude-foo-1)\n');
  });

  it('renders a compacted session with its earlier summary as a blockquote (case compaction)', () => {
    const file = path.join(LOCAL_FIXTURES, 'compaction', 'projects', '-home-dev-compaction', '5e080001-0000-4000-8000-000000000000.jsonl');
    const f = handoffFacts(readTranscriptRecords(file));
    const m = renderHandoff(
      f,
      { sessionId: '5e080001', project: '/home/dev/compaction', createdAtMs: NOW, reason: 'pre-compact (manual)' },
      { quota, context },
    );
    expect(m).toContain(
      '## Earlier summary (from the last compaction)\n\n> 1. Primary Request and Intent:\n>    The user asked for CSV export in the report command.',
    );
    expect(m).toContain('/home/dev/compaction/src/report.ts');
    expect(m).not.toContain('- (all todos completed)');
  });
});

describe.skipIf(!HAS_SHARED_FIXTURES)(`renderHandoff on a real transcript: ${NEEDS_SHARED}`, () => {
  it('renders a real compacted session with its earlier summary as a blockquote, under 10,000 characters', () => {
    const entire = path.join(SHARED_SOURCES[3]!, 'projects', '-Users-alex-workspace-cli', '0cf3db51-1c73-43bb-8d05-dc02739514a5.jsonl');
    const f = handoffFacts(readTranscriptRecords(entire));
    const m = renderHandoff(
      f,
      { sessionId: '0cf3db51', project: '/Users/alex/workspace/cli', createdAtMs: NOW, reason: 'pre-compact (manual)' },
      { quota, context },
    );
    expect(m).toContain('## Earlier summary (from the last compaction)\n\n> 1. Primary Request and Intent:\n>    - User wanted to brainstorm Linear ENT-53');
    expect(m).toContain('- (all todos completed)');
    expect(m.length).toBeLessThan(10_000);
  });
});

describe('preCompactInstructions (the PreCompact keep-list)', () => {
  it('lists objective, latest request, changed files before read ones, open todos, decisions and the snapshot path', () => {
    expect(preCompactInstructions(facts, '/h/x.md')).toBe(
      [
        KEEP_LIST_TITLE,
        "- The session's objective (first request): Add a --dry-run flag",
        '- The latest request: also update the changelog',
        '- Files in progress, with the last change (else the last call) on each: /w/p/README.md (Write); /w/p/deploy.sh (Edit, failed); /w/p/notes.txt (Read)',
        '- Open todos, with their status: [in_progress] Skip the upload; [pending] Document it',
        '- Decisions and findings so far: "Keep getopts." "Done."',
        '(A fuller handoff snapshot was saved to /h/x.md; it is re-injected when the session restarts.)',
        '',
      ].join('\n'),
    );
  });

  it('puts a changed file before one read later, and says a later call failed, not the change', () => {
    const f: HandoffFacts = {
      ...facts,
      files: [
        { path: '/w/p/notes.txt', lastAction: 'Read', modified: false, lastFailed: false, touches: 1 },
        { path: '/w/p/app.ts', lastAction: 'Edit', modified: true, lastFailed: true, touches: 3 },
      ],
    };
    expect(preCompactInstructions(f)).toContain('on each: /w/p/app.ts (Edit, a later call failed); /w/p/notes.txt (Read)\n');
  });

  it('is empty when there is nothing to keep, and never longer than its cap', () => {
    expect(preCompactInstructions(handoffFacts([]))).toBe('');
    const many: HandoffFacts = {
      ...facts,
      openTodos: Array.from({ length: 12 }, (_, i) => ({ content: `${i} ${'t'.repeat(300)}`, status: 'pending' })),
      decisions: ['d'.repeat(400), 'e'.repeat(400), 'f'.repeat(400)],
    };
    const k = preCompactInstructions(many, '/h/x.md');
    expect(k.length).toBeLessThanOrEqual(MAX_KEEP_LIST_CHARS);
    expect(k.startsWith(KEEP_LIST_TITLE)).toBe(true);
    expect(k.startsWith('{')).toBe(false); // plain text: Claude Code would parse a leading { as hook JSON
  });
});

describe('SessionStart output for a pending handoff', () => {
  const entry = { file: '/h/p/2026.md', createdAt: '2026-11-20T12:55:00.000Z', sessionId: 'old', reason: 'save-and-restart', project: '/w/p', sha256: 'x' };

  it('injects the text after one line saying what it is, and tells the person', () => {
    const out = handoffOutput({ kind: 'injected', entry, text: '# H\nbody\n', edited: false })!;
    expect(out.systemMessage).toBe('cco: resumed from handoff /h/p/2026.md (save-and-restart, 2026-11-20 12:55 UTC)');
    const ctx = out.hookSpecificOutput as { hookEventName: string; additionalContext: string };
    expect(ctx.hookEventName).toBe('SessionStart');
    expect(ctx.additionalContext).toBe(
      'This is a handoff from an earlier Claude Code session in this project (session old, saved 2026-11-20 12:55 UTC, save-and-restart; file /h/p/2026.md). Continue that work from it.\n\n# H\nbody\n',
    );
  });

  it('says when the file was edited or cut', () => {
    const edited = handoffOutput({ kind: 'injected', entry, text: 'x'.repeat(MAX_INJECT_CHARS + 10), edited: true })!;
    expect(edited.systemMessage).toBe(
      'cco: resumed from handoff /h/p/2026.md (save-and-restart, 2026-11-20 12:55 UTC, edited since it was saved, cut to 9,500 characters)',
    );
    const ctx = (edited.hookSpecificOutput as { additionalContext: string }).additionalContext;
    expect(ctx).toContain('edited by the user since');
    expect(ctx).toContain(`${'x'.repeat(MAX_INJECT_CHARS)}\n…\n(cut at 9,500 characters; the whole handoff is in /h/p/2026.md)`);
    expect(ctx).not.toContain('x'.repeat(MAX_INJECT_CHARS + 1));
  });

  it('a deleted or emptied file: a clear message and nothing injected; no pending: nothing at all', () => {
    expect(handoffOutput({ kind: 'missing', entry, why: null })).toEqual({
      systemMessage: 'cco: the pending handoff /h/p/2026.md was deleted; nothing injected',
    });
    expect(handoffOutput({ kind: 'missing', entry, why: 'not a regular file (a FIFO)' })).toEqual({
      systemMessage: 'cco: the pending handoff /h/p/2026.md is no handoff file (not a regular file (a FIFO)); nothing injected',
    });
    expect(handoffOutput({ kind: 'empty', entry })).toEqual({ systemMessage: 'cco: the pending handoff /h/p/2026.md is empty; nothing injected' });
    expect(handoffOutput({ kind: 'none' })).toBeNull();
    expect(handoffOutput({ kind: 'not-mine', entry })).toBeNull();
  });

  it('merges with a quota alert: messages by newline, contexts by a blank line', () => {
    const alert = {
      systemMessage: 'cco: 75% of the 5-hour quota reached',
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'Plan smaller steps.' },
    };
    const handoff = {
      systemMessage: 'cco: resumed from handoff /h.md (x)',
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'HANDOFF' },
    };
    expect(mergeHookOutputs('SessionStart', alert, handoff)).toEqual({
      systemMessage: 'cco: 75% of the 5-hour quota reached\ncco: resumed from handoff /h.md (x)',
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'Plan smaller steps.\n\nHANDOFF' },
    });
    expect(mergeHookOutputs('SessionStart', { systemMessage: 'a' }, handoff)).toEqual({
      systemMessage: 'a\ncco: resumed from handoff /h.md (x)',
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'HANDOFF' },
    });
    expect(mergeHookOutputs('SessionStart', { systemMessage: 'a' }, { systemMessage: 'b' })).toEqual({ systemMessage: 'a\nb' });
    expect(mergeHookOutputs('SessionStart', null, handoff)).toBe(handoff);
    expect(mergeHookOutputs('SessionStart', alert, null)).toBe(alert);
    expect(mergeHookOutputs('SessionStart', null, null)).toBeNull();
  });
});
