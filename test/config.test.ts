import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

test('dev defaults: standard ports + 10000, web 8080, SQLite in ./data', () => {
  const c = loadConfig({});
  assert.equal(c.dev, true);
  assert.deepEqual(c.ports, { web: 8080, smtp: 10025, submission: 10587, smtps: 10465, imap: 10143, imaps: 10993, pop3: 10110, pop3s: 10995 });
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.timeZone, 'Asia/Shanghai');
});

test('a bad value stops with one line naming the variable, the problem and an example', () => {
  for (const [name, value] of [['POSTERN_WEB_PORT', 'eighty'], ['POSTERN_DATABASE_URL', 'mysql://x'], ['POSTERN_TIME_ZONE', 'Mars/Base'], ['POSTERN_HELP_EMAIL', 'nope']]) {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (err: unknown) => err instanceof ConfigError && err.message.startsWith(`${name}=`) && err.message.includes('example:') && !err.message.includes('\n'),
    );
  }
});

test('production refuses to start without TLS, a public URL and real providers', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /POSTERN_TLS_CERT/);
  const tls = { POSTERN_ENV: 'production', POSTERN_TLS_CERT: '/c', POSTERN_TLS_KEY: '/k' };
  assert.throws(() => loadConfig(tls), /POSTERN_PUBLIC_URL/);
  assert.throws(() => loadConfig({ ...tls, POSTERN_PUBLIC_URL: 'https://mail.example.edu' }), /POSTERN_SMS_PROVIDER/);
  const providers = {
    ...tls,
    POSTERN_PUBLIC_URL: 'https://mail.example.edu',
    POSTERN_SMS_PROVIDER: 'aliyun',
    POSTERN_WECHAT_PROVIDER: 'official',
    POSTERN_SMTP_RELAY_URL: 'smtp://relay.example.edu:587',
  };
  assert.throws(() => loadConfig(providers), /POSTERN_WECHAT_APP_ID/);
  const ok = loadConfig({ ...providers, POSTERN_WECHAT_APP_ID: 'wx0123456789abcdef', POSTERN_WECHAT_APP_SECRET: 'web-secret-0123456789', POSTERN_WECHAT_MINI_APP_ID: 'wxfedcba9876543210', POSTERN_WECHAT_MINI_APP_SECRET: 'mini-secret-0123456789' });
  assert.equal(ok.ports.imap, 143);
  assert.equal(ok.mailHostname, 'mail.example.edu');
});

test('X1 production refuses to start when passkeys cannot work: an IP address, an RP ID the URL is not in', () => {
  const production = {
    POSTERN_ENV: 'production',
    POSTERN_TLS_CERT: '/c',
    POSTERN_TLS_KEY: '/k',
    POSTERN_SMS_PROVIDER: 'aliyun',
    POSTERN_WECHAT_PROVIDER: 'official',
    POSTERN_SMTP_RELAY_URL: 'smtp://relay.example.edu:587',
    POSTERN_WECHAT_APP_ID: 'wx0123456789abcdef',
    POSTERN_WECHAT_APP_SECRET: 'web-secret-0123456789',
    POSTERN_WECHAT_MINI_APP_ID: 'wxfedcba9876543210',
    POSTERN_WECHAT_MINI_APP_SECRET: 'mini-secret-0123456789',
  };
  assert.throws(() => loadConfig({ ...production, POSTERN_PUBLIC_URL: 'https://203.0.113.7' }), /^ConfigError: POSTERN_PUBLIC_URL: passkeys need a domain name, not the IP address 203\.0\.113\.7, so security keys and passkeys cannot work; example: POSTERN_PUBLIC_URL=https:\/\/mail\.example\.edu$/);
  assert.throws(() => loadConfig({ ...production, POSTERN_PUBLIC_URL: 'https://mail.example.edu', POSTERN_WEBAUTHN_RP_ID: 'example.com' }), /POSTERN_WEBAUTHN_RP_ID: the relying party id example\.com does not match the origin https:\/\/mail\.example\.edu/);
  const ok = loadConfig({ ...production, POSTERN_PUBLIC_URL: 'https://mail.example.edu', POSTERN_WEBAUTHN_RP_ID: 'example.edu' });
  assert.deepEqual(ok.relyingParty, { id: 'example.edu', origin: 'https://mail.example.edu', name: 'Postern' });
});
