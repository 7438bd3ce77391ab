import { describe, expect, it } from 'vitest';
import { parsePlanMarkdown, parseShare, parseTokenCount } from '../../src/plan/markdown-import.ts';

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
        title: 'Implementation - Part 1/3', line: 6, tokens: 120_000, windowShare: null, hours: 2, agent: 'code-reviewer', depends: [],
        objectives: ['Write the parser', 'Cover the edge cases', 'Errors name the line'], projectDir: null,
      },
      {
        title: 'Implementation - Part 2/3', line: 15, tokens: null, windowShare: 0.5, hours: 1.5, agent: null,
        depends: ['Implementation - Part 1/3', 's4'], objectives: ['Wire the CLI', 'Document it'], projectDir: null,
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
    expect(parsePlanMarkdown('## A\n- share: half\n- hours: 2\n').errors).toEqual(['line 2: share must be a share of one window above 0, such as 0.5 or 50%, not "half"']);
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
