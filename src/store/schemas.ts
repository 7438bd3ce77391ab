import { z } from 'zod';
import { AlertSchema, CalibrationSampleSchema } from './schema-alerts.ts';
import { OfficialReadingSchema, StatuslineContextSchema } from './schema-official.ts';
import { ToolStatSchema } from './schema-tools.ts';

/** zod schemas of every state file. Unknown keys are kept (looseObject) so older builds never drop newer fields. */

const TokenCountsSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_creation_input_tokens: z.number(),
  cache_read_input_tokens: z.number(),
});

const EntryTupleSchema = z.tuple([
  z.string().nullable(),
  z.string().nullable(),
  z.number().nullable(),
  z.string(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
]);

const ContextReadingSchema = z.object({
  tokens: z.number(),
  timeMs: z.number().nullable(),
  source: z.enum(['usage', 'compaction']),
});

const ToolTallySchema = z.object({ calls: z.number(), useTokens: z.number(), resultTokens: z.number(), samples: z.number() });

const ChainStateSchema = z.object({
  key: z.string().nullable(),
  context: z.number().nullable(),
  awaiting: z.array(z.tuple([z.string(), z.string().nullable(), z.number()])),
});

export const FileDigestSchema = z.object({
  entries: z.array(EntryTupleSchema),
  loose: z.array(EntryTupleSchema),
  tools: z.record(z.string(), ToolTallySchema),
  agentTypes: z.record(z.string(), ToolTallySchema),
  mcpServers: z.record(z.string(), ToolTallySchema),
  pendingTools: z.record(z.string(), z.tuple([z.string(), z.string().nullable(), z.string().nullable()])),
  chains: z.record(z.string(), ChainStateSchema),
  lastUse: z.tuple([z.string().nullable(), z.number()]).nullable(),
  unmatchedResults: z.number(),
  unattributedResults: z.number(),
  context: ContextReadingSchema.nullable(),
  compactions: z.number(),
  contextSeries: z.array(z.tuple([z.number(), z.number()])),
  sessionId: z.string().nullable(),
  cwd: z.string().nullable(),
  model: z.string().nullable(),
  firstMs: z.number().nullable(),
  lastMs: z.number().nullable(),
  lines: z.number(),
  malformedLines: z.number(),
});

export const TranscriptCursorSchema = z.object({
  /** 9: no copies of the first bytes and of those before the offset (`head`, `tail`): the fingerprint covers both. 8: a fingerprint of the bytes read (`print`), checked when the file grew. 7: the file's ctime too (a same-size rewrite is read again), and usage records with figures that are not token counts, or a timestamp outside 2000-2200, are malformed lines and count nowhere. 6: the model is the one Claude Code sized the window for (`requestedModel`, e.g. with `[1m]`). 5: malformed lines are those that may lose usage. 4: the main chain's compactions and context series. 3: tool tallies with attributed tokens and per-chain state. */
  version: z.literal(9),
  path: z.string(),
  ino: z.number(),
  size: z.number(),
  mtimeMs: z.number(),
  ctimeMs: z.number(),
  offset: z.number(),
  print: z.string(),
  digest: FileDigestSchema,
});

export const SessionRecordSchema = z.looseObject({
  sessionId: z.string(),
  cwd: z.string().nullable(),
  transcriptPath: z.string().nullable(),
  model: z.string().nullable(),
  /** How we learned of the session: a SessionStart `source`, another hook event, or `transcript` (found by a scan). */
  source: z.string(),
  /** ISO-8601 UTC. */
  startedAt: z.string(),
  lastSeenAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  /** Deduplicated usage of the session's transcripts (main + subagents): measured. */
  tokens: TokenCountsSchema,
  entries: z.number(),
  firstUsageAt: z.string().nullable(),
  lastUsageAt: z.string().nullable(),
  /** Tool calls (measured) and their attributed tokens (estimate), by tool name: see ToolStatSchema. */
  tools: z.record(z.string(), ToolStatSchema),
  context: ContextReadingSchema.nullable(),
  /** Hook events received, by event name. */
  hookEvents: z.record(z.string(), z.number()),
  agentType: z.string().nullable().optional(),
  /** The Claude Code process (`CLAUDE_PID` in hook environments), for liveness and memory; null when unknown. */
  claudePid: z.number().nullable().optional(),
  /** What the statusline last saw of this session's context window. */
  statusline: StatuslineContextSchema.nullable().optional(),
  /** Compactions of the session's main transcript: its current context segment. */
  compactions: z.number().optional(),
  /** Context growth of the current segment (tokens/hour, estimate from the transcript); null when unknown. */
  contextGrowthPerHour: z.number().nullable().optional(),
  /**
   * ISO-8601 UTC: when a hook last saw the session start or resume (SessionStart); absent when no
   * SessionStart of it was seen (it was running before cco saw it).
   * Quota alerts decided before it are not replayed to it: it gets where the window stands, once.
   */
  liveSince: z.string().optional(),
  /** Claude Code's auto-compaction settings its hooks saw (CLAUDE_CODE_AUTO_COMPACT_WINDOW, DISABLE_AUTO_COMPACT). */
  autoCompact: z.object({ window: z.number().nullable(), disabled: z.boolean() }).optional(),
  /** Context alerts shown in the current segment (% of the usable limit). */
  contextAlerts: z.object({ segment: z.number(), delivered: z.array(z.number()) }).optional(),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

export const SessionTrackerSchema = z.looseObject({
  version: z.literal(1),
  sessions: z.record(z.string(), SessionRecordSchema),
});
export type SessionTracker = z.infer<typeof SessionTrackerSchema>;

/** An empty session tracker (what `session-tracker.json` starts as, and is rebuilt from). Pure. */
export function emptySessionTracker(): SessionTracker {
  return { version: 1, sessions: {} };
}

const BlockSchema = z.object({
  /** ISO-8601 UTC. */
  start: z.string(),
  end: z.string(),
  first: z.string(),
  last: z.string(),
  entries: z.number(),
  tokens: TokenCountsSchema,
  /** True once the block is older than the live horizon: its entries are no longer kept in `seen`. */
  final: z.boolean(),
});
export type StoredBlock = z.infer<typeof BlockSchema>;

export const QuotaTrackerSchema = z.looseObject({
  version: z.literal(1),
  /** 5-hour blocks estimated from transcript usage across all sessions, oldest first (bounded history). */
  blocks: z.array(BlockSchema),
  /**
   * The deduplicated usage entries of the live (not final) blocks, by dedupe key (a synthetic key for
   * records without message.id): key -> [epoch ms, input, output, cache creation, cache read].
   */
  seen: z.record(z.string(), z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()])),
  updatedAt: z.string().nullable(),
  /** Official readings from the statusline, oldest first (bounded history, for calibration and pace). */
  readings: z.array(OfficialReadingSchema).default([]),
  /** Alerts of recent windows (bounded). */
  alerts: z.array(AlertSchema).default([]),
  /** Calibration samples, oldest first (bounded). */
  calibration: z.array(CalibrationSampleSchema).default([]),
});
export type QuotaTracker = z.infer<typeof QuotaTrackerSchema>;

/** `cco/quota-durable.json`: the second copy of the quota tracker's readings, alerts and calibration. */
export const DurableQuotaSchema = z.looseObject({
  version: z.literal(1),
  readings: z.array(OfficialReadingSchema),
  alerts: z.array(AlertSchema),
  calibration: z.array(CalibrationSampleSchema),
});
