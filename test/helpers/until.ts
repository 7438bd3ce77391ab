/**
 * Polls `what` every 50 ms until it holds or `ms` have passed (background work: a tracker the hooks
 * started). Resolves with its last answer; never rejects.
 */
export async function until(what: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return what();
}
