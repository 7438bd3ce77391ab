/**
 * Interns strings for the binary usage encodings: `id(s)` gives each distinct string a stable index into
 * `strings` (first seen, first numbered), and -1 for null.
 */
export function stringTable(): { strings: string[]; id: (s: string | null) => number } {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  return {
    strings,
    id: (s) => {
      if (s === null) return -1;
      let i = ids.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        ids.set(s, i);
      }
      return i;
    },
  };
}
