import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_AGENTS, OWN_AGENTS, unknownAgentProblem, type AgentLookup } from '../../src/plan/known-agents.ts';
import { ROOT } from '../helpers/sandbox-env.ts';

/** A lookup over an in-memory tree: `files` are the files that exist (directories are implied). */
function lookup(files: string[]): AgentLookup {
  return {
    projectDir: '/w/p',
    configDir: '/h/.claude',
    exists: (f) => files.includes(f),
    listDir: (dir) => {
      const names = new Set(files.filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0]!));
      return names.size === 0 ? null : [...names];
    },
  };
}

describe('known agents: the decision (file look-ups injected)', () => {
  it('built-in subagent types, exact case', () => {
    for (const a of BUILT_IN_AGENTS) expect(unknownAgentProblem(a, lookup([]))).toBeNull();
    expect(unknownAgentProblem('explore', lookup([]))).toBe(
      'is not a known agent: not built in, and neither /w/p/.claude/agents/explore.md nor /h/.claude/agents/explore.md exists; did you mean "Explore"?',
    );
  });

  it("agents/<name>.md in the project's .claude or in the config dir", () => {
    expect(unknownAgentProblem('code-reviewer', lookup(['/w/p/.claude/agents/code-reviewer.md']))).toBeNull();
    expect(unknownAgentProblem('code-reviewer', lookup(['/h/.claude/agents/code-reviewer.md']))).toBeNull();
    expect(unknownAgentProblem('code-reviewer', lookup(['/w/other/.claude/agents/code-reviewer.md']))).toBe(
      'is not a known agent: not built in, and neither /w/p/.claude/agents/code-reviewer.md nor /h/.claude/agents/code-reviewer.md exists',
    );
  });

  it("cco's own agents are cco:<name>; the bare name gets a suggestion", () => {
    expect(unknownAgentProblem('cco:session-planner', lookup([]))).toBeNull();
    expect(unknownAgentProblem('cco:handoff-writer', lookup([]))).toBeNull();
    expect(unknownAgentProblem('cco:planner', lookup([]))).toBe('is not an agent of cco (cco:session-planner, cco:handoff-writer)');
    expect(unknownAgentProblem('session-planner', lookup([]))).toMatch(/exists; did you mean "cco:session-planner"\?$/);
  });

  it('another plugin: agents/<name>.md in any cached version; no cached version: cannot tell, no problem', () => {
    const cache = '/h/.claude/plugins/cache';
    const tree = [`${cache}/market/tools/1.0.0/agents/old.md`, `${cache}/market/tools/1.1.0/agents/reviewer.md`, `${cache}/other/x/2.0.0/README.md`];
    expect(unknownAgentProblem('tools:reviewer', lookup(tree))).toBeNull();
    expect(unknownAgentProblem('tools:old', lookup(tree))).toBeNull();
    expect(unknownAgentProblem('tools:nope', lookup(tree))).toBe(`is not a known agent: plugin tools has no agents/nope.md in ${cache}/*/tools/*`);
    expect(unknownAgentProblem('elsewhere:agent', lookup(tree))).toBeNull();
    expect(unknownAgentProblem('tools:reviewer', lookup([]))).toBeNull();
  });

  it("OWN_AGENTS are this repository's agents/*.md", () => {
    expect([...OWN_AGENTS].sort()).toEqual(
      readdirSync(path.join(ROOT, 'agents'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => f.slice(0, -3))
        .sort(),
    );
  });
});
