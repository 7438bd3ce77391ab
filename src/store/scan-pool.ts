import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Runtime } from '../runtime.ts';
import type { Row } from './report-cache.ts';

export interface ScanRequest {
  id: number;
  file: string;
}
/**
 * A worker's read of one file, a `usage` read from the first byte, as the report cache keeps it: its row
 * and its part in JSON (report-cache.ts). JSON, because the main thread needs the text for the cache
 * file anyway, and parsing it costs less than structured-cloning thousands of small tuples.
 */
export type ScanReply = { id: number; ok: true; row: Row; part: string } | { id: number; ok: false; code: string | null; message: string };

/**
 * Below this many bytes of transcripts a scan stays on the main thread. Measured on 2 shared vCPUs
 * (issue 19): on a 256 MB history two workers took about 1.5x the CPU of one thread (worker start-up,
 * two heaps, SMT siblings) for no gain in wall time under load, and more memory.
 */
export const POOL_MIN_BYTES = 512 << 20;

/**
 * Reads the usage of many transcripts from their first byte (`catchUpTranscript`, `usage` scope) on worker threads, one per core,
 * largest file first, and hands each file's read to `onRead` as it arrives (on the main thread, while the
 * workers go on). Only worth it for a large scan: it runs when the files hold at least POOL_MIN_BYTES
 * and there are two cores or more. `CCO_SCAN_WORKERS` (environment) sets the number of workers (0: never;
 * n: always, whatever the size), for tests and the bench.
 *
 * @param onRead gets `files[i]`'s row and part (JSON); not called for a
 *   file gone or one the workers could not read (the caller reads those itself and meets the error)
 * @returns whether the pool ran (false: not used, or failed; then `onRead` may have had some files, and
 *   the caller reads the rest)
 * @throws never: any failure of the pool leaves the work to the caller
 */
export async function scanUsageInPool(rt: Runtime, files: readonly string[], onRead: (i: number, row: Row, part: string) => void): Promise<boolean> {
  const forced = rt.env.CCO_SCAN_WORKERS === undefined || rt.env.CCO_SCAN_WORKERS === '' ? null : Number(rt.env.CCO_SCAN_WORKERS);
  const script = workerScript();
  if (script === null || files.length < 2 || forced === 0) return false;
  const sized = files.map((f, i) => ({ i, size: sizeOf(f) })).filter((x) => x.size >= 0);
  const total = sized.reduce((n, x) => n + x.size, 0);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const n = forced !== null && Number.isFinite(forced) && forced > 0 ? Math.floor(forced) : total >= POOL_MIN_BYTES && cores >= 2 ? cores : 0;
  if (n === 0 || sized.length === 0) return false;
  sized.sort((a, b) => b.size - a.size);
  try {
    await runPool(
      script,
      files,
      sized.map((x) => x.i),
      Math.min(n, sized.length),
      onRead,
    );
    return true;
  } catch (e) {
    rt.log('warn', 'scan', `worker pool failed, scanning on the main thread: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

function runPool(script: string, files: readonly string[], order: number[], n: number, onRead: (i: number, row: Row, part: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const finish = (e: Error | null) => {
      if (failed) return;
      if (e !== null) failed = true;
      for (const w of workers) void w.terminate();
      if (e !== null) reject(e);
      else resolve();
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
        if (failed) return;
        if (r.ok) {
          try {
            onRead(r.id, r.row, r.part);
          } catch (e) {
            finish(e instanceof Error ? e : new Error(String(e)));
            return;
          }
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
