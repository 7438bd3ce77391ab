/** A shell snippet that stops the tracker holding `<configDir>/cco/tracker.lock` (SIGTERM) and waits up to 30 s for its lock to go. */
export function stopTrackerShell(configDir: string): string;
/** Runs stopTrackerShell(configDir) and returns when the tracker lock is gone (or after 30 s). */
export function stopTracker(configDir: string): void;
