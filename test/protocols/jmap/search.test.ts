// Full-text search (Email/query text, subject, body, from...) over the word index, and
// SearchSnippet/get (RFC 8621 §5), on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { forEachPostern, jmapHttp, type JmapHttp } from '../../helpers/jmap.ts';

const mail = (from: string, subject: string, body: string) =>
  Buffer.from(`From: ${from}\r\nTo: zoe@example.edu\r\nSubject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(body).toString('base64')}\r\n`);

forEachPostern('JMAP full-text search', (env) => {
  let zoe: AccountRecord;
  let jmap: JmapHttp;
  const ids: Record<string, string> = {};
  const call = async (calls: unknown[]) => (await jmap.call(calls)).body.methodResponses as [string, any, string][];
  const query = async (filter: unknown) => (await call([['Email/query', { accountId: zoe.id, filter, sort: [{ property: 'receivedAt', isAscending: true }] }, 'q']]))[0][1].ids as string[];

  before(async () => {
    const { ctx } = env();
    zoe = await ctx.accounts.create({ address: 'zoe@example.edu', password: 'zoe main password' });
    jmap = jmapHttp(env().postern.url, 'zoe@example.edu', (await ctx.appPasswords.create(zoe.id, 'search', ['jmap'])).password);
    const messages: [string, Buffer][] = [
      ['meeting', mail('张伟 <zhang.wei@example.org>', '周五的项目会议', '各位好，周五下午三点在三楼会议室讨论预算。')],
      ['budget', mail('Joe Bloggs <joe@example.org>', 'Quarterly budget', 'The foo figures for the quarter are attached. Regards, Joe')],
      ['lunch', mail('Ann <ann@example.net>', 'Lunch?', 'Shall we eat at the canteen? 食堂见')],
    ];
    const inbox = await ctx.mail.specialMailbox(zoe.id, 'INBOX');
    for (const [key, raw] of messages) {
      const { uid } = await ctx.mail.append(inbox, raw);
      ids[key] = `M${(await ctx.mail.messages(inbox.id, { uids: [[uid, uid]] }))[0].blobId}`;
    }
  });

  test('M5 Chinese text is found by any word of it, in the subject or the body', async () => {
    assert.deepEqual(await query({ text: '会议' }), [ids.meeting]);
    assert.deepEqual(await query({ text: '预算' }), [ids.meeting]);
    assert.deepEqual(await query({ body: '三楼会议室' }), [ids.meeting]);
    assert.deepEqual(await query({ subject: '项目' }), [ids.meeting]);
    assert.deepEqual(await query({ subject: '预算' }), [], 'the budget is in the body only');
    assert.deepEqual(await query({ text: '食堂' }), [ids.lunch]);
    assert.deepEqual(await query({ text: '会' }), [ids.meeting], 'one character');
  });

  test('M5 words, addresses and names: text, from, body, AND/OR/NOT', async () => {
    assert.deepEqual(await query({ text: 'BUDGET' }), [ids.budget]);
    assert.deepEqual(await query({ text: 'budget quarter' }), [ids.budget], 'every word');
    assert.deepEqual(await query({ text: 'budget canteen' }), [], 'every word, not any');
    assert.deepEqual(await query({ from: 'joe@example.org' }), [ids.budget]);
    assert.deepEqual(await query({ from: 'example.org' }), [ids.meeting, ids.budget]);
    assert.deepEqual(await query({ from: '张伟' }), [ids.meeting]);
    assert.deepEqual(await query({ body: 'joe' }), [ids.budget], 'signed in the body');
    assert.deepEqual(await query({ to: 'zoe' }), [ids.meeting, ids.budget, ids.lunch]);
    assert.deepEqual(await query({ operator: 'OR', conditions: [{ text: 'canteen' }, { text: '预算' }] }), [ids.meeting, ids.lunch]);
    assert.deepEqual(await query({ operator: 'NOT', conditions: [{ text: 'canteen' }] }), [ids.meeting, ids.budget]);
    assert.deepEqual(await query({ text: '...' }), [], 'no words, no match');
  });

  test('M5 a draft is found by its Bcc recipient (bcc filter), not by to', async () => {
    const [[, boxes]] = await call([['Mailbox/get', { accountId: zoe.id }, 'm']]);
    const drafts = boxes.list.find((b: any) => b.role === 'drafts').id;
    const [[, made]] = await call([['Email/set', { accountId: zoe.id, create: { d: { mailboxIds: { [drafts]: true }, from: [{ email: 'zoe@example.edu' }], to: [{ email: 'ann@example.net' }], bcc: [{ name: '王芳', email: 'wang.fang@example.org' }], subject: 'draft', textBody: [{ partId: 'b', type: 'text/plain' }], bodyValues: { b: { value: 'x' } } } } }, 'e']]);
    const draft = made.created.d.id;
    assert.deepEqual(await query({ bcc: 'wang.fang@example.org' }), [draft]);
    assert.deepEqual(await query({ bcc: '王芳' }), [draft]);
    assert.deepEqual(await query({ to: 'wang.fang@example.org' }), []);
    await call([['Email/set', { accountId: zoe.id, destroy: [draft] }, 'x']]);
  });

  test('M5 RFC 8621 §5.1: Email/query then SearchSnippet/get by back-reference marks the matches', async () => {
    const r = await call([
      ['Email/query', { accountId: zoe.id, filter: { text: 'foo' }, sort: [{ property: 'receivedAt', isAscending: false }], limit: 10 }, 'a'],
      ['SearchSnippet/get', { accountId: zoe.id, filter: { text: 'foo' }, '#emailIds': { resultOf: 'a', name: 'Email/query', path: '/ids' } }, 'b'],
    ]);
    assert.equal(r[1][0], 'SearchSnippet/get');
    assert.deepEqual(r[1][1], { accountId: zoe.id, list: [{ emailId: ids.budget, subject: null, preview: 'The <mark>foo</mark> figures for the quarter are attached. Regards, Joe' }], notFound: [] });
  });

  test('M5 SearchSnippet/get: Chinese matches marked in subject and preview; unknown ids in notFound', async () => {
    const [[name, result]] = await call([['SearchSnippet/get', { accountId: zoe.id, filter: { text: '会议' }, emailIds: [ids.meeting, ids.lunch, 'Mnope'] }, 's']]);
    assert.equal(name, 'SearchSnippet/get');
    assert.deepEqual(result.list, [
      { emailId: ids.meeting, subject: '周五的项目<mark>会议</mark>', preview: '各位好，周五下午三点在三楼<mark>会议</mark>室讨论预算。' },
      { emailId: ids.lunch, subject: null, preview: null },
    ]);
    assert.deepEqual(result.notFound, ['Mnope']);
    const [[, bad]] = await call([['SearchSnippet/get', { accountId: zoe.id, filter: { operator: 'XOR', conditions: [] }, emailIds: [] }, 'x']]);
    assert.equal(bad.type, 'unsupportedFilter');
  });

  test('M5 a destroyed Email leaves the index; an Email copied to another mailbox is found once', async () => {
    const [[, created]] = await call([['Mailbox/set', { accountId: zoe.id, create: { box: { name: 'Projects' } } }, 'm']]);
    const box = created.created.box.id;
    await call([['Email/set', { accountId: zoe.id, update: { [ids.lunch]: { [`mailboxIds/${box}`]: true } } }, 'u']]);
    assert.deepEqual(await query({ text: '食堂' }), [ids.lunch]);
    await call([['Email/set', { accountId: zoe.id, destroy: [ids.lunch] }, 'd']]);
    assert.deepEqual(await query({ text: '食堂' }), []);
    const rows = await env().ctx.store.db.selectFrom('search_tokens').select('token').where('blob_id', '=', ids.lunch.slice(1)).execute();
    assert.deepEqual(rows, []);
  });
});
