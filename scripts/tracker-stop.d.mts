/** Blocks this thread for `ms`. */
export function sleepSync(ms: number): void;
/** A shell snippet that stops the tracker holding `<configDir>/cco/tracker.lock` (SIGTERM) and waits up to 30 s for its lock to go. */
export function stopTrackerShell(configDir: string): string;
/** SIGTERM to the tracker of `configDir` when its lock is held, then a wait of up to `timeoutMs` (default 30 s) for the lock to go. Never throws. */
export function stopTracker(configDir: string, timeoutMs?: number): void;
/** Pids of the processes (not this one) whose HOME is `home` or inside it (Linux /proc; [] elsewhere). */
export function processesOf(home: string): number[];
/** Stops the tracker of each config dir (up to `stopTimeoutMs` each, default 10 s), waits as long for processes living under `root` to end, then removes `root`, retrying a busy tree. Never throws. */
export function removeTempHome(root: string, configDirs: string[], stopTimeoutMs?: number): void;
