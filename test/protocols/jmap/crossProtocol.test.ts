import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ImapFlow } from 'imapflow';
import type { Context } from '../../../src/context.ts';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { fakeTwoFactor, testPostern } from '../../helpers/context.ts';
import { jmapHttp, type JmapHttp } from '../../helpers/jmap.ts';

const twoFactor = fakeTwoFactor();
let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
let dave: AccountRecord;
let jmap: JmapHttp;

before(async () => {
  env = await testPostern({ twoFactor: twoFactor.state }, { POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: '10' });
  ctx = env.ctx;
  dave = await ctx.accounts.create({ address: 'dave@example.edu', password: 'dave main password' });
  jmap = jmapHttp(env.postern.url, 'dave@example.edu', 'dave main password');
});
after(() => env.cleanup());

async function imap(): Promise<ImapFlow> {
  const client = new ImapFlow({ host: '127.0.0.1', port: env.postern.mailAccess.ports.imaps, secure: true, tls: { rejectUnauthorized: false }, auth: { user: 'dave@example.edu', pass: 'dave main password' }, logger: false, disableAutoIdle: true });
  await client.connect();
  return client;
}

const emailState = async () => (await jmap.call([['Email/get', { accountId: dave.id, ids: [] }, '0']])).body.methodResponses[0][1].state as string;

test('M5 flags set by IMAP STORE appear in JMAP Email/changes, and JMAP keywords in IMAP FETCH CHANGEDSINCE', async () => {
  await ctx.mail.deliver(dave.id, Buffer.from('From: erin@example.org\r\nSubject: one\r\nMessage-ID: <c1@x>\r\n\r\nbody\r\n'));
  await ctx.mail.deliver(dave.id, Buffer.from('From: erin@example.org\r\nSubject: two\r\nMessage-ID: <c2@x>\r\n\r\nbody\r\n'));
  const before = await emailState();
  const client = await imap();
  try {
    const box = await client.mailboxOpen('INBOX');
    await client.messageFlagsAdd({ uid: '1' }, ['\\Flagged'], { uid: true });
    const changes = (await jmap.call([['Email/changes', { accountId: dave.id, sinceState: before }, 'c'], ['Email/get', { accountId: dave.id, '#ids': { resultOf: 'c', name: 'Email/changes', path: '/updated' }, properties: ['subject', 'keywords'] }, 'g']])).body.methodResponses;
    assert.equal(changes[0][1].updated.length, 1);
    assert.deepEqual(changes[0][1].created, []);
    assert.deepEqual(changes[1][1].list.map((e: any) => [e.subject, e.keywords]), [['one', { $flagged: true }]]);

    const status = await client.status('INBOX', { highestModseq: true });
    const modseq = Number(status && status.highestModseq);
    const [{ ids }] = [(await jmap.call([['Email/query', { accountId: dave.id, filter: { subject: 'two' } }, 'q']])).body.methodResponses[0][1]];
    const set = (await jmap.call([['Email/set', { accountId: dave.id, update: { [ids[0]]: { 'keywords/$seen': true, 'keywords/$label1': true } } }, 's']])).body.methodResponses[0][1];
    assert.deepEqual(Object.keys(set.updated), [ids[0]]);
    const fetched = [];
    for await (const m of client.fetch('1:*', { uid: true, flags: true }, { uid: true, changedSince: BigInt(modseq) })) fetched.push([m.uid, [...m.flags!].filter((f) => f !== '\\Recent').sort()]);
    assert.deepEqual(fetched, [[2, ['$label1', '\\Seen']]]);
    assert.ok(box.exists === 2);
  } finally {
    await client.logout();
  }
});

test('E1 with 2FA on, JMAP refuses the main password with the telling message and takes a jmap client password', async () => {
  twoFactor.on.add(dave.id);
  try {
    const refused = await jmap.call([['Core/echo', { hello: 1 }, '0']]);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'app_password_required');
    assert.match(refused.body.error.message, /客户端专用密码|client-specific password/);
    const imapOnly = (await ctx.appPasswords.create(dave.id, 'Thunderbird', ['imap'])).password;
    assert.equal((await jmapHttp(env.postern.url, 'dave@example.edu', imapOnly).call([['Core/echo', {}, '0']])).body.error.code, 'scope');
    const app = (await ctx.appPasswords.create(dave.id, 'JMAP app', ['jmap'])).password;
    const echoed = await jmapHttp(env.postern.url, 'dave@example.edu', app).call([['Core/echo', { hello: [1, 2] }, '0']]);
    assert.deepEqual(echoed.body.methodResponses, [['Core/echo', { hello: [1, 2] }, '0']]);
  } finally {
    twoFactor.on.delete(dave.id);
  }
});

test('E1 JMAP without credentials is asked for HTTP Basic; the web session needs its CSRF header', async () => {
  const res = await fetch(`${env.postern.url}/jmap/session`);
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate')!, /^Basic /);
});
