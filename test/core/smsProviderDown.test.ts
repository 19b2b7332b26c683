import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../src/context.ts';
import { PosternError } from '../../src/core/errors.ts';
import { FakeClock } from '../helpers/clock.ts';
import { testContext } from '../helpers/context.ts';
import { fakeProviders } from '../helpers/fakeHttp.ts';

const request = { ip: '202.202.1.123', userAgent: null };
const clock = new FakeClock(Date.UTC(2026, 4, 1, 2, 0, 0));
const server = fakeProviders();
let providerUp = true;
let fake: Awaited<ReturnType<typeof server>>;
let ctx: Context;
let cleanup: () => Promise<void>;
before(async () => {
  fake = await server(() => (providerUp ? { status: 201, json: { sid: 'SM1', status: 'queued' } } : { status: 503, json: { code: 20500, message: 'Service unavailable' } }));
  ({ ctx, cleanup } = await testContext({ clock }, {
    POSTERN_SMS_PROVIDER: 'twilio', POSTERN_TWILIO_ACCOUNT_SID: 'AC1', POSTERN_TWILIO_AUTH_TOKEN: 'token', POSTERN_TWILIO_FROM: '+15005550006', POSTERN_TWILIO_ENDPOINT: fake.url,
  }));
});
after(() => cleanup());

const lastCode = () => /\b(\d{6})\b/.exec(new URLSearchParams(fake.requests.at(-1)!.body).get('Body')!)![1];

test('C5 C8 with the SMS provider down the user is told so, and may ask again at once when it is back', async () => {
  const account = await ctx.accounts.create({ address: 'sms-user@example.edu', password: 'a long test passphrase' });
  const bind = await ctx.twoFactor.beginBind(account, 'sms', { phone: '13800138000' }, request, 'en');
  await ctx.twoFactor.check(account, await ctx.twoFactor.verifications.get(account.id, bind.verificationId), bind.factorId, lastCode(), request, 'en');
  clock.advance(61_000);

  const v = await ctx.login.pending((await ctx.login.beginSecondFactor(account)).token);
  providerUp = false;
  await assert.rejects(ctx.twoFactor.start(account, v, bind.factorId, request, 'en'), (err: unknown) => {
    assert.ok(err instanceof PosternError);
    assert.deepEqual([err.code, err.status, err.params], ['sms_send_failed', 502, { provider: 'twilio', reason: '20500' }]);
    return true;
  });
  providerUp = true;
  await ctx.twoFactor.start(account, v, bind.factorId, request, 'en');
  assert.match(new URLSearchParams(fake.requests.at(-1)!.body).get('Body')!, /^Your mail system verification code is \d{6}\./);
  assert.equal((await ctx.twoFactor.check(account, v, bind.factorId, lastCode(), request, 'en')).status, 'verified');
});
