// A scan worker (worker_threads; bundled as dist/scan-worker.mjs): catches up the transcripts it is sent,
// through their cache files, and sends each cursor back. See scan-pool.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { catchUpCachedSync } from './transcript-cache.ts';
import { packEntries, type ScanReply, type ScanRequest, type ScanWorkerData } from './scan-pool.ts';

const data = workerData as ScanWorkerData;
const port = parentPort!;

port.on('message', (m: ScanRequest) => {
  const quarantined: string[] = [];
  let reply: ScanReply;
  try {
    const r = catchUpCachedSync(data.cacheDir, m.file, {
      persist: m.persist,
      onQuarantine: (f, to, why) => quarantined.push(`${f} moved to ${to}: ${why}`),
    });
    const packed = packEntries(r.cursor.digest.entries, r.cursor.digest.loose);
    reply = { id: m.id, ok: true, cursor: { ...r.cursor, digest: { ...r.cursor.digest, entries: [], loose: [] } }, packed, quarantined };
    port.postMessage(reply, [packed.nums.buffer as ArrayBuffer]);
    return;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    reply = { id: m.id, ok: false, code: err.code ?? null, message: err.message ?? String(e), quarantined };
  }
  port.postMessage(reply);
});
