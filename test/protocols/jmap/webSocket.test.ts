import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../../src/context.ts';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { testPostern } from '../../helpers/context.ts';
import { using } from '../../helpers/jmap.ts';

let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
let fay: AccountRecord;
let password: string;

before(async () => {
  env = await testPostern();
  ctx = env.ctx;
  fay = await ctx.accounts.create({ address: 'fay@example.edu', password: 'fay main password' });
  password = (await ctx.appPasswords.create(fay.id, 'ws client', ['jmap'])).password;
});
after(() => env.cleanup());

function open(): Promise<{ ws: WebSocket; next(): Promise<any> }> {
  const url = env.postern.url.replace(/^http/, 'ws') + '/jmap/ws';
  const authorization = `Basic ${Buffer.from(`fay@example.edu:${password}`).toString('base64')}`;
  // Node's WebSocket (undici) takes headers beside the subprotocols.
  const ws = new WebSocket(url, { protocols: ['jmap'], headers: { authorization } } as unknown as string[]);
  const queue: any[] = [];
  const waiting: ((m: any) => void)[] = [];
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(String(e.data));
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve({ ws, next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r))) }));
    ws.addEventListener('error', () => reject(new Error('websocket refused')));
  });
}

test('M5 RFC 8887: requests and responses over the jmap WebSocket, and StateChange pushed for a delivery', async () => {
  const { ws, next } = await open();
  try {
    assert.equal(ws.protocol, 'jmap');
    ws.send(JSON.stringify({ '@type': 'Request', id: 'r1', using, methodCalls: [['Core/echo', { a: 1 }, 'c0']] }));
    const response = await next();
    assert.deepEqual([response['@type'], response.requestId, response.methodResponses], ['Response', 'r1', [['Core/echo', { a: 1 }, 'c0']]]);
    ws.send(JSON.stringify({ '@type': 'WebSocketPushEnable', dataTypes: ['Email', 'Mailbox'] }));
    ws.send(JSON.stringify({ '@type': 'Request', id: 'r2', using, methodCalls: [['Core/echo', {}, 'c1']] }));
    assert.equal((await next()).requestId, 'r2');
    await ctx.mail.deliver(fay.id, Buffer.from('From: gus@example.org\r\nSubject: pushed\r\n\r\nhi\r\n'));
    const push = await next();
    assert.equal(push['@type'], 'StateChange');
    assert.deepEqual(Object.keys(push.changed[fay.id]).sort(), ['Email', 'Mailbox']);
    ws.send('not json');
    assert.equal((await next()).type, 'urn:ietf:params:jmap:error:notJSON');
  } finally {
    ws.close();
  }
});

test('X9 a revoked client password closes the JMAP WebSocket within 5 s', async () => {
  const { ws } = await open();
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  const [app] = await ctx.appPasswords.list(fay.id);
  const started = Date.now();
  await ctx.appPasswords.remove(fay.id, app.id);
  assert.equal(await closed, 1008);
  assert.ok(Date.now() - started < 5000);
});
