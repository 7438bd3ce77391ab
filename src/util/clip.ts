/**
 * Splits text into graphemes (user-perceived characters: an emoji with its skin tone or ZWJ parts, a
 * letter with its combining marks). Built on the first cut, once: constructing a segmenter is the costly
 * part, and a bundle that loads this module without cutting anything pays nothing.
 */
let graphemes: Intl.Segmenter | undefined;

/**
 * Whitespace collapsed to single spaces and trimmed, then cut to at most `max` characters ending in `…`.
 * `max` counts UTF-16 code units (JavaScript string length), as every limit of cco was set in; the cut
 * falls between graphemes, so an emoji, a surrogate pair, a ZWJ sequence or a letter with its combining
 * marks is kept whole or dropped whole (the result may be a little shorter than `max`). Pure.
 */
export function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${graphemePrefix(t, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * The longest prefix of `text` made of whole graphemes and at most `units` UTF-16 code units long. Only
 * the text up to the cut is segmented (plus one code point, so the grapheme at the cut is seen whole
 * enough to tell whether the cut splits it): a boundary depends on what precedes it, not on what follows
 * the next code point. Pure.
 */
export function graphemePrefix(text: string, units: number): string {
  if (text.length <= units) return text;
  let end = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const g of graphemes.segment(text.slice(0, units + 2))) {
    const next = g.index + g.segment.length;
    if (next > units) break;
    end = next;
  }
  return text.slice(0, end);
}
