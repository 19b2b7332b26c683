import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pino from 'pino';
import { SecretBox } from '../../src/core/secretBox.ts';
import { SideEffects } from '../../src/core/sideEffects.ts';
import { sideEffectRepo } from '../../src/store/sideEffectRepo.ts';
import { CodeSender } from '../../src/core/codeSender.ts';
import { PosternError } from '../../src/core/errors.ts';
import { FakeClock } from '../helpers/clock.ts';
import { devOutboxMailOut } from '../../src/providers/mailOut.ts';
import { emulatorSms } from '../../src/providers/sms/emulator.ts';
import type { SmsProvider } from '../../src/core/messagePorts.ts';
import { verificationMessages } from '../../src/mail/templates/verificationMail.ts';
import { smsFailure } from '../../src/providers/sms/failure.ts';
import { devOutboxRepo } from '../../src/store/devOutboxRepo.ts';
import { sendCountRepo } from '../../src/store/sendCountRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';

let n = 0;
const newAccount = () => ({ id: `acct-${++n}-${Math.random().toString(36).slice(2, 8)}`, address: 'test001@example.edu', displayName: 'test001' });
const op = { lang: 'zh-CN' as const, ip: '202.202.1.123', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36' };
const refused = (code: string, params: Record<string, number>) => (err: unknown) => err instanceof PosternError && err.code === code && err.status === 429 && JSON.stringify(err.params) === JSON.stringify(params);

forEachDatabase('code sender', (getStore) => {
  const setup = (sms?: SmsProvider) => {
    // 2026-05-01 23:00 in Shanghai: one hour before the day changes there.
    const clock = new FakeClock(Date.UTC(2026, 4, 1, 15, 0, 0));
    const outbox = devOutboxRepo(getStore().db);
    const logged: [Record<string, unknown>, string][] = [];
    const effects = new SideEffects({ repo: sideEffectRepo(getStore()), clock, log: pino({ level: 'silent' }) });
    const sender = new CodeSender({
      mailOut: devOutboxMailOut(outbox, clock), sms: sms ?? emulatorSms(outbox, clock), effects, box: new SecretBox(randomBytes(32)), counts: sendCountRepo(getStore().db), messages: verificationMessages,
      clock, timeZone: 'Asia/Shanghai', dailyCap: { mail: 3, sms: 2 },
      log: { warn: (detail: object, message: string) => void logged.push([detail as Record<string, unknown>, message]) },
    });
    return { clock, outbox, sender, logged };
  };

  test('B2 the code is mailed as the verification mail, from postmaster@<domain>', async () => {
    const { outbox, sender } = setup();
    await sender.mailCode(newAccount(), 'backup1@example.org', '5WLC', 5, op);
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
    for (let i = 0; i < 3; i++) await sender.mailCode(newAccount(), 'capped@example.org', 'AAAA', 5, op);
    await assert.rejects(sender.mailCode(newAccount(), 'capped@example.org', 'BBBB', 5, op), refused('daily_send_limit', { limit: 3 }));
    await sender.mailCode(newAccount(), 'other@example.org', 'CCCC', 5, op);
    for (let i = 0; i < 2; i++) await sender.textCode('+8613800000002', '111111', 5, op);
    await assert.rejects(sender.textCode('+8613800000002', '222222', 5, op), refused('daily_send_limit', { limit: 2 }));
    assert.equal((await outbox.list({ to: 'capped@example.org' })).length, 3, 'the refused code was not sent');
    clock.advance(60 * 60 * 1000);
    await sender.mailCode(newAccount(), 'capped@example.org', 'DDDD', 5, op);
    const days = await getStore().db.selectFrom('code_send_counts').select('day').distinct().execute();
    assert.deepEqual(days.map((d) => d.day), ['2026-05-02'], 'earlier days are swept');
    await sender.textCode('+8613800000002', '333333', 5, op);
  });

  test('a failed delivery reaches the user as its error and the operator as a log line without the code', async () => {
    const { sender, logged } = setup({ name: 'down', send: async () => { throw smsFailure('aliyun', 'isv.BUSINESS_LIMIT_CONTROL'); } });
    await assert.rejects(sender.textCode('+8613800000005', '654321', 5, op), (err: unknown) => err instanceof PosternError && err.code === 'sms_send_failed');
    assert.deepEqual(logged, [[{ channel: 'sms', to: '+86 138****0005', error: 'sms_send_failed', provider: 'aliyun', reason: 'isv.BUSINESS_LIMIT_CONTROL' }, 'verification code not delivered']]);
    assert.ok(!JSON.stringify(logged).includes('654321'));
  });

  test('concurrent sends are all counted', async () => {
    const { sender } = setup();
    const many = await Promise.allSettled(Array.from({ length: 6 }, () => sender.textCode('+8613800000004', '123456', 5, op)));
    assert.equal(many.filter((r) => r.status === 'fulfilled').length, 2, 'the daily cap of the number');
  });
});
