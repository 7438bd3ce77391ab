import { describe, expect, it } from 'vitest';
import { DISPLAY_MAX, DISPLAY_OWN_MAX, displayAll, displayLabel, displayText } from '../../src/render/display-text.ts';

describe('displayText: outside strings made safe to print', () => {
  it('removes escape sequences and control characters; line breaks and tabs read as one space', () => {
    expect(displayText('claude-evil\n\x1b[31mRED\x1b[0m')).toBe('claude-evil RED');
    expect(displayText('a\x1b]0;title\x07b\x1b]8;;http://x\x1b\\c')).toBe('abc');
    expect(displayText('a\tb\r\nc\x00d\x7fe\x9b31mf\x85g')).toBe('a b cdef g'); // NEL (\x85) is a line break
    expect(displayText('x\u202edcba\u2066y')).toBe('xdcbay');
    expect(displayText('\x1bcreset')).toBe('reset');
  });

  it('keeps an ordinary id as it is, and cuts a long one to the cap with an ellipsis', () => {
    expect(displayText('claude-sonnet-4-6[1m]')).toBe('claude-sonnet-4-6[1m]');
    expect(displayText('é—ü模型')).toBe('é—ü模型');
    const long = displayText('m'.repeat(10_000));
    expect([...long]).toHaveLength(DISPLAY_MAX);
    expect(long.endsWith('…')).toBe(true);
    expect(displayText('abcdef', 4)).toBe('abc…');
    expect(displayText('🙂'.repeat(5), 3)).toBe('🙂🙂…'); // code points, not UTF-16 halves
  });

  it('displayLabel shortens the names a label embeds, then cleans the whole label', () => {
    const model = `x${'m'.repeat(10_000)}`;
    const shown = displayLabel(`window unknown for ${model}`, [model]);
    expect(shown).toBe(`window unknown for ${displayText(model)}`);
    expect(displayLabel('window unknown for a\nb', ['a\nb'])).toBe('window unknown for a b');
    expect(displayLabel('status line, context_window_size', [null])).toBe('status line, context_window_size');
  });
});

describe('displayAll: every string of a record made one line', () => {
  it('maps strings at any depth of plain objects and arrays, keeps other values and the input', () => {
    const when = new Date(0);
    const input = { title: 'a\nb', n: 3, none: null, ok: true, list: ['x\ry', { deep: 'p\u2028q' }], when, byId: new Map([['k', 'v\nw']]) };
    const out = displayAll(input);
    expect(out).toEqual({ title: 'a b', n: 3, none: null, ok: true, list: ['x y', { deep: 'p q' }], when, byId: input.byId });
    expect(input.title).toBe('a\nb'); // not changed in place
  });

  it("keeps the person's own text whole up to DISPLAY_OWN_MAX characters", () => {
    const long = 'd'.repeat(1_000);
    expect(displayAll({ projectDir: `/${long}` }).projectDir).toBe(`/${long}`);
    expect([...displayAll('e'.repeat(DISPLAY_OWN_MAX + 10))]).toHaveLength(DISPLAY_OWN_MAX);
  });
});
