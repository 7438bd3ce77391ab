// A loopback smart-HTTP git server (`git http-backend` as a CGI), so a test can add a plugin marketplace
// by URL as people add one from a git host (`claude plugin marketplace add http://...`; the CLI clones
// shallowly, which dumb HTTP cannot serve: reference §11).
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running server: `url(name)` is `http://127.0.0.1:<port>/<name>.git`. */
export interface GitHttp {
  url: (name: string) => string;
  close: () => Promise<void>;
}

/**
 * Serves the bare repositories `<root>/<name>.git` on a free loopback port.
 * @throws when the port cannot be bound (the promise rejects)
 */
export function serveGit(root: string): Promise<GitHttp> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(cgi.stdin);
    // The CGI answers with headers, a blank line, then the body.
    let head: Buffer | null = Buffer.alloc(0);
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (head === null) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const i = line.indexOf(':');
        const key = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[key] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
      head = null;
    });
    cgi.stdout.on('end', () => res.end());
    cgi.on('error', () => {
      res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: (name) => `http://127.0.0.1:${port}/${name}.git`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
