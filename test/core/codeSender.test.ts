import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeSender } from '../../src/core/codeSender.ts';
import { PosternError } from '../../src/core/errors.ts';
import { FakeClock } from '../../src/core/ports.ts';
import { devOutboxMailOut } from '../../src/providers/mailOut.ts';
import { emulatorSms } from '../../src/providers/sms/emulator.ts';
import { devOutboxRepo } from '../../src/store/devOutboxRepo.ts';
import { sendCountRepo } from '../../src/store/sendCountRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';

const account = { address: 'test001@example.edu', displayName: 'test001' };
const op = { lang: 'zh-CN' as const, ip: '202.202.1.123', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36' };
const limited = (limit: number) => (err: unknown) => err instanceof PosternError && err.code === 'daily_send_limit' && err.status === 429 && err.params.limit === limit;

forEachDatabase('code sender', (getStore) => {
  const setup = () => {
    // 2026-05-01 23:00 in Shanghai: one hour before the day changes there.
    const clock = new FakeClock(Date.UTC(2026, 4, 1, 15, 0, 0));
    const outbox = devOutboxRepo(getStore().db);
    const sender = new CodeSender({
      mailOut: devOutboxMailOut(outbox, clock), sms: emulatorSms(outbox, clock), counts: sendCountRepo(getStore().db),
      clock, timeZone: 'Asia/Shanghai', dailyCap: { mail: 3, sms: 2 },
    });
    return { clock, outbox, sender };
  };

  test('B2 the code is mailed as the verification mail, from postmaster@<domain>', async () => {
    const { outbox, sender } = setup();
    await sender.mailCode(account, 'backup1@example.org', '5WLC', 5, op);
    const [mail] = await outbox.list({ to: 'backup1@example.org' });
    assert.equal(mail.from, 'postmaster@example.edu');
    assert.equal(mail.subject, '【验证码】用于邮件系统的二次验证');
    assert.ok(mail.text.includes('日期: 2026-05-01 23:00:00\n操作系统: Windows 10\n客户端: Chrome 141\n大致地点: 重庆市 (IP: 202.xxx.x.xxx)'));
  });

  test('B4 the SMS carries code, validity and warning', async () => {
    const { outbox, sender } = setup();
    await sender.textCode('+8613800000001', '123456', 5, { lang: 'en' });
    const [sms] = await outbox.list({ to: '+8613800000001' });
    assert.equal(sms.text, 'Your mail system verification code is 123456. It is valid for 5 minutes. Never give the code to anyone.');
  });

  test('each destination has a daily cap; the next day (in the configured time zone) it starts again', async () => {
    const { clock, outbox, sender } = setup();
    for (let i = 0; i < 3; i++) await sender.mailCode(account, 'capped@example.org', 'AAAA', 5, op);
    await assert.rejects(sender.mailCode(account, 'capped@example.org', 'BBBB', 5, op), limited(3));
    await sender.mailCode(account, 'other@example.org', 'CCCC', 5, op);
    for (let i = 0; i < 2; i++) await sender.textCode('+8613800000002', '111111', 5, op);
    await assert.rejects(sender.textCode('+8613800000002', '222222', 5, op), limited(2));
    assert.equal((await outbox.list({ to: 'capped@example.org' })).length, 3, 'the refused code was not sent');
    clock.advance(60 * 60 * 1000);
    await sender.mailCode(account, 'capped@example.org', 'DDDD', 5, op);
    await sender.textCode('+8613800000002', '333333', 5, op);
  });

  test('concurrent sends are all counted', async () => {
    const { sender } = setup();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => sender.textCode('+8613800000003', '123456', 5, op)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
  });
});
