import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A response's `message.usage`: [input, output, cache creation, cache read] (written as the four
 * `*_tokens` keys in that order), an object written as given (partial, or hostile values JSON can
 * hold), or raw JSON text spliced in as it stands (`1e308`, `1e400`, `"100"`: what JSON.stringify
 * cannot write, or would write otherwise).
 */
export type UsageSpec = readonly [input: number, output: number, cacheCreation: number, cacheRead: number] | Readonly<Record<string, unknown>> | string;

/** What an assistant record of a test varies. Keys left out are not written (`timestamp`: now). */
export interface AssistantSpec {
  sessionId: string;
  /** `requestId` `req_<id>` and `message.id` `msg_<id>`, unless `requestId` / `messageId` are given. */
  id?: string;
  requestId?: string;
  messageId?: string;
  /** Any JSON value (a hostile timestamp may be a number); default now, ISO-8601 UTC. */
  timestamp?: unknown;
  cwd?: string;
  isSidechain?: boolean;
  /** Default `claude-sonnet-4-5`. */
  model?: string;
  stopReason?: string;
  content?: readonly unknown[];
  usage: UsageSpec;
  /** More top-level keys, written after `message`. */
  extra?: Readonly<Record<string, unknown>>;
}

const RAW_USAGE = '@@raw-usage@@';

/**
 * One assistant record of a Claude Code transcript (a JSONL line, without the newline) with usage:
 * `type, sessionId, requestId, timestamp, cwd, isSidechain, message {id, model, stop_reason, content,
 * usage}, ...extra`, in that order (the order the tests wrote by hand, so their bytes stay as they were).
 * @throws when neither `id` nor both `requestId` and `messageId` are given
 */
export function assistantLine(s: AssistantSpec): string {
  const requestId = s.requestId ?? (s.id === undefined ? undefined : `req_${s.id}`);
  const messageId = s.messageId ?? (s.id === undefined ? undefined : `msg_${s.id}`);
  if (requestId === undefined || messageId === undefined) throw new Error('assistantLine: give id, or requestId and messageId');
  const u = s.usage;
  const usage =
    typeof u === 'string'
      ? RAW_USAGE
      : Array.isArray(u)
        ? { input_tokens: u[0], output_tokens: u[1], cache_creation_input_tokens: u[2], cache_read_input_tokens: u[3] }
        : u;
  const line = JSON.stringify({
    type: 'assistant',
    sessionId: s.sessionId,
    requestId,
    timestamp: 'timestamp' in s ? s.timestamp : new Date().toISOString(),
    cwd: s.cwd,
    isSidechain: s.isSidechain,
    message: { id: messageId, model: s.model ?? 'claude-sonnet-4-5', stop_reason: s.stopReason, content: s.content, usage },
    ...s.extra,
  });
  // A function, not a replacement string: `$&` and the like in hostile text stay as they are.
  return typeof u === 'string' ? line.replace(`"${RAW_USAGE}"`, () => u) : line;
}

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
  writeFileSync(file, assistantLine({ sessionId: sid, requestId: o.requestId ?? 'r', messageId: o.id ?? 'm', model: o.model, usage: o.usage }) + '\n');
  return file;
}
