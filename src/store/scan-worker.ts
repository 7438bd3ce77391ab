// A scan worker (worker_threads; bundled as dist/scan-worker.mjs): reads the usage of the transcripts it
// is sent and sends each read back, its part packed (entries and key hashes in moved buffers). See scan-pool.ts.
import { parentPort } from 'node:worker_threads';
import { packPart } from './report-base.ts';
import type { ScanReply, ScanRequest } from './scan-pool.ts';
import { readUsage } from './usage-read.ts';

const port = parentPort!;

port.on('message', (m: ScanRequest) => {
  try {
    const r = readUsage(m.file, null);
    if (r === null) {
      port.postMessage({ id: m.id, ok: false, code: 'ENOENT', message: `${m.file} is gone` } satisfies ScanReply);
      return;
    }
    const packed = packPart(r.part);
    const reply: ScanReply = { id: m.id, ok: true, ident: r.ident, packed };
    port.postMessage(reply, [packed.nums.buffer as ArrayBuffer, packed.keyHashes.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    port.postMessage({ id: m.id, ok: false, code: err.code ?? null, message: err.message ?? String(e) } satisfies ScanReply);
  }
});
