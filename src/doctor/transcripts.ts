import { fix, ok, plural, type CheckResult } from './check.ts';

/** One transcript's counts from its cached digest (`cco/cache/transcripts/*.json`). */
export interface TranscriptFact {
  path: string;
  lines: number;
  malformedLines: number;
}

export interface TranscriptFacts {
  cached: TranscriptFact[];
  /** Cache files that do not parse or are not a cursor we read (another build's format counts as fine). */
  unreadableCaches: number;
}

/**
 * Malformed transcript lines, from the cached digests: lines that were not (wholly) JSON. Their usage
 * is not counted; a line still being written is not malformed (it is read when complete). Pure.
 */
export function checkTranscripts(f: TranscriptFacts): CheckResult[] {
  const out: CheckResult[] = [];
  const lines = f.cached.reduce((n, t) => n + t.lines, 0);
  const bad = f.cached.filter((t) => t.malformedLines > 0).sort((a, b) => b.malformedLines - a.malformedLines);
  const malformed = bad.reduce((n, t) => n + t.malformedLines, 0);
  if (malformed > 0) {
    out.push(
      fix(
        'transcripts',
        `${plural(malformed, 'malformed line')} in ${plural(bad.length, 'transcript')} (most: ${bad[0]!.path}, ${bad[0]!.malformedLines.toLocaleString('en-US')}); their usage is not counted`,
        'nothing to repair unless the count keeps growing; then keep that transcript and report it (cco report --no-cache recounts from scratch)',
      ),
    );
  }
  if (f.unreadableCaches > 0) {
    out.push(
      fix(
        'transcripts',
        `${plural(f.unreadableCaches, 'transcript cache file')} unreadable`,
        'nothing to do: the next read quarantines and rebuilds them (or delete cco/cache/transcripts/)',
      ),
    );
  }
  if (out.length === 0) out.push(ok('transcripts', `no malformed lines in ${plural(f.cached.length, 'cached transcript')} (${plural(lines, 'line')} read)`));
  return out;
}
