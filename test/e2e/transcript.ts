import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One parsed transcript line. Only the fields the e2e tests look at are typed. */
export interface TranscriptRecord {
  type: string;
  subtype?: string;
  sessionId?: string;
  requestId?: string;
  attachment?: { type?: string };
  message?: { id?: string; role?: string; usage?: Record<string, unknown>; content?: unknown };
  [key: string]: unknown;
}

/**
 * The CLI's project folder name for `cwd`: every character outside `[A-Za-z0-9]` becomes
 * `-` (e.g. `/tmp/x/project` -> `-tmp-x-project`). Throws for names over 200 characters,
 * which the CLI shortens with a hash this helper does not reproduce.
 */
export function escapeProjectPath(cwd: string): string {
  const escaped = cwd.replace(/[^A-Za-z0-9]/g, '-');
  if (escaped.length > 200) throw new Error(`project path too long to escape: ${cwd}`);
  return escaped;
}

/** `<configDir>/projects/<escaped cwd>/<sessionId>.jsonl`. */
export function transcriptPath(configDir: string, cwd: string, sessionId: string): string {
  return path.join(configDir, 'projects', escapeProjectPath(cwd), `${sessionId}.jsonl`);
}

/** Reads and parses a JSONL transcript. Throws if the file is missing or a line is not JSON. */
export function readTranscript(file: string): TranscriptRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TranscriptRecord);
}

/** One API response as seen in the transcript (assistant lines deduped). */
export interface AssistantResponse {
  messageId: string;
  requestId: string | undefined;
  usage: Record<string, unknown>;
}

/**
 * Assistant responses of a transcript in order, deduped by `message.id` + `requestId`
 * (the CLI writes one line per content block, each with the same final usage; the last
 * line wins). Lines without `message.id` or `message.usage` are skipped.
 */
export function assistantResponses(records: readonly TranscriptRecord[]): AssistantResponse[] {
  const byKey = new Map<string, AssistantResponse>();
  for (const r of records) {
    if (r.type !== 'assistant' || !r.message?.id || !r.message.usage) continue;
    const key = `${r.message.id}|${r.requestId ?? ''}`;
    byKey.set(key, { messageId: r.message.id, requestId: r.requestId, usage: r.message.usage });
  }
  return [...byKey.values()];
}
