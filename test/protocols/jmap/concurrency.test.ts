// RFC 8620 §2 maxConcurrentRequests, counted across nodes: requests in flight on one node take
// the slots of the account on every node.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { limits } from '../../../src/protocols/jmap/session.ts';
import { testPostern } from '../../helpers/context.ts';
import { testPostgresUrl, withSchemaLock } from '../../helpers/db.ts';
import { jmapHttp } from '../../helpers/jmap.ts';

type Node = Awaited<ReturnType<typeof testPostern>>;
const schema = `postern_jmapslots_${process.pid}_${randomBytes(3).toString('hex')}`;
const shared = { POSTERN_DATABASE_URL: testPostgresUrl, POSTERN_SECRET_PEPPER: randomBytes(32).toString('base64'), POSTERN_SECRET_DATA_KEY: randomBytes(32).toString('base64') };
let a: Node;
let b: Node;
let password: string;

before(async () => {
  await withSchemaLock((client) => client.query(`CREATE SCHEMA "${schema}"`));
  a = await withSchemaLock(() => testPostern({ schema }, shared));
  b = await withSchemaLock(() => testPostern({ schema }, shared));
  const zoe = await a.ctx.accounts.create({ address: 'zoe@example.edu', password: 'zoe main password' });
  password = (await a.ctx.appPasswords.create(zoe.id, 'slots', ['jmap'])).password;
});
after(async () => {
  await a?.cleanup();
  await b?.cleanup();
  await withSchemaLock((client) => client.query(`DROP SCHEMA "${schema}" CASCADE`));
});

/** An API request whose body never finishes arriving: it is in flight until destroyed. */
function stalled(url: string, authorization: string): ClientRequest {
  const { hostname, port } = new URL(url);
  const req = httpRequest({ hostname, port, path: '/jmap/api', method: 'POST', headers: { authorization, 'content-type': 'application/json', 'content-length': '1000' } });
  req.on('error', () => {});
  req.write('{"using": [');
  return req;
}

test('M5 RFC 8620 maxConcurrentRequests holds across nodes: requests in flight on node A make node B answer the limit problem', async () => {
  const onB = jmapHttp(b.postern.url, 'zoe@example.edu', password);
  const echo = () => onB.call([['Core/echo', { hi: 1 }, 'e']]);
  assert.equal((await echo()).status, 200);
  const held = Array.from({ length: limits.maxConcurrentRequests }, () => stalled(a.postern.url, onB.authorization));
  try {
    let refused: { status: number; body: any } | undefined;
    // Node A may be slow to take them while the rest of the suite runs beside this file.
    for (const deadline = Date.now() + 15_000; Date.now() < deadline && !refused; ) {
      const r = await echo();
      if (r.status !== 200) refused = r;
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(refused, 'node B refused while node A held every slot');
    assert.equal(refused.status, 400);
    assert.deepEqual([refused.body.type, refused.body.limit], ['urn:ietf:params:jmap:error:limit', 'maxConcurrentRequests']);
  } finally {
    // Never left in flight, even when the test fails: node A would wait for them when it stops.
    for (const req of held) req.destroy();
  }
  let ok = false;
  for (const deadline = Date.now() + 5000; Date.now() < deadline && !ok; ) {
    ok = (await echo()).status === 200;
    if (!ok) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(ok, 'the slots come back once node A is done with the requests');
});
