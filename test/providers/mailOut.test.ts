import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { PosternError } from '../../src/core/errors.ts';
import { FakeClock } from '../helpers/clock.ts';
import { createMailOut, relayMailOut } from '../../src/providers/mailOut.ts';
import { devOutboxRepo } from '../../src/store/devOutboxRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';

const mail = { from: 'postmaster@example.edu', to: 'backup@example.org', subject: '【验证码】用于邮件系统的二次验证', text: '验证码: 5WLC', html: '<b>5WLC</b>' };

async function relay(options: { password?: string } = {}) {
  const received: { from: string; to: string[]; data: string; user?: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: !options.password,
    onAuth(auth, _session, cb) {
      if (auth.username === 'relay' && auth.password === options.password) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port, received };
}

test('mail goes out through the configured SMTP relay, authenticated', async () => {
  const { port, received } = await relay({ password: 's3cret' });
  await relayMailOut(`smtp://relay:s3cret@127.0.0.1:${port}`).send(mail);
  assert.equal(received.length, 1);
  assert.equal(received[0].from, 'postmaster@example.edu');
  assert.deepEqual(received[0].to, ['backup@example.org']);
  assert.equal(received[0].user, 'relay');
  assert.match(received[0].data, /^Subject: =\?UTF-8\?/m);
  assert.match(received[0].data, /multipart\/alternative/);
});

test('a relay that refuses the login is mail_send_failed without the relay password', async () => {
  const { port } = await relay({ password: 'right-one' });
  await assert.rejects(relayMailOut(`smtp://relay:wrong-one@127.0.0.1:${port}`).send(mail), (err: unknown) => {
    assert.ok(err instanceof PosternError);
    assert.equal(err.code, 'mail_send_failed');
    assert.equal(err.status, 502);
    assert.deepEqual(err.params, { reason: 'EAUTH' });
    assert.ok(!JSON.stringify([err.message, err.params]).includes('wrong-one'));
    return true;
  });
});

test('an unreachable relay fails quickly with mail_send_failed', async () => {
  await assert.rejects(relayMailOut('smtp://127.0.0.1:1', { timeoutMs: 500 }).send(mail), (err: unknown) => err instanceof PosternError && err.code === 'mail_send_failed');
});

forEachDatabase('dev outbox', (getStore) => {
  test('without a relay, mail lands in the dev outbox; with one, it does not', async () => {
    const outbox = devOutboxRepo(getStore().db);
    await outbox.clear();
    const clock = new FakeClock(Date.UTC(2026, 4, 1, 8, 0, 0));
    await createMailOut({}, outbox, clock).send(mail);
    const [entry] = await outbox.list({ to: 'backup@example.org' });
    assert.deepEqual({ ...entry, id: typeof entry.id }, {
      id: 'string', channel: 'mail', to: mail.to, from: mail.from, subject: mail.subject, text: mail.text, html: mail.html, createdAt: clock.now(),
    });
    assert.deepEqual(await outbox.get(entry.id), entry);
  });

  test('the dev outbox lists newest first, filters by recipient and channel, and clears', async () => {
    const outbox = devOutboxRepo(getStore().db);
    await outbox.clear();
    const at = new Date(Date.UTC(2026, 4, 1));
    for (const n of [1, 2, 3]) await outbox.add({ channel: 'sms', to: '+8613812345678', from: null, subject: null, text: `code ${n}`, html: null }, at);
    await outbox.add({ channel: 'mail', to: 'a@example.org', from: 'postmaster@example.edu', subject: 's', text: 't', html: 'h' }, at);
    assert.deepEqual((await outbox.list({ to: '+8613812345678' })).map((e) => e.text), ['code 3', 'code 2', 'code 1']);
    assert.deepEqual((await outbox.list({ channel: 'mail' })).map((e) => e.to), ['a@example.org']);
    assert.equal((await outbox.list({ limit: 2 })).length, 2);
    assert.equal(await outbox.clear(), 4);
    assert.deepEqual(await outbox.list(), []);
  });
});
