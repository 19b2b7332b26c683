import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../../src/context.ts';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { testPostern } from '../../helpers/context.ts';
import { jamClient, type Jam } from '../../helpers/jam.ts';
import { smtpClient, startTls } from '../../helpers/smtp.ts';

let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
let alice: AccountRecord;
let bob: AccountRecord;
let jam: Jam;
let accountId: string;

before(async () => {
  env = await testPostern();
  ctx = env.ctx;
  alice = await ctx.accounts.create({ address: 'alice@example.edu', password: 'alice main password', displayName: 'Alice' });
  bob = await ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
  const { password } = await ctx.appPasswords.create(alice.id, 'JMAP 客户端', ['jmap']);
  jam = await jamClient(env.postern.url, 'alice@example.edu', password);
  accountId = await jam.getPrimaryAccount();
});
after(() => env.cleanup());

/** Bob submits a message to Alice over SMTP; resolves with the time the end of DATA went out, and the reply. */
async function smtpFromBob(subject: string): Promise<{ sentAt: number; reply: Promise<string> }> {
  const plain = await smtpClient(env.postern.smtp.ports.submission);
  await plain.command('EHLO client.example.edu');
  const c = await startTls(plain);
  await c.command('EHLO client.example.edu');
  assert.match(await c.command(`AUTH PLAIN ${Buffer.from('\0bob@example.edu\0bob main password').toString('base64')}`), /^235/);
  await c.command('MAIL FROM:<bob@example.edu>');
  await c.command('RCPT TO:<alice@example.edu>');
  assert.match(await c.command('DATA'), /^354/);
  await c.send(`From: bob@example.edu\r\nTo: alice@example.edu\r\nSubject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n你好 Alice, 周五见。\r\n`);
  const sentAt = Date.now();
  await c.send('.\r\n');
  return { sentAt, reply: c.reply().finally(() => c.close()) };
}

async function boxes() {
  const [{ list }] = await jam.api.Mailbox.get({ accountId });
  const byRole = (role: string) => list.find((b: { role: string }) => b.role === role);
  return { list, inbox: byRole('inbox'), drafts: byRole('drafts'), sent: byRole('sent') };
}

test('M5 jmap-jam reads the session, mailboxes and a message delivered over SMTP, notified by EventSource within 1 s', async () => {
  const session = await jam.session;
  assert.equal(accountId, alice.id);
  assert.equal(session.username, 'alice@example.edu');
  for (const c of ['urn:ietf:params:jmap:core', 'urn:ietf:params:jmap:mail', 'urn:ietf:params:jmap:submission']) assert.ok(c in session.capabilities, c);

  const events = await jam.connectEventSource({ types: ['Email', 'Mailbox', 'EmailDelivery'], ping: 0 });
  await new Promise((resolve) => events.addEventListener('open', resolve, { once: true }));
  const notified = new Promise<{ at: number; data: { changed: Record<string, Record<string, string>> } }>((resolve) =>
    events.addEventListener('state', (e) => resolve({ at: Date.now(), data: JSON.parse((e as MessageEvent).data) }), { once: true }),
  );
  const { sentAt, reply } = await smtpFromBob('周五的会议');
  const push = await notified;
  assert.match(await reply, /^250/);
  events.close();
  assert.ok(push.at - sentAt < 1000, `pushed after ${push.at - sentAt} ms`);
  assert.ok(push.data.changed[accountId].EmailDelivery, 'an EmailDelivery state change');

  const { inbox } = await boxes();
  assert.equal(inbox.totalEmails, 1);
  assert.equal(inbox.unreadEmails, 1);
  const [{ emails }] = await jam.requestMany((t: any) => {
    const q = t.Email.query({ accountId, filter: { inMailbox: inbox.id }, sort: [{ property: 'receivedAt', isAscending: false }], collapseThreads: true, limit: 50 });
    return { q, emails: t.Email.get({ accountId, ids: q.$ref('/ids'), properties: ['subject', 'from', 'keywords', 'preview', 'bodyValues', 'textBody'], fetchTextBodyValues: true }) };
  });
  const [email] = emails.list;
  assert.equal(email.subject, '周五的会议');
  assert.deepEqual(email.from, [{ name: null, email: 'bob@example.edu' }]);
  assert.deepEqual(email.keywords, {});
  assert.match(email.preview!, /你好 Alice/);
  assert.match(email.bodyValues![email.textBody![0].partId!].value, /周五见/);
});

test('M5 jmap-jam marks a message read and files it: IMAP flags and mailboxes change with it', async () => {
  const { inbox } = await boxes();
  const [created] = await jam.api.Mailbox.set({ accountId, create: { k1: { name: '项目', parentId: null } } });
  const archive = created.created!.k1.id;
  const [{ ids }] = await jam.api.Email.query({ accountId, filter: { inMailbox: inbox.id } });
  const [set] = await jam.api.Email.set({ accountId, update: { [ids[0]]: { 'keywords/$seen': true, 'keywords/$flagged': true, [`mailboxIds/${inbox.id}`]: null, [`mailboxIds/${archive}`]: true } } });
  assert.deepEqual(Object.keys(set.updated!), [ids[0]]);
  const [{ list }] = await jam.api.Email.get({ accountId, ids, properties: ['keywords', 'mailboxIds'] });
  assert.deepEqual(list[0].keywords, { $seen: true, $flagged: true });
  assert.deepEqual(list[0].mailboxIds, { [archive]: true });
  const [row] = await ctx.mail.messages(archive);
  assert.deepEqual(row.flags.sort(), ['\\Flagged', '\\Seen']);
  assert.equal((await ctx.mail.counts(inbox.id)).messages, 0);
});

test('M5 jmap-jam uploads a message and imports it with keywords', async () => {
  const { inbox } = await boxes();
  const raw = 'From: Carol <carol@example.org>\r\nTo: alice@example.edu\r\nSubject: Imported\r\nMessage-ID: <imp1@example.org>\r\nDate: Mon, 30 Nov 2026 08:00:00 +0000\r\n\r\nAn old message.\r\n';
  const uploaded = await jam.uploadBlob(accountId, new Blob([raw], { type: 'message/rfc822' }));
  assert.equal(uploaded.size, Buffer.byteLength(raw));
  const [imported] = await jam.api.Email.import({ accountId, emails: { i1: { blobId: uploaded.blobId, mailboxIds: { [inbox.id]: true }, keywords: { $seen: true }, receivedAt: '2026-11-30T08:00:00Z' } } });
  const id = imported.created!.i1.id;
  const [{ list }] = await jam.api.Email.get({ accountId, ids: [id], properties: ['subject', 'receivedAt', 'keywords', 'messageId', 'sentAt'] });
  assert.deepEqual(list[0], { id, subject: 'Imported', receivedAt: '2026-11-30T08:00:00Z', keywords: { $seen: true }, messageId: ['imp1@example.org'], sentAt: '2026-11-30T08:00:00Z' });
  const download = await jam.downloadBlob({ accountId, blobId: uploaded.blobId, mimeType: 'message/rfc822', fileName: 'old.eml' });
  assert.equal(await download.text(), raw);
  assert.match(download.headers.get('content-disposition')!, /^attachment; filename="old.eml"/);
});

test('M5 jmap-jam sends a draft with an attachment: Bob receives it, the draft moves to Sent once, $draft is cleared', async () => {
  const { drafts, sent } = await boxes();
  const attachment = await jam.uploadBlob(accountId, new Blob(['季度报告 Q4\n'], { type: 'text/plain' }));
  const [draft] = await jam.api.Email.set({
    accountId,
    create: {
      d1: {
        mailboxIds: { [drafts.id]: true },
        keywords: { $draft: true, $seen: true },
        from: [{ name: 'Alice', email: 'alice@example.edu' }],
        to: [{ name: 'Bob', email: 'bob@example.edu' }],
        subject: '报告',
        textBody: [{ partId: 'b1', type: 'text/plain' }],
        bodyValues: { b1: { value: '附件是报告。' } },
        attachments: [{ blobId: attachment.blobId, type: 'text/plain', name: '报告.txt' }],
      },
    },
  });
  const emailId = draft.created!.d1.id;
  const [{ identities }] = await jam.requestMany((t: any) => ({ identities: t.Identity.get({ accountId }) }));
  const identityId = identities.list[0].id;
  // The implicit Email/set response shares the call id, so the submission is read as the first response.
  const [submitted, meta] = await jam.api.EmailSubmission.set({
    accountId,
    create: { s1: { identityId, emailId } },
    onSuccessUpdateEmail: { '#s1': { [`mailboxIds/${drafts.id}`]: null, [`mailboxIds/${sent.id}`]: true, 'keywords/$draft': null } },
  });
  assert.ok(submitted.created!.s1.id);
  assert.equal(meta.createdIds?.s1, submitted.created!.s1.id);
  const [{ list }] = await jam.api.Email.get({ accountId, ids: [emailId], properties: ['mailboxIds', 'keywords', 'attachments'] });
  assert.deepEqual(list[0].mailboxIds, { [sent.id]: true });
  assert.deepEqual(list[0].keywords, { $seen: true });
  assert.equal(list[0].attachments![0].name, '报告.txt');
  assert.equal((await ctx.mail.counts(sent.id)).messages, 1, 'exactly one copy in Sent');
  assert.equal((await ctx.mail.counts(drafts.id)).messages, 0);
  const bobInbox = await ctx.mail.specialMailbox(bob.id, 'INBOX');
  const [received] = await ctx.mail.messages(bobInbox.id);
  assert.equal(received.subject, '报告');
  assert.ok(received.hasAttachments);
  const bytes = (await ctx.mail.read(received)).toString();
  assert.match(bytes, /^Received: from jmap/);
  assert.doesNotMatch(bytes, /^Bcc:/im);
});
