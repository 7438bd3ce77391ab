import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EntryTuple } from '../claude/transcript-digest.ts';
import type { Runtime } from '../runtime.ts';
import type { Resume } from './report-base.ts';
import type { UsageRead } from './usage-read.ts';
import { ENTRY_WIDTH, readEntry, writeEntry } from './entry-columns.ts';
import { stringTable } from './string-table.ts';

export interface ScanRequest {
  id: number;
  file: string;
}
export type ScanReply =
  | { id: number; ok: true; ident: [number, number, number]; lines: number; malformedLines: number; resume: Resume; packed: PackedEntries }
  | { id: number; ok: false; code: string | null; message: string };

/**
 * A read's usage entries (most of its size) as columns: strings once, and 8 doubles per entry (string
 * indexes, -1 for null; time, NaN for null; the token counts) in a buffer moved to the main thread rather
 * than copied. Structured cloning thousands of small tuples cost a worker more than a tenth of its scan.
 */
export interface PackedEntries {
  strings: string[];
  nums: Float64Array;
  entries: number;
}

export function packEntries(entries: readonly EntryTuple[], loose: readonly EntryTuple[]): PackedEntries {
  const { strings, id } = stringTable();
  const nums = new Float64Array((entries.length + loose.length) * ENTRY_WIDTH);
  let k = 0;
  for (const list of [entries, loose]) for (const t of list) k = writeEntry(nums, k, t, id);
  return { strings, nums, entries: entries.length };
}

export function unpackEntries(p: PackedEntries): { entries: EntryTuple[]; loose: EntryTuple[] } {
  const { strings: s, nums: n } = p;
  const all: EntryTuple[] = [];
  for (let k = 0; k < n.length; k += ENTRY_WIDTH) all.push(readEntry(s, n, k));
  return { entries: all.slice(0, p.entries), loose: all.slice(p.entries) };
}

/** Below this many bytes of transcripts a scan stays on the main thread (starting workers costs more). */
export const POOL_MIN_BYTES = 48 << 20;

/**
 * Reads the usage of many transcripts from their first byte (`readUsage`) on worker threads, one per core,
 * largest file first. Only worth it for a large scan: it runs when the files hold at least POOL_MIN_BYTES
 * and there are two cores or more. `CCO_SCAN_WORKERS` (environment) sets the number of workers (0: never;
 * n: always, whatever the size), for tests and the bench.
 *
 * @returns each file's read in `files` order (null for a file gone, or one the workers could not read:
 *   the caller reads those itself and meets the error), or null when the pool was not used or failed
 * @throws never: any failure of the pool leaves the work to the caller
 */
export async function scanUsageInPool(rt: Runtime, files: readonly string[]): Promise<(UsageRead | null)[] | null> {
  const forced = rt.env.CCO_SCAN_WORKERS === undefined || rt.env.CCO_SCAN_WORKERS === '' ? null : Number(rt.env.CCO_SCAN_WORKERS);
  const script = workerScript();
  if (script === null || files.length < 2 || forced === 0) return null;
  const sized = files.map((f, i) => ({ i, size: sizeOf(f) })).filter((x) => x.size >= 0);
  const total = sized.reduce((n, x) => n + x.size, 0);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const n = forced !== null && Number.isFinite(forced) && forced > 0 ? Math.floor(forced) : total >= POOL_MIN_BYTES && cores >= 2 ? cores : 0;
  if (n === 0 || sized.length === 0) return null;
  sized.sort((a, b) => b.size - a.size);
  try {
    return await runPool(script, files, sized.map((x) => x.i), Math.min(n, sized.length));
  } catch (e) {
    rt.log('warn', 'scan', `worker pool failed, scanning on the main thread: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

function runPool(script: string, files: readonly string[], order: number[], n: number): Promise<(UsageRead | null)[]> {
  return new Promise((resolve, reject) => {
    const out: (UsageRead | null)[] = files.map(() => null);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const finish = (e: Error | null) => {
      if (failed) return;
      if (e !== null) failed = true;
      for (const w of workers) void w.terminate();
      if (e !== null) reject(e);
      else resolve(out);
    };
    const feed = (w: Worker) => {
      if (next < order.length) {
        const i = order[next++]!;
        w.postMessage({ id: i, file: files[i]! } satisfies ScanRequest);
      }
    };
    for (let k = 0; k < n; k++) {
      const w = new Worker(script);
      workers.push(w);
      w.on('message', (r: ScanReply) => {
        if (r.ok) {
          const { entries, loose } = unpackEntries(r.packed);
          out[r.id] = { ident: r.ident, part: [r.lines, r.malformedLines, entries, loose, r.resume] };
        }
        done++;
        if (done === order.length) finish(null);
        else feed(w);
      });
      w.on('error', (e) => finish(e));
      w.on('exit', (code) => {
        if (done < order.length) finish(new Error(`scan worker exited (${code}) with work left`));
      });
      feed(w);
    }
  });
}

/** The bundled worker beside this module (dist/scan-worker.mjs), or null when there is none (sources run by tsx, a lone copy of cli.mjs). */
function workerScript(): string | null {
  try {
    const p = fileURLToPath(new URL('./scan-worker.mjs', import.meta.url));
    return existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function sizeOf(f: string): number {
  try {
    return statSync(f).size;
  } catch {
    return -1;
  }
}
