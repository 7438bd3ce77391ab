import { z } from 'zod';

/** A handoff waiting for the next SessionStart of its project (`cco/handoffs/pending.json`). */
const PendingHandoffSchema = z.looseObject({
  /** Absolute path of the handoff markdown. */
  file: z.string(),
  /** ISO-8601 UTC time it was saved. */
  createdAt: z.string(),
  /** The session it hands off from. */
  sessionId: z.string(),
  /** `save-and-restart`, `pre-compact (manual)` or `pre-compact (auto)`. */
  reason: z.string(),
  /** The project directory (the session's cwd), when known. */
  project: z.string().nullable(),
  /** sha256 (hex) of the file as saved: a different hash when taken means the person edited it. */
  sha256: z.string(),
});
export type PendingHandoff = z.infer<typeof PendingHandoffSchema>;

/** What became of a pending handoff (bounded history, newest last). */
const ConsumedHandoffSchema = PendingHandoffSchema.extend({
  projectKey: z.string(),
  /** `injected` into a session; its file was `missing` (deleted) or `empty`; `superseded` by a newer handoff. */
  outcome: z.enum(['injected', 'missing', 'empty', 'superseded']),
  /** ISO-8601 UTC. */
  at: z.string(),
  /** The session that took it (or saved the newer one). */
  by: z.string().nullable(),
});
export type ConsumedHandoff = z.infer<typeof ConsumedHandoffSchema>;

export const HandoffIndexSchema = z.looseObject({
  version: z.literal(1),
  /** Project key (see `projectKeyFor`) -> the handoff its next SessionStart injects. */
  pending: z.record(z.string(), PendingHandoffSchema),
  consumed: z.array(ConsumedHandoffSchema).default([]),
});
export type HandoffIndex = z.infer<typeof HandoffIndexSchema>;
