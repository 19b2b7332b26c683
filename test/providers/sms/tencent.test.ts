import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { tencentSms, type TencentSmsOptions } from '../../../src/providers/sms/tencent.ts';
import { fakeProviders, smsFailed, type RecordedRequest } from '../../helpers/fakeHttp.ts';

const secretKey = 'tencent-secret-DO-NOT-LEAK';
const now = new Date('2026-03-01T23:59:30Z');

// Written from the API 3.0 "Signature v3" document: canonical request from the headers the client
// says it signed, credential scope date/service/tc3_request, key chain TC3+key → date → service → tc3_request.
function verifyTencent(req: RecordedRequest): string[] {
  const problems: string[] = [];
  const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization));
  if (!match) return ['authorization format'];
  const [, secretId, date, service, signedHeaders, signature] = match;
  const timestamp = String(req.headers['x-tc-timestamp']);
  if (secretId !== 'AKID-test') problems.push('SecretId');
  if (service !== 'sms') problems.push('service');
  if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== date) problems.push('scope date');
  const names = signedHeaders.split(';');
  if (!names.includes('content-type') || !names.includes('host')) problems.push('content-type and host must be signed');
  const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n]).trim().toLowerCase()}\n`).join('');
  const payloadHash = createHash('sha256').update(req.body).digest('hex');
  const canonicalRequest = `${req.method}\n${req.path.split('?')[0]}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const kDate = createHmac('sha256', `TC3${secretKey}`).update(date).digest();
  const kService = createHmac('sha256', kDate).update(service).digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  if (createHmac('sha256', kSigning).update(stringToSign).digest('hex') !== signature) problems.push('signature');
  const want = { 'x-tc-action': 'SendSms', 'x-tc-version': '2021-01-11', 'x-tc-region': 'ap-guangzhou', 'content-type': 'application/json; charset=utf-8' };
  for (const [k, v] of Object.entries(want)) if (req.headers[k] !== v) problems.push(k);
  return problems;
}

const options = (endpoint: string, extra: Partial<TencentSmsOptions> = {}): TencentSmsOptions => ({
  secretId: 'AKID-test', secretKey, sdkAppId: '1400000000', signName: '邮件系统', templateId: '449739',
  region: 'ap-guangzhou', endpoint, timeoutMs: 2000, now: () => now, ...extra,
});

const server = fakeProviders();
const failsWith = (reason: string) => smsFailed('tencent', reason, secretKey);
const ok = { status: 200, json: { Response: { SendStatusSet: [{ Code: 'Ok', Message: 'send success', PhoneNumber: '+8613812345678' }], RequestId: 'r' } } };
const signatureFailure = { status: 200, json: { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'The provided credentials could not be validated.' }, RequestId: 'r' } } };

test('B4 Tencent SendSms request carries a valid TC3-HMAC-SHA256 Authorization and the code', async () => {
  const fake = await server((req) => (verifyTencent(req).length ? signatureFailure : ok));
  await tencentSms(options(fake.url)).send('+8613812345678', 'ignored: the template holds the text', { code: '123456' });
  assert.equal(fake.requests.length, 1);
  assert.deepEqual(verifyTencent(fake.requests[0]), []);
  assert.equal(fake.requests[0].headers['x-tc-timestamp'], String(now.getTime() / 1000));
  assert.deepEqual(JSON.parse(fake.requests[0].body), {
    PhoneNumberSet: ['+8613812345678'], SmsSdkAppId: '1400000000', SignName: '邮件系统', TemplateId: '449739', TemplateParamSet: ['123456'],
  });
  assert.ok(!JSON.stringify(fake.requests[0]).includes(secretKey));
});

test('Tencent: a wrong key fails the server check and is reported by its error code', async () => {
  const fake = await server((req) => (verifyTencent(req).length ? signatureFailure : ok));
  await assert.rejects(tencentSms(options(fake.url, { secretKey: 'wrong' })).send('+8613812345678', 't', { code: '1' }), smsFailed('tencent', 'AuthFailure.SignatureFailure', 'wrong'));
});

test('Tencent: a per-number failure in SendStatusSet is a failure', async () => {
  const fake = await server(() => ({ status: 200, json: { Response: { SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'daily limit' }], RequestId: 'r' } } }));
  await assert.rejects(tencentSms(options(fake.url)).send('+8613812345678', 't', { code: '1' }), failsWith('LimitExceeded.PhoneNumberDailyLimit'));
});

test('Tencent: HTTP 4xx and 5xx become sms_send_failed without the secret', async () => {
  const notFound = await server(() => ({ status: 404, json: { message: 'no route' } }));
  await assert.rejects(tencentSms(options(notFound.url)).send('+8613812345678', 't', { code: '1' }), failsWith('http_404'));
  const broken = await server(() => ({ status: 502, json: { Response: { Error: { Code: 'InternalError', Message: secretKey } } } }));
  await assert.rejects(tencentSms(options(broken.url)).send('+8613812345678', 't', { code: '1' }), failsWith('InternalError'));
});

test('Tencent: a provider that never answers times out', async () => {
  const silent = await server(() => 'hang');
  await assert.rejects(tencentSms(options(silent.url, { timeoutMs: 150 })).send('+8613812345678', 't', { code: '1' }), failsWith('timeout'));
});
