// RFC 8621 §6 Identity/get|changes|set: one identity per own address (SPEC M6), editable, more
// identities for own addresses only.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { forEachPostern, jmapHttp, type JmapHttp } from '../../helpers/jmap.ts';

forEachPostern('JMAP Identity', (env) => {
  let zoe: AccountRecord;
  let jmap: JmapHttp;
  const call = async (calls: unknown[]) => (await jmap.call(calls)).body.methodResponses as [string, any, string][];

  before(async () => {
    const { ctx } = env();
    zoe = await ctx.accounts.create({ address: 'zoe@example.edu', password: 'zoe main password', displayName: '赵六' });
    await ctx.accounts.create({ address: 'president@example.edu', password: 'president main password' });
    jmap = jmapHttp(env().postern.url, 'zoe@example.edu', (await ctx.appPasswords.create(zoe.id, 'identities', ['jmap'])).password);
  });

  test('M6 Identity/get lists the account\'s own address, named as the account, not deletable', async () => {
    const [[name, r]] = await call([['Identity/get', { accountId: zoe.id, ids: null }, '0']]);
    assert.equal(name, 'Identity/get');
    assert.equal(r.list.length, 1);
    assert.deepEqual({ ...r.list[0], id: undefined }, { id: undefined, name: '赵六', email: 'zoe@example.edu', replyTo: null, bcc: null, textSignature: '', htmlSignature: '', mayDelete: false });
    assert.deepEqual(r.notFound, []);
    assert.equal(typeof r.state, 'string');
  });

  test('M6 RFC 8621 §6.3: Identity/set creates an identity for an own address; another account\'s address is forbiddenFrom', async () => {
    const [[, before]] = await call([['Identity/get', { accountId: zoe.id }, '0']]);
    const r = await call([
      ['Identity/set', { accountId: zoe.id, create: { k1: { name: 'Zoe (work)', email: 'zoe@example.edu', textSignature: '-- \nZoe', replyTo: [{ name: null, email: 'zoe@example.edu' }] }, k2: { name: '校长', email: 'president@example.edu' } } }, '1'],
      ['Identity/get', { accountId: zoe.id, ids: ['#k1'] }, '2'],
      ['Identity/changes', { accountId: zoe.id, sinceState: before.state }, '3'],
    ]);
    const set = r[0][1];
    assert.deepEqual(Object.keys(set.created), ['k1']);
    assert.equal(set.created.k1.mayDelete, true);
    assert.equal(set.created.k1.bcc, null, 'defaulted properties are returned');
    assert.equal(set.created.k1.name, undefined, 'given ones are not');
    assert.equal(set.notCreated.k2.type, 'forbiddenFrom');
    assert.notEqual(set.newState, set.oldState);
    assert.equal(r[1][1].list[0].textSignature, '-- \nZoe');
    assert.deepEqual(r[2][1].created, [set.created.k1.id]);
  });

  test('M6 Identity/set updates names and signatures; email is immutable, the own address\'s identity cannot be destroyed, an added one can', async () => {
    const [[, all]] = await call([['Identity/get', { accountId: zoe.id }, '0']]);
    const main = all.list.find((i: any) => !i.mayDelete);
    const extra = all.list.find((i: any) => i.mayDelete);
    const [[, set]] = await call([['Identity/set', { accountId: zoe.id, update: { [main.id]: { name: 'Zoe Zhao', htmlSignature: '<p>Zoe</p>' }, [extra.id]: { email: 'president@example.edu' } }, destroy: [main.id, extra.id, 'Inope'] }, '1']]);
    assert.deepEqual(set.updated, { [main.id]: null });
    assert.equal(set.notUpdated[extra.id].type, 'invalidProperties');
    assert.deepEqual(set.destroyed, [extra.id]);
    assert.equal(set.notDestroyed[main.id].type, 'forbidden');
    assert.equal(set.notDestroyed.Inope.type, 'notFound');
    const [[, after]] = await call([['Identity/get', { accountId: zoe.id }, '2']]);
    assert.deepEqual(after.list.map((i: any) => [i.id, i.name, i.htmlSignature]), [[main.id, 'Zoe Zhao', '<p>Zoe</p>']]);
  });

  test('M6 EmailSubmission with an added identity sends as its address', async () => {
    const [[, made]] = await call([['Identity/set', { accountId: zoe.id, create: { w: { name: 'Zoe at work', email: 'zoe@example.edu' } } }, '1']]);
    const [[, boxes]] = await call([['Mailbox/get', { accountId: zoe.id }, 'm']]);
    const drafts = boxes.list.find((b: any) => b.role === 'drafts').id;
    const r = await call([
      ['Email/set', { accountId: zoe.id, create: { d: { mailboxIds: { [drafts]: true }, from: [{ name: 'Zoe at work', email: 'zoe@example.edu' }], to: [{ email: 'president@example.edu' }], subject: 'hello', textBody: [{ partId: 'b', type: 'text/plain' }], bodyValues: { b: { value: 'hi' } } } } }, 'e'],
      ['EmailSubmission/set', { accountId: zoe.id, create: { s: { identityId: made.created.w.id, emailId: '#d' } } }, 's'],
    ]);
    assert.ok(r[1][1].created.s, JSON.stringify(r[1][1]));
  });
});
