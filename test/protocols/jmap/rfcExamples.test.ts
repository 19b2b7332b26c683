// The examples of RFC 8620 and RFC 8621 that apply, as request → response shape.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { forEachPostern, jmapHttp, type JmapHttp } from '../../helpers/jmap.ts';

const mail = (id: string, subject: string, extra = '') => Buffer.from(`From: Joe Bloggs <joe@example.org>\r\nTo: zoe@example.edu\r\nSubject: ${subject}\r\nMessage-ID: <${id}@example.org>\r\nDate: Tue, 1 Dec 2026 09:00:00 +0000\r\n${extra}\r\nHello.\r\n`);

/** RFC 8621 §4.1.4's example tree, letters in the text parts and the names. */
function rfcTree(): Buffer {
  const part = (type: string, body: string, extra = '') => `Content-Type: ${type}\r\n${extra}\r\n${body}\r\n`;
  const multi = (sub: string, b: string, parts: string[]) => `Content-Type: multipart/${sub}; boundary="${b}"\r\n\r\n${parts.map((p) => `--${b}\r\n${p}`).join('')}--${b}--\r\n`;
  const inline = (name: string) => part(`image/jpeg; name="${name}"`, 'AAAA', 'Content-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n');
  const tree = multi('mixed', 'b0', [
    part('text/plain', 'A'),
    multi('mixed', 'b1', [
      multi('alternative', 'b2', [
        multi('mixed', 'b3', [part('text/plain', 'B'), inline('C.jpg'), part('text/plain', 'D')]),
        multi('related', 'b4', [part('text/html', '<p>E</p>'), inline('F.jpg')]),
      ]),
      part('image/jpeg; name="G.jpg"', 'AAAA', 'Content-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n'),
      part('application/x-excel; name="H.xls"', 'H'),
      part('message/rfc822', 'Subject: J\r\n\r\nJ'),
    ]),
    part('text/plain', 'K'),
  ]);
  return Buffer.from(`From: joe@example.org\r\nTo: zoe@example.edu\r\nSubject: tree\r\nMIME-Version: 1.0\r\n${tree}`);
}

forEachPostern('RFC 8620/8621 examples', (env) => {
  let zoe: AccountRecord;
  let jmap: JmapHttp;
  let inbox: string;
  const call = async (calls: unknown[]) => (await jmap.call(calls)).body.methodResponses as [string, any, string][];

  before(async () => {
    const { ctx } = env();
    zoe = await ctx.accounts.create({ address: 'zoe@example.edu', password: 'zoe main password' });
    const app = (await ctx.appPasswords.create(zoe.id, 'rfc', ['jmap'])).password;
    jmap = jmapHttp(env().postern.url, 'zoe@example.edu', app);
    await ctx.mail.deliver(zoe.id, mail('m1', 'Meeting'));
    await ctx.mail.deliver(zoe.id, mail('m2', 'Re: Meeting', 'In-Reply-To: <m1@example.org>\r\nReferences: <m1@example.org>\r\n'));
    await ctx.mail.deliver(zoe.id, mail('m3', 'Lunch'));
    inbox = (await ctx.mail.specialMailbox(zoe.id, 'INBOX')).id;
  });

  test('M5 RFC 8620 §4: Core/echo returns its arguments', async () => {
    assert.deepEqual(await call([['Core/echo', { hello: true, high: 5 }, 'b3ff']]), [['Core/echo', { hello: true, high: 5 }, 'b3ff']]);
  });

  test('M5 RFC 8620 §3.7: back-references chain Email/query → Email/get → Thread/get → Email/get', async () => {
    const r = await call([
      ['Email/query', { accountId: zoe.id, filter: { inMailbox: inbox }, sort: [{ property: 'receivedAt', isAscending: false }], collapseThreads: true, position: 0, limit: 10, calculateTotal: true }, 't0'],
      ['Email/get', { accountId: zoe.id, '#ids': { resultOf: 't0', name: 'Email/query', path: '/ids' }, properties: ['threadId'] }, 't1'],
      ['Thread/get', { accountId: zoe.id, '#ids': { resultOf: 't1', name: 'Email/get', path: '/list/*/threadId' } }, 't2'],
      ['Email/get', { accountId: zoe.id, '#ids': { resultOf: 't2', name: 'Thread/get', path: '/list/*/emailIds' }, properties: ['from', 'receivedAt', 'subject'] }, 't3'],
    ]);
    assert.deepEqual(r.map((x) => [x[0], x[2]]), [['Email/query', 't0'], ['Email/get', 't1'], ['Thread/get', 't2'], ['Email/get', 't3']]);
    assert.equal(r[0][1].total, 2, 'two threads: Meeting (2 messages) and Lunch');
    assert.equal(r[0][1].ids.length, 2);
    assert.deepEqual(r[2][1].list.map((t: any) => t.emailIds.length).sort(), [1, 2]);
    assert.deepEqual(r[3][1].list.map((e: any) => e.subject).sort(), ['Lunch', 'Meeting', 'Re: Meeting']);
    assert.deepEqual(r[3][1].list[0].from, [{ name: 'Joe Bloggs', email: 'joe@example.org' }]);
  });

  test('M5 RFC 8621 §2: Mailbox/get counts Emails and threads, unread ones too, the properties asked for only', async () => {
    const r = await call([
      ['Mailbox/get', { accountId: zoe.id, ids: [inbox], properties: ['totalEmails', 'unreadEmails', 'totalThreads', 'unreadThreads'] }, 'all'],
      ['Mailbox/get', { accountId: zoe.id, ids: [inbox], properties: ['totalEmails', 'unreadEmails'] }, 'emails'],
    ]);
    assert.deepEqual(r[0][1].list, [{ id: inbox, totalEmails: 3, unreadEmails: 3, totalThreads: 2, unreadThreads: 2 }]);
    assert.deepEqual(r[1][1].list, [{ id: inbox, totalEmails: 3, unreadEmails: 3 }]);
  });

  test('M5 RFC 8620 §3.6.2 / §3.7: unknownMethod, invalidArguments and invalidResultReference fail one call only', async () => {
    const r = await call([
      ['Nope/get', {}, 'a'],
      ['Mailbox/get', { accountId: zoe.id, ids: 'x' }, 'b'],
      ['Email/get', { accountId: zoe.id, '#ids': { resultOf: 'zz', name: 'Email/query', path: '/ids' } }, 'c'],
      ['Mailbox/get', { accountId: 'someone-else' }, 'd'],
      ['Core/echo', { ok: 1 }, 'e'],
    ]);
    assert.deepEqual(r.map((x) => [x[0], x[1].type ?? null, x[2]]), [['error', 'unknownMethod', 'a'], ['error', 'invalidArguments', 'b'], ['error', 'invalidResultReference', 'c'], ['error', 'accountNotFound', 'd'], ['Core/echo', null, 'e']]);
  });

  test('M5 RFC 8620 §3.6.1: request-level problems are RFC 7807 documents', async () => {
    const cases: [string, string, string | undefined][] = [
      ['{"using": ["urn:ietf:params:jmap:core"], "methodCalls": [', 'notJSON', undefined],
      ['{"using": "mail", "methodCalls": []}', 'notRequest', undefined],
      [JSON.stringify({ using: ['urn:ietf:params:jmap:core', 'urn:example:unknown'], methodCalls: [] }), 'unknownCapability', undefined],
      [JSON.stringify({ using: ['urn:ietf:params:jmap:core'], methodCalls: Array.from({ length: 33 }, (_, i) => ['Core/echo', {}, String(i)]) }), 'limit', 'maxCallsInRequest'],
    ];
    for (const [body, type, limit] of cases) {
      const res = await jmap.post(body);
      assert.equal(res.status, 400);
      assert.equal(res.body.type, `urn:ietf:params:jmap:error:${type}`);
      assert.equal(res.body.status, 400);
      assert.equal(res.body.limit, limit);
    }
    const big = await jmap.post(JSON.stringify({ using: [], methodCalls: [], pad: 'x'.repeat(10 * 1024 * 1024 + 1) }));
    assert.equal(big.body.type, 'urn:ietf:params:jmap:error:limit');
    assert.equal(big.body.limit, 'maxSizeRequest');
  });

  test('M5 RFC 8620 §5.1: /get of too many ids is requestTooLarge; unknown ids are notFound', async () => {
    const r = await call([
      ['Email/get', { accountId: zoe.id, ids: Array.from({ length: 501 }, (_, i) => `M${i}`) }, 'a'],
      ['Mailbox/get', { accountId: zoe.id, ids: ['nope'], properties: ['name'] }, 'b'],
    ]);
    assert.equal(r[0][1].type, 'requestTooLarge');
    assert.deepEqual(r[1][1].list, []);
    assert.deepEqual(r[1][1].notFound, ['nope']);
  });

  test('M5 RFC 8620 §5.3/§5.2: Mailbox/set with a creation id, ifInState, and /changes from the old state', async () => {
    const [get] = await call([['Mailbox/get', { accountId: zoe.id, ids: [] }, '0']]);
    const state = get[1].state;
    const r = await call([
      ['Mailbox/set', { accountId: zoe.id, ifInState: state, create: { k1: { name: 'Projects', parentId: null }, k2: { name: 'Postern', parentId: '#k1' } } }, '1'],
      ['Mailbox/set', { accountId: zoe.id, ifInState: state, create: { k3: { name: 'late' } } }, '2'],
      ['Mailbox/changes', { accountId: zoe.id, sinceState: state }, '3'],
      ['Mailbox/get', { accountId: zoe.id, ids: ['#k2'], properties: ['name', 'parentId', 'role', 'myRights'] }, '4'],
    ]);
    const created = r[0][1].created;
    assert.deepEqual(Object.keys(created).sort(), ['k1', 'k2']);
    assert.equal(r[1][1].type, 'stateMismatch');
    assert.deepEqual(r[2][1].created.sort(), [created.k1.id, created.k2.id].sort());
    assert.equal(r[2][1].oldState, state);
    assert.equal(r[2][1].hasMoreChanges, false);
    assert.equal(r[3][1].list[0].name, 'Postern');
    assert.equal(r[3][1].list[0].parentId, created.k1.id);
    assert.equal(r[3][1].list[0].myRights.mayDelete, true);
    const destroy = await call([['Mailbox/set', { accountId: zoe.id, destroy: [created.k1.id, inbox] }, '5']]);
    assert.equal(destroy[0][1].notDestroyed[created.k1.id].type, 'mailboxHasChild');
    assert.equal(destroy[0][1].notDestroyed[inbox].type, 'forbidden');
  });

  test('M5 RFC 8621 §4.1.4: textBody, htmlBody and attachments of the RFC example tree', async () => {
    await env().ctx.mail.deliver(zoe.id, rfcTree());
    const r = await call([
      ['Email/query', { accountId: zoe.id, filter: { subject: 'tree' } }, 'q'],
      ['Email/get', { accountId: zoe.id, '#ids': { resultOf: 'q', name: 'Email/query', path: '/ids' }, properties: ['textBody', 'htmlBody', 'attachments', 'bodyValues', 'hasAttachment'], bodyProperties: ['partId', 'type', 'name'], fetchAllBodyValues: true }, 'g'],
    ]);
    const email = r[1][1].list[0];
    const ids = (list: any[]) => list.map((p) => p.partId);
    assert.deepEqual(ids(email.textBody), ['1', '2.1.1.1', '2.1.1.2', '2.1.1.3', '3']);
    assert.deepEqual(ids(email.htmlBody), ['1', '2.1.2.1', '3']);
    assert.deepEqual(ids(email.attachments), ['2.1.1.2', '2.1.2.2', '2.2', '2.3', '2.4']);
    assert.deepEqual(email.attachments.map((p: any) => p.name), ['C.jpg', 'F.jpg', 'G.jpg', 'H.xls', null]);
    assert.equal(email.bodyValues['2.1.2.1'].value, '<p>E</p>');
    assert.equal(email.hasAttachment, true);
  });

  test('M5 RFC 8621 §4.10: a filtered, sorted query with a keyword, and Email/queryChanges', async () => {
    const q = { accountId: zoe.id, filter: { operator: 'AND', conditions: [{ inMailbox: inbox }, { notKeyword: '$seen' }, { from: 'joe' }] }, sort: [{ property: 'subject', isAscending: true }] };
    const [first] = await call([['Email/query', q, 'a']]);
    const subjects = async (ids: string[]) => (await call([['Email/get', { accountId: zoe.id, ids, properties: ['subject'] }, 'g']]))[0][1].list.map((e: any) => e.subject);
    assert.deepEqual(await subjects(first[1].ids), ['Lunch', 'Meeting', 'Re: Meeting', 'tree']);
    const lunch = first[1].ids[0];
    await call([['Email/set', { accountId: zoe.id, update: { [lunch]: { 'keywords/$seen': true } } }, 's']]);
    const [changes] = await call([['Email/queryChanges', { ...q, sinceQueryState: first[1].queryState }, 'c']]);
    assert.deepEqual(changes[1].removed, [lunch]);
    assert.deepEqual(changes[1].added, []);
    assert.equal(changes[1].oldQueryState, first[1].queryState);
  });

  test('M5 RFC 8621 §4.6: patches that escape keywords/mailboxIds are refused, the Email is unchanged', async () => {
    const [{ 1: q }] = await call([['Email/query', { accountId: zoe.id, filter: { subject: 'Lunch' } }, 'q']]);
    const id = q.ids[0];
    const [set] = await call([['Email/set', { accountId: zoe.id, update: { [id]: { 'keywords/a/b': true }, Mnope: { 'keywords/$flagged': true } }, destroy: ['Mnope'] }, 's']]);
    assert.equal(set[1].notUpdated[id].type, 'invalidPatch');
    assert.equal(set[1].notUpdated.Mnope.type, 'notFound');
    assert.equal(set[1].notDestroyed.Mnope.type, 'notFound');
    const [set2] = await call([['Email/set', { accountId: zoe.id, update: { [id]: { subject: 'changed' } } }, 's']]);
    assert.equal(set2[1].notUpdated[id].type, 'invalidProperties');
    const [set3] = await call([['Email/set', { accountId: zoe.id, update: { [id]: { mailboxIds: {} } } }, 's']]);
    assert.equal(set3[1].notUpdated[id].type, 'invalidProperties');
    // Keywords heaped on one Email: a SetError, not a server failure.
    const heap = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`keywords/$keyword-number-${i}-with-a-long-name`, true]));
    const [set4] = await call([['Email/set', { accountId: zoe.id, update: { [id]: heap } }, 's']]);
    assert.equal(set4[1].notUpdated[id].type, 'invalidProperties');
    assert.deepEqual(set4[1].notUpdated[id].properties, ['keywords']);
  });

  test('M5 RFC 8620 §6.2: a blob of another account is not found, upload and download', async () => {
    const { ctx } = env();
    const other = await ctx.accounts.create({ address: 'yan@example.edu', password: 'yan main password' });
    await ctx.mail.deliver(other.id, mail('secret', 'Secret'));
    const [row] = await ctx.mail.messages((await ctx.mail.specialMailbox(other.id, 'INBOX')).id);
    const auth = { authorization: jmap.authorization };
    const stolen = await fetch(`${jmap.url}/jmap/download/${zoe.id}/${row.blobId}/x.eml?type=message/rfc822`, { headers: auth });
    assert.equal(stolen.status, 404);
    const crossAccount = await fetch(`${jmap.url}/jmap/download/${other.id}/${row.blobId}/x.eml`, { headers: auth });
    assert.equal(crossAccount.status, 404);
    const [imported] = await call([['Email/import', { accountId: zoe.id, emails: { i: { blobId: row.blobId, mailboxIds: { [inbox]: true } } } }, 'i']]);
    assert.equal(imported[1].notCreated.i.type, 'blobNotFound');
    const up = await fetch(`${jmap.url}/jmap/upload/${zoe.id}`, { method: 'POST', headers: { ...auth, 'content-type': 'text/html' }, body: '<script>alert(1)</script>' });
    assert.equal(up.status, 201);
    const blob = await up.json();
    assert.deepEqual({ ...blob, blobId: undefined }, { accountId: zoe.id, blobId: undefined, type: 'text/html', size: 25 });
    const down = await fetch(`${jmap.url}/jmap/download/${zoe.id}/${blob.blobId}/a%22b.html?type=text/html`, { headers: auth });
    assert.equal(down.status, 200);
    assert.match(down.headers.get('content-disposition')!, /^attachment; filename="a_b.html"/);
    assert.match(down.headers.get('content-security-policy')!, /sandbox/);
  });
});
