import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { simpleParser } from 'mailparser';
import type { Context } from '../../src/context.ts';
import { FakeClock } from '../helpers/clock.ts';
import { testContext } from '../helpers/context.ts';

const day = 86_400_000;
const clock = new FakeClock(Date.UTC(2026, 11, 1, 8));
const operator = { ip: '203.0.113.5', userAgent: null, operator: 'admin@example.edu' };
let ctx: Context;
let cleanup: () => Promise<void>;

before(async () => {
  ({ ctx, cleanup } = await testContext({ clock }));
});
after(() => cleanup());

async function inboxSubjects(address: string): Promise<string[]> {
  await ctx.notices.settled();
  const account = await ctx.accounts.get(address);
  const messages = await ctx.mail.messages((await ctx.mail.specialMailbox(account.id, 'INBOX')).id);
  return Promise.all(messages.map(async (m) => (await simpleParser(await ctx.mail.read(m))).subject ?? ''));
}

test('X5 reminder notices go out 7 days and 1 day before the grace ends, once each, not to exempt accounts', async () => {
  await ctx.accounts.create({ address: 'old@example.edu', password: 'old main password 1' });
  await ctx.accounts.create({ address: 'exempt@example.edu', password: 'exempt main password 1' });
  await ctx.admin.exempt(await ctx.accounts.get('exempt@example.edu'), 'shared lab mailbox', operator);
  await ctx.admin.setPolicy('example.edu', { twoFactor: 'required', graceDays: 14 }, operator);

  assert.equal(await ctx.admin.sendReminders(), 0, '14 days left: nothing yet');
  clock.advance(7 * day);
  assert.equal(await ctx.admin.sendReminders(), 1);
  assert.equal(await ctx.admin.sendReminders(), 0, 'once');
  clock.advance(6 * day);
  assert.equal(await ctx.admin.sendReminders(), 1);
  clock.advance(2 * day);
  assert.equal(await ctx.admin.sendReminders(), 0, 'past the grace');
  const reminders = (await inboxSubjects('old@example.edu')).filter((s) => s.includes('请尽快开启二次验证'));
  assert.equal(reminders.length, 2);
  assert.deepEqual((await inboxSubjects('exempt@example.edu')).filter((s) => s.includes('二次验证')), []);
  const events = (await ctx.audit.list((await ctx.accounts.get('old@example.edu')).id, 10)).filter((e) => e.type === 'two_factor_reminder');
  assert.deepEqual(events.map((e) => e.detail.days), [1, 7]);
});

test('X12 an administrator\'s change of an account mails its owner, naming the administrator', async () => {
  const account = await ctx.accounts.get('old@example.edu');
  await ctx.admin.setQuota(account, 4096 * 1024 * 1024, operator);
  await ctx.notices.settled();
  const messages = await ctx.mail.messages((await ctx.mail.specialMailbox(account.id, 'INBOX')).id);
  const notice = await simpleParser(await ctx.mail.read(messages.at(-1)!));
  assert.equal(notice.subject, '【安全提醒】管理员修改了您的邮箱设置');
  assert.match(notice.text ?? '', /管理员 admin@example\.edu 刚刚对您的邮箱 o\*+@example\.edu 进行了操作：管理员修改了邮箱容量。/);
});
