import path from 'node:path';

/** Absolute paths of every file this pack owns under the state dir (the first Claude config dir). */
export interface StatePaths {
  stateDir: string;
  /** 5-hour windows, the dedupe horizon of recent usage; later official readings and alerts. */
  quotaTracker: string;
  /** A second copy of what cannot be rebuilt from transcripts (official readings, alerts, calibration). */
  quotaDurable: string;
  /** Live and past sessions with their aggregates. */
  sessionTracker: string;
  /** Everything else of ours. */
  ccoDir: string;
  config: string;
  transcriptCacheDir: string;
  logFile: string;
  /** Saved handoffs: `<handoffsDir>/<project key>/<ISO time, ':' -> '-'>.md`. */
  handoffsDir: string;
  /** Pending-handoff index (`cco/handoffs/pending.json`): project key -> the handoff the next SessionStart injects. */
  handoffPending: string;
  /** Planned sessions (`session-queue.json`, see src/plan/queue-schema.ts). */
  sessionQueue: string;
  /** The last copy of the queue that passed the schema (`cco/session-queue.last-good.json`), written after every queue write. */
  sessionQueueLastGood: string;
  /** Calendar exports (`calendar/session-<n>.ics`, `calendar/all-sessions.ics`). */
  calendarDir: string;
  /** Hook events waiting for the background tracker (`cco/spool/<ms>-<pid>-<n>.json`, src/front/spool.ts). */
  spoolDir: string;
  /** Notices the tracker computed for a session, shown by its next hook (`cco/outbox/<session>.<ms>-<n>.json`). */
  outboxDir: string;
  /** The tracker's lock target (`cco/tracker`; the lock itself is the `cco/tracker.lock` dir). */
  trackerLock: string;
  /** What the status line front shows between tracker runs (`cco/statusline-snapshot.json`, src/statusline/snapshot.ts). */
  statuslineSnapshot: string;
  /** Present once the person was told how to set their plan (`cco/plan-hint-shown`; config.ts planHint). */
  planHintShown: string;
}

/** Paths of our files under `stateDir` (see DESIGN.md "State files"). Pure. */
export function statePaths(stateDir: string): StatePaths {
  const ccoDir = path.join(stateDir, 'cco');
  return {
    stateDir,
    quotaTracker: path.join(stateDir, 'quota-tracker.json'),
    quotaDurable: path.join(ccoDir, 'quota-durable.json'),
    sessionTracker: path.join(stateDir, 'session-tracker.json'),
    ccoDir,
    config: path.join(ccoDir, 'config.json'),
    transcriptCacheDir: path.join(ccoDir, 'cache', 'transcripts'),
    logFile: path.join(ccoDir, 'logs', 'cco.log'),
    handoffsDir: path.join(ccoDir, 'handoffs'),
    handoffPending: path.join(ccoDir, 'handoffs', 'pending.json'),
    sessionQueue: path.join(stateDir, 'session-queue.json'),
    sessionQueueLastGood: path.join(ccoDir, 'session-queue.last-good.json'),
    calendarDir: path.join(stateDir, 'calendar'),
    spoolDir: path.join(ccoDir, 'spool'),
    outboxDir: path.join(ccoDir, 'outbox'),
    trackerLock: path.join(ccoDir, 'tracker'),
    statuslineSnapshot: path.join(ccoDir, 'statusline-snapshot.json'),
    planHintShown: path.join(ccoDir, 'plan-hint-shown'),
  };
}
