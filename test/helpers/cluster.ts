// Several Postern nodes as child processes behind Debian's HAProxy, for the cluster test (SPEC O1).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { protocolPortsAny } from './cli.ts';
import { testPostgresUrl } from './db.ts';

export const haproxyPath = '/usr/sbin/haproxy';
const nodeMain = fileURLToPath(new URL('./clusterNode.ts', import.meta.url));

export interface NodePorts {
  url: string;
  web: number;
  smtps: number;
  imaps: number;
}

export interface ClusterNode {
  child: ChildProcess;
  ports: NodePorts;
  output(): string;
}

/** A port nobody listens on right now (HAProxy cannot bind port 0 and tell which port it got). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A database of its own (the nodes run the migrations in its public schema); `drop` removes it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `postern_cluster_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Kills a node as a crash would, and waits until it is gone. */
export async function killNode(node: ClusterNode): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((r) => node.child.once('exit', r));
  node.child.kill('SIGKILL');
  await exited;
}

/** Starts one node; resolves once it printed the ports it bound. */
export function startNode(env: Record<string, string>): Promise<ClusterNode> {
  const child = spawn(process.execPath, [nodeMain], { env: { ...process.env, LANG: 'C', POSTERN_LOG_LEVEL: 'warn', POSTERN_WEB_PORT: '0', ...protocolPortsAny, ...env } });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = /^\{.*\}$/m.exec(out);
      if (!line) return;
      child.stdout.off('data', onData);
      const ports = JSON.parse(line[0]) as NodePorts;
      resolve({ child, ports, output: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`node exited ${code}: ${out}`)));
  });
}

/**
 * HAProxy in front of the nodes: the web in HTTP mode (X-Forwarded-For), IMAPS with PROXY v2 and
 * SMTPS with PROXY v1, TLS passed through; a node whose /readyz fails leaves every pool.
 */
export async function startHaproxy(dir: string, nodes: ClusterNode[]) {
  const ports = { web: await freePort(), imaps: await freePort(), smtps: await freePort() };
  // Every pool checks each node's /readyz (on its web port): a node that cannot serve leaves them all.
  const listen = (name: string, mode: 'http' | 'tcp', port: number, nodePort: (n: ClusterNode) => number, options: string[], server = '') =>
    [
      `listen ${name}`,
      `  mode ${mode}`,
      `  bind 127.0.0.1:${port}`,
      ...options.map((o) => `  ${o}`),
      '  option httpchk GET /readyz',
      '  balance roundrobin',
      ...nodes.map((n, i) => `  server n${i} 127.0.0.1:${nodePort(n)} ${server} check port ${n.ports.web} inter 300 fall 2 rise 2`),
    ].join('\n');
  const config = [
    'global\n  maxconn 2000',
    'defaults\n  timeout connect 1s\n  timeout client 60s\n  timeout server 60s\n  timeout check 1s\n  retries 3\n  option redispatch',
    listen('web', 'http', ports.web, (n) => n.ports.web, ['option forwardfor']),
    listen('imaps', 'tcp', ports.imaps, (n) => n.ports.imaps, [], 'send-proxy-v2'),
    listen('smtps', 'tcp', ports.smtps, (n) => n.ports.smtps, [], 'send-proxy'),
  ].join('\n') + '\n';
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawn(haproxyPath, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await reachable(ports.web))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not start: ${errors}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    ports,
    stop: () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill()))),
  };
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** A browser on its own loopback address (`from`), talking HTTP to one port: cookies and the CSRF token kept. */
export class HttpBrowser {
  readonly cookies = new Map<string, string>();
  csrfToken = '';
  readonly port: number;
  readonly from: string;
  readonly extraHeaders: Record<string, string>;

  constructor(port: number, from: string, extraHeaders: Record<string, string> = {}) {
    this.port = port;
    this.from = from;
    this.extraHeaders = extraHeaders;
  }

  request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: () => any }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...this.extraHeaders,
      ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      ...(method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
      ...(payload ? { 'content-type': 'application/json' } : {}),
    };
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, localAddress: this.from, method, path, headers, agent: false, timeout: 10_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          for (const c of res.headers['set-cookie'] ?? []) {
            const [pair] = c.split(';');
            const [name, value] = pair.split('=');
            if (value) this.cookies.set(name, value);
            else this.cookies.delete(name);
          }
          const json = () => JSON.parse(text);
          if (res.headers['content-type']?.startsWith('application/json')) {
            const token = json().csrfToken ?? json().session?.csrfToken;
            if (typeof token === 'string') this.csrfToken = token;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(payload);
    });
  }

  async login(address: string, password: string) {
    if (!this.csrfToken) await this.request('GET', '/api/session');
    return this.request('POST', '/api/login', { address, password });
  }
}
