import { describe, expect, it } from 'vitest';
import { duplicateTitleWarnings, titleKey } from '../../src/plan/duplicate-titles.ts';
import { addSession, importSessions, type ImportItem, type NewSession } from '../../src/plan/queue-ops.ts';
import { H, NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

const B = { tokens: 200_000, source: 'estimate, pro preset' };
const base: NewSession = { title: 'x', projectDir: '/w/p', tokens: 10_000, windowShare: null, hours: 1, objectives: [], agent: null, dependsOn: [] };
const item = (title: string, p: Partial<ImportItem> = {}): ImportItem => ({ ...base, title, origin: `plan.md:${title}`, ...p });

describe('duplicate titles: warned, still added (titles are not ids)', () => {
  it('titles compare trimmed and case-insensitive', () => {
    expect(titleKey('  Docs  ')).toBe(titleKey('DOCS'));
    expect(titleKey('Docs 1')).not.toBe(titleKey('Docs'));
  });

  it('adding a title another session has names that session (status; project when it differs)', () => {
    const q = queueOf(sess('s1', { title: 'Docs', status: 'done' }), sess('s2', { title: ' docs ', projectDir: '/w/q' }), sess('s3', { title: 'Other' }));
    const r = addSession(q, { ...base, title: 'DOCS' }, NOW, B);
    expect(r.session.id).toBe('s4');
    expect(r.queue.sessions).toHaveLength(4);
    expect(duplicateTitleWarnings(r.queue, ['s4'])).toEqual([
      's4 "DOCS" has the same title as s1 (done), s2 (ready, in /w/q); it was added anyway: tell them apart by id',
    ]);
    expect(duplicateTitleWarnings(addSession(q, { ...base, title: 'New' }, NOW, B).queue, ['s4'])).toEqual([]);
  });

  it('import: re-importing the same plan updates in place and warns of nothing; the same heading in two projects warns once', () => {
    const first = importSessions(queueOf(), [item('Part A'), item('Part B')], NOW, B);
    expect(
      duplicateTitleWarnings(
        first.queue,
        first.added.map((s) => s.id),
      ),
    ).toEqual([]);
    const again = importSessions(first.queue, [item('Part A'), item('part b ')], NOW + H, B);
    expect(again.added).toEqual([]);
    expect(
      duplicateTitleWarnings(
        again.queue,
        again.added.map((s) => s.id),
      ),
    ).toEqual([]);
    const twice = importSessions(queueOf(), [item('Docs'), item('Docs', { projectDir: '/w/q', origin: 'plan.md:9' })], NOW, B);
    expect(
      duplicateTitleWarnings(
        twice.queue,
        twice.added.map((s) => s.id),
      ),
    ).toEqual(['s2 "Docs" has the same title as s1 (ready, in /w/p); it was added anyway: tell them apart by id']);
  });
});
