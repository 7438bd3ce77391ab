import { describe, expect, it } from 'vitest';
import { clip, graphemePrefix } from '../../src/util/clip.ts';

/** True when `s` holds a high surrogate not followed by a low one, or a low one not preceded by a high one. */
function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

describe('clip', () => {
  it('collapses whitespace and keeps a text that fits', () => {
    expect(clip('  fix\n\tthe   build  ', 20)).toBe('fix the build');
    expect(clip('abcdef', 6)).toBe('abcdef');
  });

  it('cuts plain text to max characters, the last being the ellipsis, without trailing space', () => {
    expect(clip('abcdefghij', 5)).toBe('abcd…');
    expect(clip('abc defghij', 5)).toBe('abc…');
    expect(clip('abcdefghij', 1)).toBe('…');
  });

  it('never splits a surrogate pair: an emoji is kept whole or dropped', () => {
    // 'ab' + 😀 (2 code units) + 'cdef': a cut after 3 units would fall inside the emoji.
    const text = 'ab😀cdef';
    expect(clip(text, 4)).toBe('ab…');
    expect(clip(text, 5)).toBe('ab😀…');
    for (let max = 1; max < text.length; max++) {
      const out = clip(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(out)).toBe(false);
    }
  });

  it('keeps a ZWJ sequence whole (a family emoji is one grapheme of 11 code units)', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(family.length).toBe(11);
    const text = `x${family}yz`;
    for (let max = 2; max <= 12; max++) expect(clip(text, max)).toBe('x…');
    expect(clip(text, 13)).toBe(`x${family}…`);
  });

  it('keeps a letter with its combining marks together', () => {
    // e + combining acute + combining dot below: one grapheme of 3 code units.
    const text = 'caf\u0065\u0301\u0323 au lait';
    expect(clip(text, 5)).toBe('caf…');
    expect(clip(text, 7)).toBe('caf\u0065\u0301\u0323…');
  });

  it('keeps flags (regional indicator pairs) whole', () => {
    const text = '🇫🇷🇩🇪🇮🇹';
    expect(clip(text, 4)).toBe('…');
    expect(clip(text, 5)).toBe('🇫🇷…');
    expect(clip(text, 8)).toBe('🇫🇷…');
    expect(clip(text, 9)).toBe('🇫🇷🇩🇪…');
  });
});

describe('graphemePrefix', () => {
  it('is the longest prefix of whole graphemes within the code-unit budget', () => {
    expect(graphemePrefix('a👍🏽b', 1)).toBe('a');
    expect(graphemePrefix('a👍🏽b', 3)).toBe('a'); // 👍🏽 is 4 code units: thumbs up + skin tone
    expect(graphemePrefix('a👍🏽b', 5)).toBe('a👍🏽');
    expect(graphemePrefix('a👍🏽b', 6)).toBe('a👍🏽b');
    expect(graphemePrefix('', 3)).toBe('');
  });
});
