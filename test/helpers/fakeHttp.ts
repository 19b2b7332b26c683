import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { PosternError } from '../../src/core/errors.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type FakeReply = { status: number; json: unknown } | 'hang';

/** A provider stand-in on 127.0.0.1:<random port>: records each request and answers what `reply` says. */
export async function fakeProvider(reply: (req: RecordedRequest) => FakeReply): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const answer = reply(recorded);
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Starts fake providers for one test file and closes them all when it ends. */
export function fakeProviders(): (reply: (req: RecordedRequest) => FakeReply) => ReturnType<typeof fakeProvider> {
  const started: { close(): Promise<void> }[] = [];
  after(() => Promise.all(started.map((s) => s.close())));
  return async (reply) => {
    const s = await fakeProvider(reply);
    started.push(s);
    return s;
  };
}

/** An assert.rejects matcher for `sms_send_failed` that also checks the secret appears nowhere in the error. */
export function smsFailed(provider: string, reason: string, secret: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof PosternError, String(err));
    assert.equal(err.code, 'sms_send_failed');
    assert.equal(err.status, 502);
    assert.deepEqual(err.params, { provider, reason });
    assert.ok(!JSON.stringify({ m: err.message, p: err.params, s: err.stack }).includes(secret));
    return true;
  };
}
