import { describe, expect, it } from 'vitest';
import { contextItems, estimateTokens, promptText, targetOf } from '../../src/context/context-items.ts';
import { asst, chars, prompt, recs, result, summary, text, thinking, use } from '../helpers/context-records.ts';

describe('contextItems: kinds, targets, sizes', () => {
  const c = contextItems(
    recs([
      prompt('fix the bug'), // 0: 11 chars
      asst([thinking(chars(40)), text(chars(20))], 1_000), // 1
      asst([use('r1', 'Read', { file_path: '/p/a.ts' })], 1_000), // 2
      result('r1', chars(400)), // 3
      asst([use('t1', 'Task', { subagent_type: 'Explore', prompt: 'look' })], 1_200), // 4
      result('t1', [text(chars(300))]), // 5
      asst([use('e1', 'Edit', { file_path: '/p/a.ts', old_string: 'a', new_string: 'b' })], 1_300), // 6
      result('e1', 'ok'), // 7
      asst([use('b1', 'Bash', { command: 'npm test' })], 1_400), // 8
      result('b1', chars(100), {}, { is_error: true }), // 9
      result('zz', 'orphan'), // 10
    ]),
  );
  const kinds = c.items.map((i) => [i.kind, i.tool, i.target, i.chars, i.line]);

  it('classifies every block and measures it in characters', () => {
    const editJson = JSON.stringify({ file_path: '/p/a.ts', old_string: 'a', new_string: 'b' });
    expect(kinds).toEqual([
      ['conversation', 'user', null, 11, 0],
      ['conversation', 'thinking', null, 40, 1],
      ['conversation', 'assistant', null, 20, 1],
      ['conversation', 'Read', '/p/a.ts', JSON.stringify({ file_path: '/p/a.ts' }).length, 2],
      ['file-read', 'Read', '/p/a.ts', 400, 3],
      ['conversation', 'Task', 'Explore', JSON.stringify({ subagent_type: 'Explore', prompt: 'look' }).length, 4],
      ['subagent-result', 'Task', 'Explore', 300, 5],
      ['code', 'Edit', '/p/a.ts', editJson.length, 6],
      ['tool-result', 'Edit', '/p/a.ts', 2, 7],
      ['conversation', 'Bash', 'npm test', JSON.stringify({ command: 'npm test' }).length, 8],
      ['tool-result', 'Bash', 'npm test', 100, 9],
      ['tool-result', 'unknown', null, 6, 10],
    ]);
  });

  it('estimates tokens as ceil(chars / 4) and numbers items in order', () => {
    expect(c.items.map((i) => i.estTokens)).toEqual(c.items.map((i) => Math.ceil(i.chars / 4)));
    expect(c.items[0]!.estTokens).toBe(3); // 11 chars
    expect(c.items.map((i) => i.id)).toEqual(c.items.map((_, k) => k));
    expect(estimateTokens(0)).toBe(0);
    expect(estimateTokens(400)).toBe(100);
    expect(estimateTokens(401)).toBe(101);
  });

  it('marks error results and puts everything of one prompt in its turn', () => {
    expect(c.items.find((i) => i.tool === 'Bash' && i.kind === 'tool-result')!.isError).toBe(true);
    expect(c.items.find((i) => i.kind === 'file-read')!.isError).toBe(false);
    expect(new Set(c.items.map((i) => i.turn))).toEqual(new Set([1]));
    expect(c.prompts).toEqual([{ turn: 1, line: 0, text: 'fix the bug' }]);
  });
});

describe('contextItems: turns', () => {
  it('opens a turn per real prompt, not for meta, local command output, interruptions or tool results', () => {
    const c = contextItems(
      recs([
        asst([text('before any prompt')]), // 0 turn 0
        prompt('Caveat: local commands below', { isMeta: true }), // 1
        prompt('<command-name>/model</command-name>\n<command-message>model</command-message>\n<command-args>opus</command-args>'), // 2 -> turn 1
        prompt('<local-command-stdout>Set model to opus</local-command-stdout>'), // 3
        prompt('first real request'), // 4 -> turn 2
        { type: 'user', message: { role: 'user', content: [text('[Request interrupted by user for tool use]')] } }, // 5
        { type: 'user', message: { role: 'user', content: [text('<ide_opened_file>x</ide_opened_file>'), text('second request')] } }, // 6 -> turn 3
      ]),
    );
    expect(c.prompts).toEqual([
      { turn: 1, line: 2, text: '/model opus' },
      { turn: 2, line: 4, text: 'first real request' },
      { turn: 3, line: 6, text: 'second request' },
    ]);
    expect(c.items.map((i) => [i.line, i.turn])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 1],
      [4, 2],
      [5, 2],
      [6, 3],
      [6, 3],
    ]);
  });

  it('keeps the compaction summary as its own kind in turn 0 and skips transcript-only and sidechain records', () => {
    const c = contextItems(
      recs([
        summary(chars(800)), // 0
        { ...prompt('/compact echo'), repeatsCompactSummary: true }, // 1 skipped
        { ...prompt('only shown in the transcript'), isVisibleInTranscriptOnly: true }, // 2 skipped
        { ...asst([text(chars(999))]), isSidechain: true }, // 3 skipped
        { type: 'progress', data: { message: { type: 'assistant', message: { content: [text('x')] } } } }, // 4 skipped
        prompt('go'), // 5
      ]),
    );
    expect(c.items.map((i) => [i.kind, i.chars, i.turn, i.line])).toEqual([
      ['compact-summary', 800, 0, 0],
      ['conversation', 2, 1, 5],
    ]);
  });
});

describe('contextItems: hashes, todos, plan, images, ranges', () => {
  it('gives equal content equal hashes and different content different ones', () => {
    const c = contextItems(
      recs([
        asst([use('a', 'Bash', { command: 'ls' }), use('b', 'Bash', { command: 'ls' }), use('c', 'Bash', { command: 'pwd' })]),
        result('a', 'same output'),
        result('b', [text('same output')]),
        result('c', 'other output'),
      ]),
    );
    const [a, b, d] = c.items.filter((i) => i.kind === 'tool-result');
    expect(a!.hash).toBe(b!.hash);
    expect(a!.hash).not.toBe(d!.hash);
    expect(a!.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('takes the todos of the last TodoWrite and the last approved plan', () => {
    const c = contextItems(
      recs([
        prompt('plan it'),
        asst([use('p1', 'ExitPlanMode', { plan: 'A' })]),
        result('p1', "The user doesn't want to proceed with this tool use. The tool use was rejected"),
        asst([use('p2', 'ExitPlanMode', { plan: 'B' })]), // 3
        result('p2', 'User has approved your plan.'),
        asst([use('t1', 'TodoWrite', { todos: [{ content: 'old', status: 'pending' }] })]),
        prompt('next'),
        asst([
          use('t2', 'TodoWrite', {
            todos: [
              { content: 'one', status: 'completed' },
              { content: 'two', status: 'in_progress' },
              { activeForm: 'three-ing', status: 'pending' },
            ],
          }),
        ]),
      ]),
    );
    expect(c.todos).toEqual([
      { content: 'one', status: 'completed' },
      { content: 'two', status: 'in_progress' },
      { content: 'three-ing', status: 'pending' },
    ]);
    expect(c.plan).toEqual({ turn: 1, line: 3 });
  });

  it('has no todos or plan when there is no call, and a rejected plan is not approved', () => {
    const c = contextItems(recs([prompt('x'), asst([use('p1', 'ExitPlanMode', { plan: 'A' })]), result('p1', 'rejected', {}, { is_error: true })]));
    expect(c.todos).toBeNull();
    expect(c.plan).toBeNull();
  });

  it('counts an image as 6,000 characters and records the range of a partial read', () => {
    const c = contextItems(
      recs([
        { type: 'user', message: { role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'AAAA' } }] } },
        asst([use('r', 'Read', { file_path: '/f', offset: 10, limit: 5 })]),
        result('r', 'abc'),
      ]),
    );
    expect(c.items[0]).toMatchObject({ kind: 'conversation', chars: 6_000, estTokens: 1_500 });
    expect(c.prompts[0]!.text).toBe('[image]');
    expect(c.items.find((i) => i.kind === 'file-read')).toMatchObject({ target: '/f', range: 'offset 10, limit 5' });
  });
});

describe('promptText and targetOf', () => {
  it('turns a command echo into /name args and drops IDE and system reminders', () => {
    expect(promptText('<command-message>init is analyzing…</command-message>\n<command-name>/init</command-name>')).toBe('/init');
    expect(promptText('<system-reminder>ignore me</system-reminder>  do   this\nnow')).toBe('do this now');
  });

  it('names what a call is about', () => {
    expect(targetOf('Grep', { pattern: 'foo', path: '/src' })).toBe('foo');
    expect(targetOf('Glob', { pattern: '**/*.ts' })).toBe('**/*.ts');
    expect(targetOf('WebFetch', { url: 'https://x', prompt: 'p' })).toBe('https://x');
    expect(targetOf('Agent', {})).toBe('general-purpose');
    expect(targetOf('NotebookEdit', { notebook_path: '/n.ipynb' })).toBe('/n.ipynb');
    expect(targetOf('TodoWrite', { todos: [] })).toBeNull();
    expect(targetOf('Bash', 'not an object')).toBeNull();
  });
});
