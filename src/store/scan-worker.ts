// A scan worker (worker_threads; bundled as dist/scan-worker.mjs): reads the usage of the transcripts it
// is sent from their first byte and sends each read back as the report cache keeps it. See scan-pool.ts.
import { parentPort } from 'node:worker_threads';
import { catchUpTranscript } from '../claude/transcript-reader.ts';
import { rowAndPart } from './report-cache.ts';
import type { ScanReply, ScanRequest } from './scan-pool.ts';

const port = parentPort!;

port.on('message', (m: ScanRequest) => {
  try {
    const { row, part } = rowAndPart(catchUpTranscript(m.file, null, { scope: 'usage' }).cursor);
    port.postMessage({ id: m.id, ok: true, row, part: JSON.stringify(part) } satisfies ScanReply);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    port.postMessage({ id: m.id, ok: false, code: err.code ?? null, message: err.message ?? String(e) } satisfies ScanReply);
  }
});
