import { describe, expect, it } from 'vitest';
import { parseShare, parseTokenCount } from '../../src/plan/estimate-text.ts';
import { parsePlanMarkdown } from '../../src/plan/markdown-import.ts';

const PLAN = `# Feature X (this heading is ignored)
- project: /w/p

Some prose that is ignored.

## Implementation - Part 1/3
- tokens: 120,000
- hours: 2
- agent: code-reviewer
- Write the parser
- Objectives:
  - Cover the edge cases
  * Errors name the line

## Implementation - Part 2/3
- share: 50%
- hours: 1.5h
- Depends on: Implementation - Part 1/3, s4
1. Wire the CLI

\`\`\`
## Not a session (inside a fence)
- hours: 99
\`\`\`

### A sub-heading is not a session
- Document it
`;

describe('markdown plan import (pure parse)', () => {
  it('reads sessions, estimates, agent, dependencies and objectives', () => {
    const p = parsePlanMarkdown(PLAN);
    expect(p.errors).toEqual([]);
    expect(p.projectDir).toBe('/w/p');
    expect(p.sessions).toEqual([
      {
        title: 'Implementation - Part 1/3',
        line: 6,
        tokens: 120_000,
        windowShare: null,
        hours: 2,
        agent: 'code-reviewer',
        depends: [],
        objectives: ['Write the parser', 'Cover the edge cases', 'Errors name the line'],
        projectDir: null,
      },
      {
        title: 'Implementation - Part 2/3',
        line: 15,
        tokens: null,
        windowShare: 0.5,
        hours: 1.5,
        agent: null,
        depends: ['Implementation - Part 1/3', 's4'],
        objectives: ['Wire the CLI', 'Document it'],
        projectDir: null,
      },
    ]);
  });

  it('reports every problem with its line; nothing is half-read', () => {
    const p = parsePlanMarkdown('- tokens: 5\n## A\n- tokens: lots\n- hours: 13\n## B\n- hours: 1\n- tokens: 1k\n- share: 0.2\n');
    expect(p.errors).toEqual([
      'line 1: "tokens" comes before the first "## " session heading',
      'line 3: tokens must be a whole number such as 120000 or 120k, not "lots"',
      'line 4: hours must be a number from 0.5 to 12, not "13"',
      'line 5: "B" has both tokens and a share; keep one',
    ]);
    expect(parsePlanMarkdown('## A\n- Do it\n').errors).toEqual(['line 1: "A" has no "- hours:" line', 'line 1: "A" has no "- tokens:" (or "- share:") line']);
    expect(parsePlanMarkdown('just text').errors).toEqual(['no sessions found: each session starts with a "## Title" heading']);
  });

  it('a share above one window is read (the import refuses it, naming the budget); a share that is not a number is a problem', () => {
    expect(parsePlanMarkdown('## Big\n- share: 150%\n- hours: 2\n').sessions[0]).toMatchObject({ windowShare: 1.5, tokens: null });
    expect(parsePlanMarkdown('## Big\n- tokens: 120%\n- hours: 2\n').sessions[0]).toMatchObject({ windowShare: 1.2 });
    expect(parsePlanMarkdown('## A\n- share: half\n- hours: 2\n').errors).toEqual([
      'line 2: share must be a share of one window above 0, such as 0.5 or 50%, not "half"',
    ]);
  });

  it('a wrapped bullet is one bullet, its lines joined: a lazy continuation and an indented one', () => {
    const p = parsePlanMarkdown(
      '## A\n- tokens:\n120k\n- hours: 1\n- Write the parser for the\nplan import\n- Cover every edge\n  case of it\n  * and a nested one\n    wrapped too\n',
    );
    expect(p.errors).toEqual([]);
    expect(p.sessions[0]).toMatchObject({
      tokens: 120_000,
      hours: 1,
      objectives: ['Write the parser for the plan import', 'Cover every edge case of it', 'and a nested one wrapped too'],
    });
    // A wrapped key bullet is read whole, so a value with more after it is a problem naming the bullet's line, not half-read.
    expect(parsePlanMarkdown('## A\n- tokens: 5k\n- hours: 1\n  and then some\n').errors).toEqual([
      'line 3: hours must be a number from 0.5 to 12, not "1 and then some"',
    ]);
  });

  it('"## " inside an HTML comment, a fenced block (``` or ~~~), an indented code block or a block quote is no session', () => {
    const md = [
      '## Real',
      '- tokens: 1k',
      '- hours: 1',
      '<!--',
      '## In a comment',
      '- hours: 99',
      '-->',
      '~~~markdown',
      '## In a tilde fence',
      '~~~',
      '````',
      '```',
      '## In a fence holding a fence',
      '```',
      '````',
      '',
      '    ## Indented code',
      '    - hours: 99',
      '',
      '> ## Quoted',
      '> - hours: 99',
      '',
      '- Last objective',
    ].join('\n');
    const p = parsePlanMarkdown(md);
    expect(p.errors).toEqual([]);
    expect(p.sessions.map((s) => [s.title, s.hours, s.objectives])).toEqual([['Real', 1, ['Last objective']]]);
  });

  it('headings: "#", "###" and underlined (setext) ones are text, the bullets after them stay with the session; "## A ##" closes; "##" alone is a problem', () => {
    const p = parsePlanMarkdown(
      '# Plan\n## A ##\n- tokens: 1k\n### Sub\n- hours: 1\n\nUnderlined\n---\n- Obj\n\nAlso underlined\n===\n## C#\n- tokens: 1k\n- hours: 1\n',
    );
    expect(p.errors).toEqual([]);
    expect(p.sessions.map((s) => [s.title, s.line, s.hours, s.objectives])).toEqual([
      ['A', 2, 1, ['Obj']],
      ['C#', 13, 1, []],
    ]);
    expect(parsePlanMarkdown('## A\n- tokens: 1k\n- hours: 1\n##\n- tokens: 1k\n- hours: 1\n').errors).toEqual([
      'line 4: a "## " heading with no title; give the session one',
    ]);
  });

  it('CRLF, a byte order mark, a lone CR and LF alone: the same plan and the same line numbers', () => {
    const lf = '# X\n\n## A\n- tokens: 1k\n- hours: 1\n- Do\n  it\n\n## B\n- tokens: lots\n- hours: 2\n';
    const want = parsePlanMarkdown(lf);
    expect(want.errors).toEqual(['line 10: tokens must be a whole number such as 120000 or 120k, not "lots"']);
    expect(want.sessions.map((s) => [s.title, s.line, s.objectives])).toEqual([
      ['A', 3, ['Do it']],
      ['B', 9, []],
    ]);
    for (const text of [lf.replaceAll('\n', '\r\n'), `\uFEFF${lf}`, `\uFEFF${lf.replaceAll('\n', '\r\n')}`, lf.replaceAll('\n', '\r')]) {
      expect(parsePlanMarkdown(text), JSON.stringify(text.slice(0, 12))).toEqual(want);
    }
  });

  it('a lone CR ending a heading in a file of LF lines: refused, naming the line and the text after it; U+2028 / U+2029 stay in the title', () => {
    const p = parsePlanMarkdown('# X\n## Part\rFAKE one\n- tokens: 1k\n- hours: 1\n');
    // CommonMark ends the heading at the CR (line 2; "FAKE one" is line 3): nothing is dropped silently.
    expect(p.errors).toEqual([
      'line 2: the heading "Part" ends in a lone carriage return (CR), which markdown reads as a line end, so "FAKE one" after it is not part of the title; remove the CR',
    ]);
    expect(p.sessions.map((s) => [s.title, s.line, s.tokens, s.hours])).toEqual([['Part', 2, 1_000, 1]]);
    // Line numbers after it count the CR as CommonMark does.
    expect(parsePlanMarkdown('## A\r\n- hours: 1\n- tokens: 1k\n## B\rC\n- hours: x\n').errors).toEqual([
      'line 4: the heading "B" ends in a lone carriage return (CR), which markdown reads as a line end, so "C" after it is not part of the title; remove the CR',
      'line 6: hours must be a number from 0.5 to 12, not "x"',
      'line 4: "B" has no "- tokens:" (or "- share:") line',
    ]);
    // A CR with nothing after it on the line loses nothing: read.
    expect(parsePlanMarkdown('## A\r\r\n- tokens: 1k\n- hours: 1\n').errors).toEqual([]);
    for (const sep of ['\u2028', '\u2029', '\u0085']) {
      const u = parsePlanMarkdown(`## Part${sep}two\n- tokens: 1k\n- hours: 1\n- step${sep}two\n`);
      expect(u.errors).toEqual([]);
      expect(u.sessions.map((s) => [s.title, s.objectives])).toEqual([[`Part${sep}two`, [`step${sep}two`]]]);
    }
    // In a key's value they are part of the value: a problem quoting it, not an objective.
    expect(parsePlanMarkdown('## A\n- tokens: 1k\n- hours: 1\u2028x\n').errors).toEqual(['line 3: hours must be a number from 0.5 to 12, not "1\u2028x"']);
    // A lone CR in a bullet wraps it: the bullet is read whole.
    expect(parsePlanMarkdown('## A\n- tokens: 1k\n- hours: 1\n- step\rtwo\n').sessions[0]!.objectives).toEqual(['step two']);
  });

  it('an empty file and a file with no "## " heading: no sessions found, as before', () => {
    const none = ['no sessions found: each session starts with a "## Title" heading'];
    for (const text of ['', '\uFEFF', '\n\n', '# Plan\n\n- Do it\n### Sub\nTitle\n---\n', '```\n## In a fence\n```\n', '<!-- ## A -->\n']) {
      expect(parsePlanMarkdown(text), JSON.stringify(text)).toEqual({ projectDir: null, sessions: [], errors: none });
    }
    expect(parsePlanMarkdown('- project: /w/p\n- hours: 1\n').errors).toEqual(['line 2: "hours" comes before the first "## " session heading', ...none]);
  });

  it('errors name the line the bullet starts on, counting lines inside comments, fences and wrapped bullets', () => {
    const md = '## A\n<!--\nx\n-->\n```\ny\n```\n- Wrapped\n  over two lines\n- tokens:\n  lots\n- hours: 1\n1. share: no\n';
    expect(parsePlanMarkdown(md).errors).toEqual([
      'line 10: tokens must be a whole number such as 120000 or 120k, not "lots"',
      'line 13: share must be a share of one window above 0, such as 0.5 or 50%, not "no"',
    ]);
  });

  it('a task box before a bullet is dropped; markup in a bullet or title is kept as written', () => {
    const p = parsePlanMarkdown('## Ship `cco` **now**\n- [ ] **tokens:** 2k\n- [x] hours: 1\n- [ ] Write *the* parser\n');
    expect(p.errors).toEqual([]);
    expect(p.sessions[0]).toMatchObject({ title: 'Ship `cco` **now**', tokens: 2_000, hours: 1, objectives: ['Write *the* parser'] });
  });

  it('token counts and shares', () => {
    expect(parseTokenCount('80000')).toBe(80_000);
    expect(parseTokenCount('80,000 tokens')).toBe(80_000);
    expect(parseTokenCount('120k')).toBe(120_000);
    expect(parseTokenCount('1.5M')).toBe(1_500_000);
    expect(parseTokenCount('1.5')).toBeNull();
    expect(parseTokenCount('0')).toBeNull();
    expect(parseTokenCount('-5')).toBeNull();
    expect(parseShare('0.25')).toBe(0.25);
    expect(parseShare('40%')).toBe(0.4);
    expect(parseShare('0')).toBeNull();
    expect(parseShare('150%')).toBe(1.5); // parsed; the import refuses it as larger than one window
    expect(parseShare('-5%')).toBeNull();
  });
});
