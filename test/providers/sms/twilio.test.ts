import assert from 'node:assert/strict';
import { test } from 'node:test';
import { twilioSms, type TwilioSmsOptions } from '../../../src/providers/sms/twilio.ts';
import { fakeProviders, smsFailed, type RecordedRequest } from '../../helpers/fakeHttp.ts';

const authToken = 'twilio-token-DO-NOT-LEAK';
const sid = 'AC0123456789abcdef0123456789abcdef';

// From the Messages API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP basic auth
// (Account SID : Auth Token), form-encoded To / From (or MessagingServiceSid) / Body.
function verifyTwilio(req: RecordedRequest): string[] {
  const problems: string[] = [];
  if (req.method !== 'POST' || req.path !== `/2010-04-01/Accounts/${sid}/Messages.json`) problems.push('method or path');
  const [scheme, credentials] = String(req.headers.authorization).split(' ');
  if (scheme !== 'Basic' || Buffer.from(credentials ?? '', 'base64').toString('utf8') !== `${sid}:${authToken}`) problems.push('basic auth');
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') problems.push('content-type');
  return problems;
}

const options = (endpoint: string, extra: Partial<TwilioSmsOptions> = {}): TwilioSmsOptions => ({
  accountSid: sid, authToken, from: '+15005550006', endpoint, timeoutMs: 2000, ...extra,
});
const server = fakeProviders();
const failsWith = (reason: string) => smsFailed('twilio', reason, authToken);
const unauthorized = { status: 401, json: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };

test('B4 Twilio message is created with basic auth and the full text', async () => {
  const fake = await server((req) => (verifyTwilio(req).length ? unauthorized : { status: 201, json: { sid: 'SM1', status: 'queued' } }));
  const text = '您的邮件系统验证码为 123456，5 分钟内有效。请勿向任何人提供验证码。';
  await twilioSms(options(fake.url)).send('+8613812345678', text, { code: '123456' });
  const form = new URLSearchParams(fake.requests[0].body);
  assert.deepEqual(Object.fromEntries(form), { To: '+8613812345678', Body: text, From: '+15005550006' });
  await twilioSms(options(fake.url, { from: 'MG0123' })).send('+14155550100', 'hi', { code: '1' });
  assert.equal(new URLSearchParams(fake.requests[1].body).get('MessagingServiceSid'), 'MG0123');
});

test('Twilio: a wrong token gets 401 and is reported by its error code', async () => {
  const fake = await server((req) => (verifyTwilio(req).length ? unauthorized : { status: 201, json: { status: 'queued' } }));
  await assert.rejects(twilioSms(options(fake.url, { authToken: 'wrong' })).send('+8613812345678', 't', { code: '1' }), smsFailed('twilio', '20003', 'wrong'));
});

test('Twilio: HTTP 4xx and 5xx become sms_send_failed without the token', async () => {
  const invalid = await server(() => ({ status: 400, json: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } }));
  await assert.rejects(twilioSms(options(invalid.url)).send('+8613812345678', 't', { code: '1' }), failsWith('21211'));
  const broken = await server(() => ({ status: 500, json: null }));
  await assert.rejects(twilioSms(options(broken.url)).send('+8613812345678', 't', { code: '1' }), failsWith('http_500'));
});

test('Twilio: a provider that never answers times out', async () => {
  const silent = await server(() => 'hang');
  await assert.rejects(twilioSms(options(silent.url, { timeoutMs: 150 })).send('+8613812345678', 't', { code: '1' }), failsWith('timeout'));
});
