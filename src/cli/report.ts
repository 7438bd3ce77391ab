import type { Runtime } from '../runtime.ts';
import { trackAll } from '../store/track.ts';
import { mergeDigests } from '../usage/ledger.ts';
import { buildReport, type UsageReport } from '../usage/report.ts';

/**
 * `cco report`: scans every transcript under the config dirs (incrementally, through the per-file
 * caches, unless `noCache`) and builds the usage report. When the state dir cannot be written (a
 * read-only config dir), it scans without persisting and says so on stderr.
 */
export async function usageReport(rt: Runtime, opts: { noCache?: boolean } = {}): Promise<UsageReport> {
  let scan;
  try {
    scan = await trackAll(rt, null, { ignoreCache: opts.noCache === true, persist: opts.noCache !== true, lockBudgetMs: 10_000 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw e;
    process.stderr.write(`cco: ${rt.paths.stateDir} is not writable (${code}); scanning without the cache\n`);
    scan = await trackAll(rt, null, { ignoreCache: true, persist: false });
  }
  const d = scan.digests;
  return buildReport(mergeDigests(d), {
    files: scan.files,
    lines: d.reduce((n, x) => n + x.lines, 0),
    malformedLines: d.reduce((n, x) => n + x.malformedLines, 0),
  });
}
