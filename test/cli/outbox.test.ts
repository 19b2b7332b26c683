import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/context.ts';
import { postern } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'postern-cli-outbox-'));
const env = { POSTERN_DATA_DIR: dir, POSTERN_LANG: 'en' };
after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  const ctx = await createContext(loadConfig(env), { log: pino({ level: 'silent' }) });
  await ctx.mailOut.send({ from: 'postmaster@example.edu', to: 'backup@example.org', subject: '【验证码】用于邮件系统的二次验证', text: 'test001, 您好!\n\n5WLC\n', html: '<b>5WLC</b>' });
  await ctx.sms.send('+8613812345678', '您的邮件系统验证码为 123456', { code: '123456' });
  await ctx.close();
});

test('postern outbox lists, shows and clears what development mode kept', () => {
  const list = postern(['outbox'], env);
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.match(lines[0], /^id\s+time\s+channel\s+to\s+subject$/);
  assert.match(lines[1], /sms\s+\+8613812345678\s+您的邮件系统验证码为 123456$/);
  assert.match(lines[2], /mail\s+backup@example\.org\s+【验证码】用于邮件系统的二次验证$/);

  const json = JSON.parse(postern(['outbox', 'list', '--to', 'backup@example.org', '--json'], env).stdout);
  assert.equal(json.length, 1);
  assert.equal(json[0].html, '<b>5WLC</b>');

  const show = postern(['outbox', 'show', json[0].id], env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^Date: .*\nChannel: mail\nFrom: postmaster@example\.edu\nTo: backup@example\.org\nSubject: 【验证码】用于邮件系统的二次验证\n\ntest001, 您好!\n\n5WLC\n$/);

  const missing = postern(['outbox', 'show', 'nope'], env);
  assert.deepEqual([missing.code, missing.stderr.trim()], [1, 'postern: no message nope in the outbox']);
  assert.equal(postern(['outbox', '--channel', 'fax'], env).code, 1);

  assert.equal(postern(['outbox', 'clear'], env).stdout, '2 messages deleted\n');
  assert.equal(postern(['outbox'], env).stdout, 'the outbox is empty\n');
});

test('postern outbox refuses outside development mode', () => {
  const r = postern(['outbox'], { ...env, POSTERN_ENV: 'production', POSTERN_TLS_CERT: '/c', POSTERN_TLS_KEY: '/k', POSTERN_PUBLIC_URL: 'https://mail.example.edu', POSTERN_SMS_PROVIDER: 'twilio', POSTERN_WECHAT_PROVIDER: 'official', POSTERN_WECHAT_APP_ID: 'wx0123456789abcdef', POSTERN_WECHAT_APP_SECRET: 'web-secret-0123456789', POSTERN_WECHAT_MINI_APP_ID: 'wxfedcba9876543210', POSTERN_WECHAT_MINI_APP_SECRET: 'mini-secret-0123456789', POSTERN_SMTP_RELAY_URL: 'smtp://127.0.0.1:1', POSTERN_TWILIO_ACCOUNT_SID: 'AC1', POSTERN_TWILIO_AUTH_TOKEN: 't', POSTERN_TWILIO_FROM: '+15005550006' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /only in development mode/);
});
