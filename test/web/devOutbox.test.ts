import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext, type Context } from '../../src/context.ts';
import { FakeClock } from '../helpers/clock.ts';
import { renderVerificationMail, renderVerificationSms } from '../../src/mail/templates/verificationMail.ts';
import { buildApp } from '../../src/web/app.ts';

const dir = mkdtempSync(join(tmpdir(), 'postern-outbox-'));
let ctx: Context;
let app: FastifyInstance;
const clock = new FakeClock(Date.UTC(2026, 4, 1, 2, 0, 0));

before(async () => {
  ctx = await createContext(loadConfig({ POSTERN_DATA_DIR: dir }), { clock, log: pino({ level: 'silent' }) });
  app = await buildApp(ctx);
  await ctx.mailOut.send(renderVerificationMail({
    lang: 'zh-CN', account: { address: 'test001@example.edu', displayName: '<b>test001</b>' }, to: 'backup@example.org', code: '5WLC',
    validMinutes: 5, at: clock.now(), timeZone: 'Asia/Shanghai', ip: '202.202.1.123',
  }));
  await ctx.sms.send('+8613812345678', renderVerificationSms({ lang: 'zh-CN', code: '123456', validMinutes: 5 }), { code: '123456' });
});
after(async () => {
  await app.close();
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

test('B1 B4 in development, mail and SMS land in the outbox page, newest first, values escaped', async () => {
  const res = await app.inject({ url: '/dev/outbox', headers: { 'accept-language': 'zh-CN' } });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  assert.ok(res.body.includes('开发发件箱'));
  const sms = res.body.indexOf('data-channel="sms"');
  const mail = res.body.indexOf('data-channel="mail"');
  assert.ok(sms > 0 && mail > sms, 'SMS (newer) is listed before the mail');
  assert.ok(res.body.includes('【验证码】用于邮件系统的二次验证'));
  assert.ok(res.body.includes('5WLC') && res.body.includes('123456'));
  assert.ok(res.body.includes('&lt;b&gt;test001&lt;/b&gt;, 您好!'));
  assert.ok(!res.body.includes('<b>test001</b>'));
  const en = await app.inject({ url: '/dev/outbox?channel=sms', headers: { 'accept-language': 'en' } });
  assert.ok(en.body.includes('Development outbox') && en.body.includes('Text message') && !en.body.includes('data-channel="mail"'));
});

test('the outbox as JSON, filtered by recipient, for tests and tools', async () => {
  const res = await app.inject({ url: '/api/dev/outbox?to=backup@example.org' });
  assert.equal(res.statusCode, 200);
  const { messages } = res.json() as { messages: { to: string; channel: string; text: string }[] };
  assert.deepEqual(messages.map((m) => [m.channel, m.to]), [['mail', 'backup@example.org']]);
  assert.match(messages[0].text, /^5WLC$/m);
  const bad = await app.inject({ url: '/api/dev/outbox?channel=fax' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'validation');
});

test('a kept HTML mail opens sandboxed, as a mail client would show it', async () => {
  const [entry] = await ctx.outbox.list({ channel: 'mail' });
  const res = await app.inject({ url: `/dev/outbox/${entry.id}/html` });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-security-policy'] as string, /^sandbox; default-src 'none'/);
  assert.equal(res.body, entry.html);
  assert.equal((await app.inject({ url: '/dev/outbox/nope/html' })).statusCode, 404);
});

test('production has no outbox routes', async () => {
  const prodApp = await buildApp({ ...ctx, config: { ...ctx.config, dev: false } });
  assert.equal((await prodApp.inject({ url: '/dev/outbox' })).statusCode, 404);
  assert.equal((await prodApp.inject({ url: '/api/dev/outbox' })).statusCode, 404);
  await prodApp.close();
});
