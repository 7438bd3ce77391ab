// A scan worker (worker_threads; bundled as dist/scan-worker.mjs): reads the usage of the transcripts it
// is sent and sends each read back, its entries packed. See scan-pool.ts.
import { parentPort } from 'node:worker_threads';
import { packEntries, type ScanReply, type ScanRequest } from './scan-pool.ts';
import { readUsage } from './usage-read.ts';

const port = parentPort!;

port.on('message', (m: ScanRequest) => {
  try {
    const r = readUsage(m.file, null);
    if (r === null) {
      port.postMessage({ id: m.id, ok: false, code: 'ENOENT', message: `${m.file} is gone` } satisfies ScanReply);
      return;
    }
    const packed = packEntries(r.part[2], r.part[3]);
    const reply: ScanReply = { id: m.id, ok: true, ident: r.ident, lines: r.part[0], malformedLines: r.part[1], resume: r.part[4], packed };
    port.postMessage(reply, [packed.nums.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    port.postMessage({ id: m.id, ok: false, code: err.code ?? null, message: err.message ?? String(e) } satisfies ScanReply);
  }
});
