import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TranscriptCursor } from '../claude/transcript-reader.ts';
import type { Runtime } from '../runtime.ts';
import { rememberCursor } from './transcript-cache.ts';
import { ENTRY_WIDTH, readEntry, writeEntry } from './entry-columns.ts';
import { stringTable } from './string-table.ts';

export interface ScanWorkerData {
  cacheDir: string;
}
export interface ScanRequest {
  id: number;
  file: string;
  /** Write the file's cache (see `prefetchCursors`). */
  persist: boolean;
}
export type ScanReply =
  | { id: number; ok: true; cursor: TranscriptCursor; packed: PackedEntries; quarantined: string[] }
  | { id: number; ok: false; code: string | null; message: string; quarantined: string[] };

/**
 * A digest's usage entries (most of its size) as columns: strings once, and 8 doubles per entry (string
 * indexes, -1 for null; time, NaN for null; the token counts) in a buffer moved to the main thread rather
 * than copied. The reply's cursor travels with empty `entries` and `loose`. Structured cloning thousands
 * of small tuples cost a worker more than a tenth of its scan.
 */
export interface PackedEntries {
  strings: string[];
  nums: Float64Array;
  entries: number;
}

type Tuple = TranscriptCursor['digest']['entries'][number];

export function packEntries(entries: readonly Tuple[], loose: readonly Tuple[]): PackedEntries {
  const { strings, id } = stringTable();
  const nums = new Float64Array((entries.length + loose.length) * ENTRY_WIDTH);
  let k = 0;
  for (const list of [entries, loose]) for (const t of list) k = writeEntry(nums, k, t, id);
  return { strings, nums, entries: entries.length };
}

export function unpackEntries(p: PackedEntries): { entries: Tuple[]; loose: Tuple[] } {
  const { strings: s, nums: n } = p;
  const all: Tuple[] = [];
  for (let k = 0; k < n.length; k += ENTRY_WIDTH) all.push(readEntry(s, n, k));
  return { entries: all.slice(0, p.entries), loose: all.slice(p.entries) };
}

/** Below this many bytes of transcripts a scan stays on the main thread (starting workers costs more). */
export const POOL_MIN_BYTES = 48 << 20;

/**
 * A large scan writes the cache files of transcripts modified within this span only. Creating a file is
 * the dearest part of a cache write (about 0.5 ms each here), and an old transcript seldom changes again:
 * when one does (a resumed session), its next catch-up reads it whole once and caches it then. Hooks and
 * every other catch-up cache whatever they read.
 */
export const RECENT_CACHE_MS = 7 * 24 * 3_600_000;

/**
 * Catches up many transcripts through their caches on worker threads (one per core), largest file first,
 * and hands the cursors to this process's cache memo, so that the caller's own catch-ups that follow
 * (`trackAll`) find them done; it writes the cache files of recent transcripts only (RECENT_CACHE_MS).
 * Only worth it for a cold or large scan: it runs when the files hold at
 * least POOL_MIN_BYTES and there are two cores or more. A file the workers could not read is left for the
 * caller's own catch-up (which then reports the error as before). `CCO_SCAN_WORKERS` (environment) sets
 * the number of workers (0: never; n: always, whatever the size), for tests and the bench.
 *
 * @returns how many files the workers caught up (0 when the pool was not used)
 * @throws never: any failure of the pool leaves the work to the caller
 */
export async function prefetchCursors(rt: Runtime, files: readonly string[], opts: { persist: boolean }): Promise<number> {
  const forced = rt.env.CCO_SCAN_WORKERS === undefined || rt.env.CCO_SCAN_WORKERS === '' ? null : Number(rt.env.CCO_SCAN_WORKERS);
  const script = workerScript();
  if (script === null || files.length < 2 || forced === 0) return 0;
  const sized = files.map((f) => ({ f, ...statOf(f) })).filter((x) => x.size >= 0);
  const total = sized.reduce((n, x) => n + x.size, 0);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const n = forced !== null && Number.isFinite(forced) && forced > 0 ? Math.floor(forced) : total >= POOL_MIN_BYTES && cores >= 2 ? cores : 0;
  if (n === 0) return 0;
  sized.sort((a, b) => b.size - a.size);
  try {
    const recent = rt.now().getTime() - RECENT_CACHE_MS;
    return await runPool(rt, script, sized.map((x) => ({ file: x.f, persist: opts.persist && x.mtimeMs >= recent })), Math.min(n, sized.length));
  } catch (e) {
    rt.log('warn', 'scan', `worker pool failed, scanning on the main thread: ${e instanceof Error ? e.message : String(e)}`);
    return 0;
  }
}

function runPool(rt: Runtime, script: string, queue: { file: string; persist: boolean }[], n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const data: ScanWorkerData = { cacheDir: rt.paths.transcriptCacheDir };
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let ok = 0;
    let failed = false;
    const finish = (e: Error | null) => {
      if (failed) return;
      if (e !== null) failed = true;
      for (const w of workers) void w.terminate();
      if (e !== null) reject(e);
      else resolve(ok);
    };
    const feed = (w: Worker) => {
      if (next < queue.length) {
        const req: ScanRequest = { id: next, ...queue[next]! };
        next++;
        w.postMessage(req);
      }
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(script, { workerData: data });
      workers.push(w);
      w.on('message', (r: ScanReply) => {
        for (const q of r.quarantined) rt.log('warn', 'cache', q);
        if (r.ok) {
          const { entries, loose } = unpackEntries(r.packed);
          rememberCursor(data.cacheDir, { ...r.cursor, digest: { ...r.cursor.digest, entries, loose } });
          ok++;
        }
        done++;
        if (done === queue.length) finish(null);
        else feed(w);
      });
      w.on('error', (e) => finish(e));
      w.on('exit', (code) => {
        if (done < queue.length) finish(new Error(`scan worker exited (${code}) with work left`));
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

function statOf(f: string): { size: number; mtimeMs: number } {
  try {
    const st = statSync(f);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return { size: -1, mtimeMs: 0 };
  }
}
