import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { testPostern } from '../../helpers/context.ts';
import { jamClient, type Jam } from '../../helpers/jam.ts';

let env: Awaited<ReturnType<typeof testPostern>>;
let president: AccountRecord;
let jam: Jam;
let accountId: string;

before(async () => {
  env = await testPostern();
  const alice = await env.ctx.accounts.create({ address: 'alice@example.edu', password: 'alice main password' });
  president = await env.ctx.accounts.create({ address: 'president@example.edu', password: 'president main password' });
  jam = await jamClient(env.postern.url, 'alice@example.edu', (await env.ctx.appPasswords.create(alice.id, 'webmail', ['jmap'])).password);
  accountId = await jam.getPrimaryAccount();
});
after(() => env.cleanup());

test('M6 JMAP (the webmail\'s API): a draft "From: president@…" by another account is refused with forbiddenFrom and goes nowhere', async () => {
  const [{ list }] = await jam.api.Mailbox.get({ accountId });
  const drafts = list.find((b: { role: string }) => b.role === 'drafts');
  const [draft] = await jam.api.Email.set({
    accountId,
    create: { d1: { mailboxIds: { [drafts.id]: true }, from: [{ name: '校长', email: 'president@example.edu' }], to: [{ email: 'president@example.edu' }], subject: '请回复验证码', textBody: [{ partId: 'b1', type: 'text/plain' }], bodyValues: { b1: { value: 'x' } } } },
  });
  const [{ identities }] = await jam.requestMany((t: any) => ({ identities: t.Identity.get({ accountId }) }));
  const [submitted] = await jam.api.EmailSubmission.set({ accountId, create: { s1: { identityId: identities.list[0].id, emailId: draft.created!.d1.id } } });
  assert.equal(submitted.notCreated?.s1.type, 'forbiddenFrom');
  assert.equal((await env.ctx.mail.messages((await env.ctx.mail.specialMailbox(president.id, 'INBOX')).id)).length, 0);
});
