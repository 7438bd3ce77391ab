/**
 * The desktop notification command for this OS: notify-send on Linux, osascript on macOS; null
 * elsewhere. Pure.
 */
export function notificationCommand(platform: NodeJS.Platform, title: string, body: string): [string, string[]] | null {
  if (platform === 'linux') return ['notify-send', ['--app-name=Claude Code', title, body]];
  if (platform === 'darwin') return ['osascript', ['-e', `display notification ${appleString(body)} with title ${appleString(title)}`]];
  return null;
}

function appleString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Shows a desktop notification where the OS has a command for it: spawned detached with no stdio and
 * unreferenced, so the caller (a hook Claude waits for) never waits for it. A missing command or any
 * spawn error is ignored.
 */
export function notifyDesktop(title: string, body: string, platform: NodeJS.Platform = process.platform): void {
  const cmd = notificationCommand(platform, title, body);
  if (cmd === null) return;
  try {
    // Loaded here, not imported: every hook imports this module and only a few ever notify
    // (node:child_process costs a few ms to load).
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(cmd[0], cmd[1], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no notifier on this machine
  }
}
