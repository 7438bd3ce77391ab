import path from 'node:path';

/**
 * Absolute paths of every file this pack owns: the account's, shared by every config dir the person uses
 * (src/claude/account-home.ts says why and where), and the config dir's (the first Claude config dir).
 */
export interface StatePaths {
  stateDir: string;
  /** cco's home on this machine, and the account's dir in it. */
  ccoHome: string;
  accountDir: string;
  /** The config dirs cco has seen on this machine (`<cco home>/config-dirs.json`, src/store/config-dirs-registry.ts). */
  configDirsRegistry: string;
  /** The account's 5-hour windows, the dedupe horizon of recent usage, official readings and alerts. */
  quotaTracker: string;
  /** A second copy of what cannot be rebuilt from transcripts (official readings, alerts, calibration). */
  quotaDurable: string;
  /** Where earlier builds kept those in the config dir (read once, when the account's are new). */
  legacyQuotaTracker: string;
  legacyQuotaDurable: string;
  /** The account's config (`<account dir>/config.json`), used when the config dir has no `cco/config.json`. */
  accountConfig: string;
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
  /** What the status line front shows between tracker runs (`<account dir>/statusline-snapshot.json`, src/statusline/snapshot.ts). */
  statuslineSnapshot: string;
  /** Present once the person was told how to set their plan (`<account dir>/plan-hint-shown`; config.ts planHint). */
  planHintShown: string;
}

/** The tracker's lock target of a config dir (`cco/tracker`). Pure. */
export function trackerLockOf(stateDir: string): string {
  return path.join(stateDir, 'cco', 'tracker');
}

/** Paths of our files under `stateDir` and the account's dir (see DESIGN.md "State files"). Pure. */
export function statePaths(stateDir: string, account: { ccoHome: string; accountDir: string }): StatePaths {
  const ccoDir = path.join(stateDir, 'cco');
  const a = account.accountDir;
  return {
    stateDir,
    ccoHome: account.ccoHome,
    accountDir: a,
    configDirsRegistry: path.join(account.ccoHome, 'config-dirs.json'),
    quotaTracker: path.join(a, 'quota-tracker.json'),
    quotaDurable: path.join(a, 'quota-durable.json'),
    legacyQuotaTracker: path.join(stateDir, 'quota-tracker.json'),
    legacyQuotaDurable: path.join(ccoDir, 'quota-durable.json'),
    accountConfig: path.join(a, 'config.json'),
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
    trackerLock: trackerLockOf(stateDir),
    statuslineSnapshot: path.join(a, 'statusline-snapshot.json'),
    planHintShown: path.join(a, 'plan-hint-shown'),
  };
}
