import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/config.ts';
import { FakeClock } from '../../helpers/clock.ts';
import { createSmsProvider } from '../../../src/providers/sms/index.ts';
import type { DevOutbox } from '../../../src/core/messagePorts.ts';
import { fakeProviders } from '../../helpers/fakeHttp.ts';

const memoryOutbox = (): DevOutbox & { entries: Parameters<DevOutbox['add']>[0][] } => {
  const entries: Parameters<DevOutbox['add']>[0][] = [];
  return {
    entries,
    async add(entry, now) { entries.push(entry); return { ...entry, id: String(entries.length), createdAt: now }; },
    async list() { return []; },
    async get() { return undefined; },
    async clear() { return 0; },
  };
};

test('B4 the emulator puts the text into the dev outbox', async () => {
  const outbox = memoryOutbox();
  const sms = createSmsProvider({ smsProvider: 'emulator', raw: {} }, outbox, new FakeClock());
  await sms.send('+8613812345678', '您的邮件系统验证码为 123456', { code: '123456' });
  assert.deepEqual(outbox.entries, [{ channel: 'sms', to: '+8613812345678', from: null, subject: null, text: '您的邮件系统验证码为 123456', html: null }]);
});

test('a real provider without its settings is a ConfigError naming the missing variable', () => {
  assert.throws(() => createSmsProvider({ smsProvider: 'aliyun', raw: {} }, memoryOutbox(), new FakeClock()), (err: unknown) => err instanceof ConfigError && /^POSTERN_ALIYUN_SMS_ACCESS_KEY_ID: required/.test(err.message));
  assert.throws(() => createSmsProvider({ smsProvider: 'tencent', raw: {} }, memoryOutbox(), new FakeClock()), /POSTERN_TENCENT_SMS_SECRET_ID: required/);
  assert.throws(() => createSmsProvider({ smsProvider: 'twilio', raw: {} }, memoryOutbox(), new FakeClock()), /POSTERN_TWILIO_ACCOUNT_SID: required/);
  const raw = { POSTERN_TWILIO_ACCOUNT_SID: 'AC1', POSTERN_TWILIO_AUTH_TOKEN: 't', POSTERN_TWILIO_FROM: '+15005550006' };
  assert.throws(() => createSmsProvider({ smsProvider: 'twilio', raw: { ...raw, POSTERN_TWILIO_ENDPOINT: 'ftp://x' } }, memoryOutbox(), new FakeClock()), /POSTERN_TWILIO_ENDPOINT=.*must be an http\(s\) URL/);
  assert.throws(() => createSmsProvider({ smsProvider: 'twilio', raw: { ...raw, POSTERN_SMS_TIMEOUT_MS: '-1' } }, memoryOutbox(), new FakeClock()), /POSTERN_SMS_TIMEOUT_MS/);
});

const server = fakeProviders();

test('settings reach the adapter: endpoint, credentials, sender', async () => {
  const fake = await server(() => ({ status: 201, json: { status: 'queued' } }));
  const raw = { POSTERN_TWILIO_ACCOUNT_SID: 'AC1', POSTERN_TWILIO_AUTH_TOKEN: 'tok', POSTERN_TWILIO_FROM: '+15005550006', POSTERN_TWILIO_ENDPOINT: `${fake.url}/` };
  await createSmsProvider({ smsProvider: 'twilio', raw }, memoryOutbox(), new FakeClock()).send('+8613812345678', 'hi', { code: '1' });
  assert.equal(fake.requests[0].path, '/2010-04-01/Accounts/AC1/Messages.json');
  assert.equal(fake.requests[0].headers.authorization, `Basic ${Buffer.from('AC1:tok').toString('base64')}`);
});
