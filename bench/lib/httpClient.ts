// The benches' HTTP client: one keep-alive HTTP/1.1 connection per simulated client, each request
// written in one piece and its answer read by its Content-Length. The load runs on the machine it
// measures: node:http's client took about 1 ms of CPU per sign-in there (its parser, streams and
// agent), CPU taken from the server beside it and not from the peer that has no client (the
// argon2 limit).
import net from 'node:net';

export interface Answer {
  status: number;
  /** The status line and headers, as sent. */
  head: string;
  body: Buffer;
}

export interface Connection {
  request(method: string, path: string, headers?: Record<string, string>, body?: string): Promise<Answer>;
  close(): void;
}

/** The `name=value` of each Set-Cookie of an answer. */
export const cookiesOf = (head: string): string[] => [...head.matchAll(/\r\nset-cookie: *([^;\r]*)/gi)].map((m) => m[1]);

/** A connection to 127.0.0.1:`port`, opened at the first request and again after the server closed it. */
export function connect(port: number): Connection {
  let socket: net.Socket | undefined;
  let received: Buffer = Buffer.alloc(0);
  let waiting: { resolve(a: Answer): void; reject(err: Error): void } | undefined;

  const settle = (outcome: Answer | Error) => {
    const w = waiting;
    waiting = undefined;
    if (outcome instanceof Error) w?.reject(outcome);
    else w?.resolve(outcome);
  };
  const onData = (chunk: Buffer) => {
    received = received.length ? Buffer.concat([received, chunk]) : chunk;
    const end = received.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = received.toString('latin1', 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      socket?.destroy();
      return settle(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`));
    }
    const total = end + 4 + Number(length[1]);
    if (received.length < total) return;
    const body = received.subarray(end + 4, total);
    received = received.subarray(total);
    settle({ status: Number(head.slice(9, 12)), head, body });
  };
  const open = () => {
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    s.on('data', onData);
    s.on('error', (err) => settle(err));
    s.on('close', () => {
      if (socket === s) socket = undefined;
      received = Buffer.alloc(0);
      settle(new Error('the server closed the connection'));
    });
    return s;
  };

  return {
    request(method, path, headers = {}, body) {
      if (waiting) return Promise.reject(new Error('one request at a time on a connection'));
      socket ??= open();
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      const answer = new Promise<Answer>((resolve, reject) => (waiting = { resolve, reject }));
      const length = body === undefined ? '' : `content-length: ${Buffer.byteLength(body)}\r\n`;
      socket.write(`${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${lines}${length}\r\n${body ?? ''}`);
      return answer;
    },
    close() {
      socket?.destroy();
      socket = undefined;
    },
  };
}
