import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Token usage of one served response (all counts in tokens). */
export interface Usage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/**
 * One scripted model turn: either a single tool call or a plain text answer.
 * `for` picks the queue: `main` (default) turns are served to the main conversation,
 * `subagent` turns to subagent requests; each queue is consumed in script order.
 */
export interface MockOptions {
  /**
   * Awaited before a main or subagent request is answered: the time the real API takes (seconds, in
   * which a background tracker finishes), made deterministic by waiting for a condition instead.
   */
  beforeAnswer?: (req: RecordedRequest) => Promise<void>;
  /**
   * Extra response headers of a main or subagent answer, e.g. the unified rate-limit headers a
   * subscriber's answers carry (reference §11: `anthropic-ratelimit-unified-5h-utilization` and `-reset`).
   */
  headers?: (req: RecordedRequest) => Record<string, string>;
  /**
   * What the message, tool_use and request ids are made of (`msg_<idTag>_<n>`): two mocks of one test
   * that serve sessions of one account need different ones, as the real API's ids never repeat
   * (usage is deduplicated by message id and request id). Default `mock`.
   */
  idTag?: string;
}

export type ScriptTurn = ({ tool: { name: string; input: Record<string, unknown> }; usage: Usage } | { text: string; usage: Usage }) & {
  for?: 'main' | 'subagent';
};

/**
 * How the mock classified a request:
 * - `main`: streaming `/v1/messages` with tools: a main-conversation model turn.
 * - `subagent`: like `main`, but the system prompt's billing block says `cc_is_subagent=true`.
 * - `compact`: the summarizer call: last user message says "Respond with TEXT ONLY" and asks
 *   for a `<summary>` block (answered with a summary, never from the script).
 * - `side`: any other `/v1/messages` call (non-stream, no tools, `max_tokens` <= 1, ...).
 * - `count_tokens`: `/v1/messages/count_tokens`.
 * - `other`: anything else, e.g. `HEAD /api/hello` (non-POST: 200 empty; POST: 404).
 */
export type RequestKind = 'main' | 'subagent' | 'compact' | 'side' | 'count_tokens' | 'other';

/** A request the mock received, with what it answered. */
export interface RecordedRequest {
  /** 1-based arrival order; also the number in `requestId`. */
  n: number;
  method: string;
  /** Path including the query string, e.g. `/v1/messages?beta=true`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (`null` when empty or not JSON). */
  body: MessagesBody | null;
  kind: RequestKind;
  /** Whether the request consumed a scripted turn. */
  consumedTurn: boolean;
  /** Index into the whole `script` array of the consumed turn, else `null`. */
  turnIndex: number | null;
  /** The `request-id` header value sent back (`req_mock_<n>`), `null` for `other`. */
  requestId: string | null;
  /** Usage served in the response (message_start + message_delta output), `null` if none. */
  usage: Usage | null;
  /** When the request reached the mock (its head, before the body was read): epoch ms, sub-ms precision. */
  receivedAt: number;
  /**
   * When the mock handed the last byte of its answer to the OS (the response's `finish`): epoch ms, sub-ms
   * precision; `null` until then. `receivedAt` of the next request minus this is the time the client took
   * in between (for a tool turn: the tool and its hooks; see scripts/bench-session.ts).
   */
  answeredAt: number | null;
}

/** The subset of a Messages API request body the mock looks at. */
export interface MessagesBody {
  model?: string;
  stream?: boolean;
  max_tokens?: number;
  system?: unknown;
  messages?: Array<{ role: string; content: unknown }>;
  tools?: unknown[];
  [key: string]: unknown;
}

/** Handle on a running mock. */
export interface MockApi {
  /** Base URL to put in `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request received so far, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** Usage served for main turns after the script ran out, and for side requests. */
export const FALLBACK_USAGE: Usage = {
  input_tokens: 10,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: 2,
};

const FALLBACK_TEXT = 'Done.';
const SUMMARY_TEXT = '<analysis>mock</analysis>\n<summary>Mock summary of the conversation so far.</summary>';

/** Collects every string value found anywhere inside `value`. */
function collectStrings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out);
  return out;
}

/**
 * All text of a request's `system` and `messages` (every string value, joined by newlines).
 * Returns `''` for a request without a body.
 */
export function requestText(req: RecordedRequest): string {
  if (!req.body) return '';
  return collectStrings([req.body.system, req.body.messages], []).join('\n');
}

/** True when `needle` occurs in any string of the request's `system` or `messages`. */
export function requestContains(req: RecordedRequest, needle: string): boolean {
  return requestText(req).includes(needle);
}

/** Sums usage over requests (default: those of kind `main`, i.e. the main conversation). */
export function sumUsage(requests: readonly RecordedRequest[], filter: (r: RecordedRequest) => boolean = (r) => r.kind === 'main'): Usage {
  const total: Usage = { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 };
  for (const r of requests) {
    if (!filter(r) || !r.usage) continue;
    total.input_tokens += r.usage.input_tokens;
    total.cache_creation_input_tokens += r.usage.cache_creation_input_tokens;
    total.cache_read_input_tokens += r.usage.cache_read_input_tokens;
    total.output_tokens += r.usage.output_tokens;
  }
  return total;
}

/** Text of the last `user` message (string content or its text blocks). */
function lastUserText(body: MessagesBody): string {
  const last = body.messages?.findLast((m) => m.role === 'user');
  return last ? collectStrings(last.content, []).join('\n') : '';
}

/** Classifies a request; see {@link RequestKind}. */
export function classify(path: string, body: MessagesBody | null): RequestKind {
  const p = path.split('?')[0] ?? '';
  if (p.endsWith('/count_tokens')) return 'count_tokens';
  if (p !== '/v1/messages' || !body) return 'other';
  if (body.stream !== true || (body.max_tokens ?? 2) <= 1) return 'side';
  const last = lastUserText(body);
  if (last.includes('Respond with TEXT ONLY') && last.includes('<summary>')) return 'compact';
  if (!Array.isArray(body.tools) || body.tools.length === 0) return 'side';
  return /cc_is_subagent=true/.test(collectStrings(body.system, []).join('\n')) ? 'subagent' : 'main';
}

function sse(res: http.ServerResponse, type: string, data: Record<string, unknown>): void {
  res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

/** Streams one assistant message (a text or a tool_use block) as SSE. */
function streamTurn(res: http.ServerResponse, n: number, model: string, turn: ScriptTurn, tag: string): void {
  const { usage } = turn;
  sse(res, 'message_start', {
    message: {
      id: `msg_${tag}_${n}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  if ('tool' in turn) {
    sse(res, 'content_block_start', {
      index: 0,
      content_block: { type: 'tool_use', id: `toolu_${tag}_${n}`, name: turn.tool.name, input: {} },
    });
    sse(res, 'content_block_delta', {
      index: 0,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(turn.tool.input) },
    });
  } else {
    sse(res, 'content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    sse(res, 'content_block_delta', { index: 0, delta: { type: 'text_delta', text: turn.text } });
  }
  sse(res, 'content_block_stop', { index: 0 });
  sse(res, 'message_delta', {
    delta: { stop_reason: 'tool' in turn ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  sse(res, 'message_stop', {});
  res.end();
}

/** A non-stream JSON Message with a text answer. */
function jsonMessage(n: number, model: string, text: string, usage: Usage, tag: string): Record<string, unknown> {
  return {
    id: `msg_${tag}_${n}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage,
  };
}

/** Now as epoch ms with sub-ms precision (monotonic within the process). */
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Starts a loopback mock of the Anthropic Messages API on 127.0.0.1 (ephemeral port).
 * Each `main` request consumes the next main turn of `script` (each `subagent` request
 * the next `for: 'subagent'` turn); once its queue is exhausted, a request gets a short
 * text answer with {@link FALLBACK_USAGE}. Side,
 * compaction and count_tokens requests never consume turns. Every response carries
 * `request-id: req_mock_<n>`. Rejects if the server cannot listen.
 */
export async function startMockApi(script: readonly ScriptTurn[], opts: MockOptions = {}): Promise<MockApi> {
  const tag = opts.idTag ?? 'mock';
  const requests: RecordedRequest[] = [];
  const queues = {
    main: script.map((t, i) => [t, i] as const).filter(([t]) => (t.for ?? 'main') === 'main'),
    subagent: script.map((t, i) => [t, i] as const).filter(([t]) => t.for === 'subagent'),
  };
  const server = http.createServer((req, res) => {
    const receivedAt = nowMs();
    void (async () => {
      const raw = await readBody(req);
      let body: MessagesBody | null = null;
      try {
        body = raw ? (JSON.parse(raw) as MessagesBody) : null;
      } catch {
        body = null;
      }
      const n = requests.length + 1;
      const path = req.url ?? '/';
      const kind = req.method === 'POST' ? classify(path, body) : 'other';
      const rec: RecordedRequest = {
        n,
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
        kind,
        consumedTurn: false,
        turnIndex: null,
        requestId: kind === 'other' ? null : `req_${tag}_${n}`,
        usage: null,
        receivedAt,
        answeredAt: null,
      };
      res.on('finish', () => (rec.answeredAt = nowMs()));
      requests.push(rec);
      if (req.method !== 'POST') {
        res.writeHead(200);
        res.end();
        return;
      }
      if (kind === 'other' || !body) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `mock: no route ${path}` } }));
        return;
      }
      const headers: Record<string, string> = { 'request-id': `req_${tag}_${n}` };
      if (kind === 'count_tokens') {
        res.writeHead(200, { ...headers, 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: Math.max(1, Math.ceil(raw.length / 4)) }));
        return;
      }
      const model = body.model ?? 'claude-mock';
      let turn: ScriptTurn = { text: FALLBACK_TEXT, usage: FALLBACK_USAGE };
      if (kind === 'compact') turn = { text: SUMMARY_TEXT, usage: FALLBACK_USAGE };
      else if (kind === 'main' || kind === 'subagent') {
        const next = queues[kind].shift();
        if (next) {
          turn = next[0];
          rec.consumedTurn = true;
          rec.turnIndex = next[1];
        }
      }
      rec.usage = { ...turn.usage };
      if (opts.beforeAnswer !== undefined && (kind === 'main' || kind === 'subagent')) await opts.beforeAnswer(rec);
      if (opts.headers !== undefined && (kind === 'main' || kind === 'subagent')) Object.assign(headers, opts.headers(rec));
      if (body.stream === true) {
        res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        streamTurn(res, n, model, turn, tag);
      } else {
        const text = 'text' in turn ? turn.text : FALLBACK_TEXT;
        res.writeHead(200, { ...headers, 'content-type': 'application/json' });
        res.end(JSON.stringify(jsonMessage(n, model, text, turn.usage, tag)));
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The requests of the main conversation (not side, compaction or count_tokens requests). */
export function mainRequests(m: MockApi): RecordedRequest[] {
  return m.requests.filter((r) => r.kind === 'main');
}

/** Mock servers started one per run of a test file, all closed by `closeAll` (its afterAll). */
export function mockPool(): { start: (script: ScriptTurn[], opts?: MockOptions) => Promise<MockApi>; closeAll: () => Promise<void> } {
  const mocks: MockApi[] = [];
  return {
    start: async (script, opts) => {
      const m = await startMockApi(script, opts);
      mocks.push(m);
      return m;
    },
    closeAll: async () => {
      for (const m of mocks.splice(0)) await m.close();
    },
  };
}
