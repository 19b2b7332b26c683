// RFC 8621 §4.9 Email/parse of an upload and of an attached message; §4.7 Email/copy's refusals.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { forEachPostern, jmapHttp, type JmapHttp } from '../../helpers/jmap.ts';

const inner = 'From: Li Lei <li.lei@example.org>\r\nTo: zoe@example.edu\r\nSubject: =?UTF-8?B?5Lya6K6u57qq6KaB?=\r\nMessage-ID: <inner@example.org>\r\nDate: Mon, 30 Nov 2026 08:00:00 +0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n会议纪要见附件。\r\n';
const forward = Buffer.from(
  'From: joe@example.org\r\nTo: zoe@example.edu\r\nSubject: Fwd: minutes\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename="minutes.eml"\r\n\r\n' + inner + '--b--\r\n',
);

forEachPostern('JMAP Email/parse and Email/copy', (env) => {
  let zoe: AccountRecord;
  let jmap: JmapHttp;
  let password: string;
  const call = async (calls: unknown[]) => (await jmap.call(calls)).body.methodResponses as [string, any, string][];

  before(async () => {
    const { ctx } = env();
    zoe = await ctx.accounts.create({ address: 'zoe@example.edu', password: 'zoe main password' });
    password = (await ctx.appPasswords.create(zoe.id, 'parse', ['jmap'])).password;
    jmap = jmapHttp(env().postern.url, 'zoe@example.edu', password);
    await ctx.mail.deliver(zoe.id, forward);
  });

  test('M5 Email/parse reads an uploaded message without storing it; id, mailboxIds, keywords, receivedAt are null', async () => {
    const up = await fetch(`${jmap.url}/jmap/upload/${zoe.id}`, { method: 'POST', headers: { authorization: jmap.authorization, 'content-type': 'message/rfc822' }, body: inner });
    const { blobId } = await up.json();
    const [[name, r]] = await call([['Email/parse', { accountId: zoe.id, blobIds: [blobId, 'f'.repeat(64)], fetchTextBodyValues: true, properties: ['id', 'mailboxIds', 'receivedAt', 'blobId', 'size', 'from', 'subject', 'sentAt', 'messageId', 'preview', 'hasAttachment', 'textBody', 'bodyValues'] }, 'p']]);
    assert.equal(name, 'Email/parse');
    const email = r.parsed[blobId];
    assert.deepEqual([email.id, email.mailboxIds, email.receivedAt], [null, null, null]);
    assert.deepEqual(email.from, [{ name: 'Li Lei', email: 'li.lei@example.org' }]);
    assert.equal(email.subject, '会议纪要');
    assert.equal(email.sentAt, '2026-11-30T00:00:00Z');
    assert.deepEqual(email.messageId, ['inner@example.org']);
    assert.equal(email.preview, '会议纪要见附件。');
    assert.equal(email.hasAttachment, false);
    assert.equal(email.size, Buffer.byteLength(inner));
    assert.equal(email.bodyValues[email.textBody[0].partId].value, '会议纪要见附件。\n');
    assert.deepEqual(r.notFound, ['f'.repeat(64)]);
    assert.equal((await env().ctx.emails.repo.query(zoe.id, { filter: { text: '纪要' }, sort: [], collapseThreads: false }, 0, 10)).length, 0, 'nothing stored');
  });

  test('M5 Email/parse reads a forwarded message by its attachment blob; a blob that is no message is notParsable', async () => {
    const r = await call([
      ['Email/query', { accountId: zoe.id, filter: { subject: 'minutes' } }, 'q'],
      ['Email/get', { accountId: zoe.id, '#ids': { resultOf: 'q', name: 'Email/query', path: '/ids' }, properties: ['attachments'] }, 'g'],
      ['Email/parse', { accountId: zoe.id, '#blobIds': { resultOf: 'g', name: 'Email/get', path: '/list/*/attachments/*/blobId' }, properties: ['subject', 'from'] }, 'p'],
    ]);
    const parsed = Object.values(r[2][1].parsed) as any[];
    assert.deepEqual(parsed, [{ subject: '会议纪要', from: [{ name: 'Li Lei', email: 'li.lei@example.org' }] }]);
    const up = await fetch(`${jmap.url}/jmap/upload/${zoe.id}`, { method: 'POST', headers: { authorization: jmap.authorization, 'content-type': 'image/png' }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]) });
    const { blobId } = await up.json();
    const [[, bad]] = await call([['Email/parse', { accountId: zoe.id, blobIds: [blobId] }, 'x']]);
    assert.deepEqual(bad.notParsable, [blobId]);
  });

  test('M5 RFC 8621 §4.7: Email/copy needs another account; one the user cannot see is fromAccountNotFound', async () => {
    const [[, same], [, other]] = await call([
      ['Email/copy', { fromAccountId: zoe.id, accountId: zoe.id, create: {} }, 'a'],
      ['Email/copy', { fromAccountId: 'someone-else', accountId: zoe.id, create: {} }, 'b'],
    ]);
    assert.deepEqual([same.type, other.type], ['invalidArguments', 'fromAccountNotFound']);
  });
});
