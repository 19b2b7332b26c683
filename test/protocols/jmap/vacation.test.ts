// RFC 8621 §8 VacationResponse/get|set, and the response itself: sent on delivery once per sender
// and vacation, never to lists, bulk or automatic mail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { testPostern } from '../../helpers/context.ts';
import { jmapHttp, type JmapHttp } from '../../helpers/jmap.ts';

const using = ['urn:ietf:params:jmap:core', 'urn:ietf:params:jmap:mail', 'urn:ietf:params:jmap:vacationresponse'];
let env: Awaited<ReturnType<typeof testPostern>>;
let zoe: AccountRecord;
let bob: AccountRecord;
let jmap: JmapHttp;
const call = async (calls: unknown[]) => (await jmap.call(calls, using)).body.methodResponses as [string, any, string][];

before(async () => {
  env = await testPostern();
  zoe = await env.ctx.accounts.create({ address: 'zoe@example.edu', password: 'zoe main password', displayName: 'Zoe' });
  bob = await env.ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
  jmap = jmapHttp(env.postern.url, 'zoe@example.edu', (await env.ctx.appPasswords.create(zoe.id, 'vacation', ['jmap'])).password);
});
after(() => env.cleanup());

/** Bob sends Zoe a message over SMTP submission (nodemailer), with extra header fields. */
async function bobSends(subject: string, headers: Record<string, string> = {}, to = 'zoe@example.edu') {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: env.postern.smtp.ports.submission, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: 'bob@example.edu', pass: 'bob main password' } });
  await transport.sendMail({ from: 'bob@example.edu', to, subject, text: '你好', headers, envelope: { from: 'bob@example.edu', to: 'zoe@example.edu' } });
  transport.close();
}

async function bobsInbox() {
  const inbox = await env.ctx.mail.specialMailbox(bob.id, 'INBOX');
  return env.ctx.mail.messages(inbox.id);
}

test('M5 VacationResponse: the session announces it; get answers the singleton, off by default', async () => {
  const session = await (await fetch(`${env.postern.url}/jmap/session`, { headers: { authorization: jmap.authorization } })).json();
  assert.ok(session.capabilities['urn:ietf:params:jmap:vacationresponse']);
  assert.equal(session.primaryAccounts['urn:ietf:params:jmap:vacationresponse'], zoe.id);
  const [[name, r]] = await call([['VacationResponse/get', { accountId: zoe.id, ids: null }, '0']]);
  assert.equal(name, 'VacationResponse/get');
  assert.deepEqual(r.list, [{ id: 'singleton', isEnabled: false, fromDate: null, toDate: null, subject: null, textBody: null, htmlBody: null }]);
  const [[, other]] = await call([['VacationResponse/get', { accountId: zoe.id, ids: ['other'] }, '1']]);
  assert.deepEqual([other.list, other.notFound], [[], ['other']]);
});

test('M5 VacationResponse/set updates the singleton only; create and destroy are refused as singleton', async () => {
  const [[, before]] = await call([['VacationResponse/get', { accountId: zoe.id }, '0']]);
  const [[name, r]] = await call([
    ['VacationResponse/set', { accountId: zoe.id, ifInState: before.state, update: { singleton: { isEnabled: true, subject: '休假中', textBody: '我在休假，12 月 10 日回来。', toDate: '2099-01-01T00:00:00Z' } }, create: { x: {} }, destroy: ['singleton'] }, '1'],
  ]);
  assert.equal(name, 'VacationResponse/set');
  assert.deepEqual(r.updated, { singleton: null });
  assert.equal(r.notCreated.x.type, 'singleton');
  assert.equal(r.notDestroyed.singleton.type, 'singleton');
  assert.notEqual(r.newState, r.oldState);
  const [[, bad]] = await call([['VacationResponse/set', { accountId: zoe.id, update: { singleton: { isEnabled: 'yes' }, other: { isEnabled: true } } }, '2']]);
  assert.deepEqual([bad.notUpdated.singleton.type, bad.notUpdated.other.type], ['invalidProperties', 'notFound']);
  const [[, stale]] = await call([['VacationResponse/set', { accountId: zoe.id, ifInState: before.state, update: { singleton: { isEnabled: false } } }, '3']]);
  assert.equal(stale.type, 'stateMismatch');
  const [[, now]] = await call([['VacationResponse/get', { accountId: zoe.id }, '4']]);
  assert.deepEqual(now.list[0], { id: 'singleton', isEnabled: true, fromDate: null, toDate: '2099-01-01T00:00:00Z', subject: '休假中', textBody: '我在休假，12 月 10 日回来。', htmlBody: null });
});

test('M5 a sender gets the vacation response once, in reply to the message, marked auto-replied', async () => {
  await bobSends('周五开会吗？');
  await bobSends('还有一件事');
  const replies = await bobsInbox();
  assert.equal(replies.length, 1, 'one response per sender');
  assert.equal(replies[0].subject, '休假中');
  const raw = (await env.ctx.mail.read(replies[0])).toString();
  assert.match(raw, /^Auto-Submitted: auto-replied\r$/m);
  assert.match(raw, /^In-Reply-To: <.+>\r$/m);
  assert.match(raw, /^From: "?Zoe"? <zoe@example\.edu>\r$/m);
  assert.equal(replies[0].preview, '我在休假，12 月 10 日回来。');
});

test('M5 no vacation response to lists, bulk or automatic mail, nor to mail not addressed to the account; a new vacation answers again', async () => {
  await call([['VacationResponse/set', { accountId: zoe.id, update: { singleton: { subject: '还在休假' } } }, '1']]);
  await bobSends('list', { 'List-Id': '<staff.example.edu>' });
  await bobSends('bulk', { Precedence: 'bulk' });
  await bobSends('auto', { 'Auto-Submitted': 'auto-generated' });
  await bobSends('bcc', {}, 'someone-else@example.org');
  assert.equal((await bobsInbox()).length, 1, 'none of these is answered');
  await bobSends('a person again');
  const inbox = await bobsInbox();
  assert.deepEqual(inbox.map((m) => m.subject), ['休假中', '还在休假']);
});

test('M5 a vacation that is off, or over, sends nothing', async () => {
  await call([['VacationResponse/set', { accountId: zoe.id, update: { singleton: { isEnabled: true, fromDate: '2020-01-01T00:00:00Z', toDate: '2020-02-01T00:00:00Z', subject: 'past' } } }, '1']]);
  await bobSends('after the vacation');
  await call([['VacationResponse/set', { accountId: zoe.id, update: { singleton: { isEnabled: false, fromDate: null, toDate: null, subject: 'off' } } }, '2']]);
  await bobSends('vacation off');
  assert.equal((await bobsInbox()).length, 2);
});

test('M5 push: changing the vacation response sends a VacationResponse StateChange over EventSource', async () => {
  const res = await fetch(`${env.postern.url}/jmap/eventsource?types=VacationResponse,Identity&closeafter=state&ping=0`, { headers: { authorization: jmap.authorization } });
  const reader = res.body!.getReader();
  let text = '';
  const decoder = new TextDecoder();
  while (!text.includes(': postern')) text += decoder.decode((await reader.read()).value);
  await call([['VacationResponse/set', { accountId: zoe.id, update: { singleton: { subject: 'pushed' } } }, '1']]);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  const [[, now]] = await call([['VacationResponse/get', { accountId: zoe.id }, '2']]);
  const data = JSON.parse(/event: state\ndata: (.*)\n/.exec(text)![1]);
  assert.deepEqual(data, { '@type': 'StateChange', changed: { [zoe.id]: { VacationResponse: now.state } } });
});
