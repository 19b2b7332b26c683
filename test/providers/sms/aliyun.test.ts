import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { PosternError } from '../../../src/core/errors.ts';
import { aliyunSms, type AliyunSmsOptions } from '../../../src/providers/sms/aliyun.ts';
import { fakeProviders, smsFailed, type RecordedRequest } from '../../helpers/fakeHttp.ts';

const secret = 'aliyun-secret-DO-NOT-LEAK';

// Written from the RPC signature document, not from the adapter: UTF-8 bytes, only A-Z a-z 0-9 - _ . ~
// stay, everything else is %XY with upper-case hex (so a space is %20, `*` is %2A, `~` stays).
function rfc3986(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function verifyAliyun(req: RecordedRequest): string[] {
  const problems: string[] = [];
  const params = new URLSearchParams(req.body);
  const given = params.get('Signature') ?? '';
  params.delete('Signature');
  const canonical = [...params.keys()].sort().map((k) => `${rfc3986(k)}=${rfc3986(params.get(k) ?? '')}`).join('&');
  const stringToSign = `${req.method}&${rfc3986('/')}&${rfc3986(canonical)}`;
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  if (given !== expected) problems.push('signature');
  const want = { Action: 'SendSms', Version: '2017-05-25', Format: 'JSON', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', AccessKeyId: 'LTAI-test', RegionId: 'cn-hangzhou' };
  for (const [k, v] of Object.entries(want)) if (params.get(k) !== v) problems.push(k);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.get('Timestamp') ?? '')) problems.push('Timestamp');
  if (!params.get('SignatureNonce')) problems.push('SignatureNonce');
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') problems.push('content-type');
  return problems;
}

const options = (endpoint: string, extra: Partial<AliyunSmsOptions> = {}): AliyunSmsOptions => ({
  accessKeyId: 'LTAI-test', accessKeySecret: secret, signName: '邮件系统 (测试)*~', templateCode: 'SMS_123456',
  regionId: 'cn-hangzhou', endpoint, timeoutMs: 2000, ...extra,
});

const server = fakeProviders();
const failsWith = (reason: string) => smsFailed('aliyun', reason, secret);

test('B4 Aliyun SendSms request is signed per the RPC signature document and carries the code', async () => {
  const fake = await server((req) => {
    const problems = verifyAliyun(req);
    return problems.length ? { status: 400, json: { Code: 'SignatureDoesNotMatch', Message: problems.join(',') } } : { status: 200, json: { Code: 'OK', Message: 'OK', BizId: '1', RequestId: 'r' } };
  });
  const sms = aliyunSms(options(fake.url));
  await sms.send('+8613812345678', 'ignored: the template holds the text', { code: '123456' });
  await sms.send('+85291234567', 'x', { code: '654321' });
  assert.equal(fake.requests.length, 2);
  const [first, second] = fake.requests.map((r) => new URLSearchParams(r.body));
  assert.equal(first.get('PhoneNumbers'), '13812345678');
  assert.equal(second.get('PhoneNumbers'), '85291234567');
  assert.deepEqual(JSON.parse(first.get('TemplateParam') ?? ''), { code: '123456' });
  assert.equal(first.get('SignName'), '邮件系统 (测试)*~');
  assert.equal(first.get('TemplateCode'), 'SMS_123456');
  assert.notEqual(first.get('SignatureNonce'), second.get('SignatureNonce'));
  assert.ok(!fake.requests[0].body.includes(secret));
});

test('Aliyun: a wrong secret is refused by the verifying server and reported as its error code', async () => {
  const fake = await server((req) => (verifyAliyun(req).length ? { status: 400, json: { Code: 'SignatureDoesNotMatch', Message: `server string to sign is: ${req.body}` } } : { status: 200, json: { Code: 'OK' } }));
  await assert.rejects(aliyunSms(options(fake.url, { accessKeySecret: 'wrong' })).send('+8613812345678', 't', { code: '1' }), (err: unknown) => {
    assert.ok(err instanceof PosternError);
    assert.deepEqual(err.params, { provider: 'aliyun', reason: 'SignatureDoesNotMatch' });
    return true;
  });
});

test('Aliyun: a business error inside HTTP 200 is a failure', async () => {
  const fake = await server(() => ({ status: 200, json: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控' } }));
  await assert.rejects(aliyunSms(options(fake.url)).send('+8613812345678', 't', { code: '1' }), failsWith('isv.BUSINESS_LIMIT_CONTROL'));
});

test('Aliyun: HTTP 4xx and 5xx become sms_send_failed without the secret', async () => {
  const forbidden = await server(() => ({ status: 403, json: { Code: 'Forbidden.RAM', Message: 'no permission' } }));
  await assert.rejects(aliyunSms(options(forbidden.url)).send('+8613812345678', 't', { code: '1' }), failsWith('Forbidden.RAM'));
  const broken = await server(() => ({ status: 503, json: 'upstream down' }));
  await assert.rejects(aliyunSms(options(broken.url)).send('+8613812345678', 't', { code: '1' }), failsWith('http_503'));
});

test('Aliyun: a provider that never answers times out', async () => {
  const silent = await server(() => 'hang');
  const started = Date.now();
  await assert.rejects(aliyunSms(options(silent.url, { timeoutMs: 150 })).send('+8613812345678', 't', { code: '1' }), failsWith('timeout'));
  assert.ok(Date.now() - started < 2000);
});
