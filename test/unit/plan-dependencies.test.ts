import { describe, expect, it } from 'vitest';
import { blockersOf, cycleBound, dependencyCycles, fmtCycle } from '../../src/plan/dependencies.ts';
import { queueOf, sess } from '../helpers/plan-fixtures.ts';

describe('dependency cycles are reported, never followed', () => {
  it('no cycle in a chain or a diamond', () => {
    const q = queueOf(sess('s1'), sess('s2', { dependsOn: ['s1'] }), sess('s3', { dependsOn: ['s1'] }), sess('s4', { dependsOn: ['s2', 's3'] }));
    expect(dependencyCycles(q.sessions)).toEqual([]);
  });

  it('a two-session loop, a self loop, and a session depending on a loop', () => {
    const s = queueOf(
      sess('s1'),
      sess('s2', { dependsOn: ['s3'] }),
      sess('s3', { dependsOn: ['s2'] }),
      sess('s4', { dependsOn: ['s4'] }),
      sess('s5', { dependsOn: ['s3', 's1'] }),
    ).sessions;
    const cycles = dependencyCycles(s);
    expect(cycles).toEqual([['s2', 's3'], ['s4']]);
    expect(cycles.map(fmtCycle)).toEqual(['s2 → s3 → s2', 's4 → s4']);
    expect([...cycleBound(s, cycles)].sort()).toEqual(['s2', 's3', 's4', 's5']);
  });

  it('a loop entered from the middle starts at its first session in queue order', () => {
    const s = queueOf(sess('s1', { dependsOn: ['s3'] }), sess('s2', { dependsOn: ['s1'] }), sess('s3', { dependsOn: ['s2'] })).sessions;
    expect(dependencyCycles(s)).toEqual([['s1', 's3', 's2']]);
  });

  it('a 20,000-session chain closing on itself is handled without recursion', () => {
    const n = 20_000;
    const s = Array.from({ length: n }, (_, i) => sess(`s${i + 1}`, { dependsOn: [`s${i === 0 ? n : i}`] }));
    const cycles = dependencyCycles(s);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n);
  });

  it('blockers: dependencies not done, with their status, or missing', () => {
    const q = queueOf(sess('s1', { status: 'done' }), sess('s2', { status: 'in_progress' }), sess('s3', { dependsOn: ['s1', 's2', 's9'] }));
    const byId = new Map(q.sessions.map((x) => [x.id, x]));
    expect(blockersOf(q.sessions[2]!, byId)).toEqual([
      { id: 's2', status: 'in_progress' },
      { id: 's9', status: 'missing' },
    ]);
  });
});
