import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a session transcript holding one assistant response with usage, timed now, as
 * `<configDir>/projects/-w/<sid>.jsonl` (the project of cwd `/w`), and returns its path.
 */
export function writeOneResponse(
  configDir: string,
  sid: string,
  o: { model: string; usage: [input: number, output: number, cacheCreation: number, cacheRead: number]; id?: string; requestId?: string },
): string {
  const dir = path.join(configDir, 'projects', '-w');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sid}.jsonl`);
  const [input, output, creation, read] = o.usage;
  writeFileSync(
    file,
    JSON.stringify({
      type: 'assistant',
      sessionId: sid,
      requestId: o.requestId ?? 'r',
      timestamp: new Date().toISOString(),
      message: {
        id: o.id ?? 'm',
        model: o.model,
        usage: { input_tokens: input, output_tokens: output, cache_creation_input_tokens: creation, cache_read_input_tokens: read },
      },
    }) + '\n',
  );
  return file;
}
