import { describe, expect, it } from 'vitest';
import { analyzeContext } from '../../src/context/analysis.ts';
import { clipPath, compactCommand, compactKeepList, MAX_COMPACT_LINE, rel } from '../../src/context/compact-line.ts';
import { asst, chars, prompt, recs, result, text, use } from '../helpers/context-records.ts';

const CWD = '/home/me/proj';

/**
 * 12 exchanges in /home/me/proj: exchange 1 reads src/app.ts (3,000 tokens) and runs `npm test`
 * (800 tokens); exchange 2 runs `npm test` again (same output); exchange 11 edits src/app.ts and sets
 * todos; exchange 12 asks to add the CLI flag.
 */
function session(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let t = 1; t <= 12; t++) {
    out.push(prompt(t === 12 ? 'add the --json flag to the CLI' : t === 11 ? 'now fix the failing test' : `step ${t}`));
    if (t === 1) {
      out.push(asst([use('r1', 'Read', { file_path: `${CWD}/src/app.ts` })]), result('r1', chars(12_000)));
      out.push(asst([use('b1', 'Bash', { command: 'npm test' })]), result('b1', chars(3_200, 't')));
    }
    if (t === 2) out.push(asst([use('b2', 'Bash', { command: 'npm test' })]), result('b2', chars(3_200, 't')));
    if (t === 11) {
      out.push(asst([use('e1', 'Edit', { file_path: `${CWD}/src/app.ts`, old_string: 'a', new_string: 'b' })]), result('e1', 'ok'));
      out.push(
        asst([
          use('td', 'TodoWrite', {
            todos: [
              { content: 'Fix the parser test', status: 'in_progress' },
              { content: 'Ship', status: 'completed' },
            ],
          }),
        ]),
      );
    }
    out.push(asst([text(`answer ${t}`)], 20_000 + t));
  }
  return out;
}

const analysis = analyzeContext(recs(session()), { total: { tokens: 30_000, source: 'measured, last response' }, cwd: CWD });

describe('compactCommand', () => {
  const line = compactCommand(analysis);

  it('is one /compact line that keeps the objectives, files in progress and open todos', () => {
    expect(line.startsWith('/compact Keep: ')).toBe(true);
    expect(line).not.toMatch(/\n/);
    expect(line.length).toBeLessThanOrEqual(MAX_COMPACT_LINE);
    expect(line).toContain('“step 10”; “now fix the failing test”; “add the --json flag to the CLI”');
    expect(line).toContain('files in progress (src/app.ts)');
    expect(line).toContain('open todos (Fix the parser test [in progress])');
    expect(line).not.toContain('Ship');
  });

  it('names what to drop concretely: superseded reads, repeated outputs, large outputs, old exchanges', () => {
    const drop = line.slice(line.indexOf(' Drop: '));
    expect(drop).toContain('earlier reads of files read again or edited since (src/app.ts)');
    expect(drop).toContain('repeated identical outputs (Bash `npm test`)');
    // the Read is both superseded and oversized: named once, under superseded reads
    expect(drop).not.toContain('Read src/app.ts');
    expect(drop).toContain('details of exchanges 1-2 of 12 (everything before “step 3”), one line each');
  });

  it('shortens long lists with "+N more" to stay within 1,500 characters', () => {
    const many: Record<string, unknown>[] = [prompt(`please ${chars(900, 'w')}`)];
    for (let i = 0; i < 60; i++) {
      const p = `${CWD}/packages/very-long-package-name-${i}/src/deeply/nested/module-${i}.ts`;
      many.push(asst([use(`r${i}`, 'Read', { file_path: p })]), result(`r${i}`, chars(9_000 + i, String.fromCharCode(65 + (i % 26)))));
      many.push(asst([use(`e${i}`, 'Edit', { file_path: p })]), result(`e${i}`, 'ok'));
    }
    many.push(
      asst([use('td', 'TodoWrite', { todos: Array.from({ length: 30 }, (_, i) => ({ content: `todo number ${i} ${chars(120, 'z')}`, status: 'pending' })) })]),
    );
    many.push(asst([text('ok')], 100_000));
    const a = analyzeContext(recs(many), { total: { tokens: 150_000, source: 's' }, cwd: CWD });
    const l = compactCommand(a);
    expect(l.length).toBeLessThanOrEqual(MAX_COMPACT_LINE);
    expect(l).toMatch(/\(\+\d+ more\)/);
    expect(l.startsWith('/compact Keep: ')).toBe(true);
    expect(l).toContain('Drop: ');
    expect(l).not.toMatch(/\n/);
  });

  it('drops only generic details when there is nothing specific', () => {
    const a = analyzeContext(recs([prompt('hello'), asst([text('hi')], 5_000)]), { total: { tokens: 5_000, source: 's' }, cwd: CWD });
    expect(compactCommand(a)).toBe(
      '/compact Keep: the current objectives (latest requests: “hello”); the decisions made and their reasons, and unresolved errors. Drop: tool output details that are no longer needed; summarize older exchanges briefly.',
    );
  });
});

describe('compactKeepList', () => {
  it('is the keep part alone, one line, without the command or the drop list', () => {
    const k = compactKeepList(analysis);
    expect(k).toBe(
      'Keep: the current objectives (latest requests: “step 10”; “now fix the failing test”; “add the --json flag to the CLI”); the state of the files in progress (src/app.ts); the open todos (Fix the parser test [in progress]); the decisions made and their reasons, and unresolved errors.',
    );
    expect(compactCommand(analysis).startsWith(`/compact ${k} Drop: `)).toBe(true);
  });

  it('mentions an approved plan and fits a smaller bound', () => {
    const a = analyzeContext(
      recs([
        prompt(`plan ${chars(500, 'q')}`),
        asst([use('p', 'ExitPlanMode', { plan: 'do it' })]),
        result('p', 'User has approved your plan.'),
        asst([text('ok')], 5_000),
      ]),
      { total: null },
    );
    expect(compactKeepList(a)).toContain('the approved plan');
    expect(compactKeepList(a, 200).length).toBeLessThanOrEqual(200);
  });
});

describe('path helpers', () => {
  it('shows paths relative to the working directory, on either separator', () => {
    expect(rel('/home/me/proj/src/a.ts', '/home/me/proj')).toBe('src/a.ts');
    expect(rel('/home/me/proj/src/a.ts', '/home/me/proj/')).toBe('src/a.ts');
    expect(rel('/home/me/project2/a.ts', '/home/me/proj')).toBe('/home/me/project2/a.ts');
    expect(rel('C:\\repo\\src\\a.ts', 'C:\\repo')).toBe('src\\a.ts');
  });

  it('cuts long paths keeping the file name', () => {
    expect(clipPath('/a/b/c/d/file.ts', 100)).toBe('/a/b/c/d/file.ts');
    expect(clipPath('/aaaa/bbbb/cccc/file.ts', 14)).toBe('…/cccc/file.ts');
  });

  it('never starts a cut path inside a surrogate pair', () => {
    // '🙂' is two UTF-16 units: a cut between them would leave a lone low surrogate (shown as �).
    const p = '/x/🙂🙂🙂🙂🙂🙂🙂🙂file.ts';
    for (let n = 8; n <= p.length; n++) {
      const out = clipPath(p, n);
      expect(out.length, `n=${n}`).toBeLessThanOrEqual(n);
      expect(out.endsWith('file.ts')).toBe(true);
      expect(/(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(out), `lone low surrogate at n=${n}: ${JSON.stringify(out)}`).toBe(false);
    }
  });
});
