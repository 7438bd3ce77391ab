import { statSync } from 'node:fs';

/**
 * A probe for "this file is no longer the one we started from": its inode, size or mtime differ from
 * the first reading, or it is gone. A lingering tracker asks it so that a plugin update or an
 * uninstall is not served by the old code for the rest of its life.
 *
 * @param file the running bundle (dist/tracker.mjs)
 * @returns the probe: true once the file was replaced or removed (one stat per call); never throws.
 *   A file unreadable at the first reading counts as never replaced (nothing to compare with).
 */
export function bundleReplaced(file: string): () => boolean {
  const id = (): string | null => {
    try {
      const st = statSync(file, { bigint: true });
      return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch {
      return null;
    }
  };
  const first = id();
  return () => first !== null && id() !== first;
}
