// SPEC O1 X4: security notices and code mails are rows written with their change; a node killed
// after the change committed and before the relay took the mail leaves it to the other node, and two
// nodes claiming the same rows send each once; so does the relay queue. Two nodes (child processes) on one
// PostgreSQL, one relay.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/context.ts';
import { SecretBox } from '../../src/core/secretBox.ts';
import { SideEffects } from '../../src/core/sideEffects.ts';
import { databaseBlobStore } from '../../src/store/blobs.ts';
import { openStore } from '../../src/store/db.ts';
import { outboundRepo } from '../../src/store/outboundRepo.ts';
import { sideEffectRepo } from '../../src/store/sideEffectRepo.ts';
import { freshDatabase, HttpBrowser, killNode, startNode, type ClusterNode } from '../helpers/cluster.ts';

const address = 'notice@example.edu';
const password = 'a long cluster passphrase';
const backup = 'backup.box@example.org';
const dataKey = randomBytes(32);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received {
  to: string[];
  subject: string;
  text: string;
}

/** The SMTP relay of both nodes; `onConnect` may hold a connection (and kill its node meanwhile). */
async function startRelay() {
  const received: Received[] = [];
  const relay = {
    received,
    onConnect: undefined as undefined | (() => Promise<void>),
    delayMs: 0,
    port: 0,
    close: () => Promise.resolve(),
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    onConnect(_session, cb) {
      const hook = relay.onConnect;
      relay.onConnect = undefined;
      if (!hook) return cb();
      void hook().then(() => cb(new Error('gone')));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        void simpleParser(Buffer.concat(chunks)).then((parsed) =>
          setTimeout(() => {
            received.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '' });
            cb();
          }, relay.delayMs),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.server.address() as AddressInfo).port;
  relay.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return relay;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('O1 X4 side effects survive the node that wrote them', { timeout: 90_000 }, () => {
  let dir: string;
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let nodes: ClusterNode[];
  let env: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'postern-effects-'));
    database = await freshDatabase();
    relay = await startRelay();
    env = {
      POSTERN_DATABASE_URL: database.url,
      POSTERN_BLOB_STORE: 'database',
      POSTERN_SECRET_PEPPER: randomBytes(32).toString('base64'),
      POSTERN_SECRET_DATA_KEY: dataKey.toString('base64'),
      POSTERN_SMTP_RELAY_URL: `smtp://127.0.0.1:${relay.port}`,
      // A node holds a row it is sending for 3 s; the others look every 750 ms.
      POSTERN_SIDE_EFFECT_HOLD_SECONDS: '3',
    };
    const setup = await createContext(loadConfig({ ...env, POSTERN_DATA_DIR: join(dir, 'setup') }), { log: pino({ level: 'silent' }) });
    await setup.accounts.addDomain('example.edu');
    await setup.accounts.create({ address, password });
    await setup.close();
    nodes = await Promise.all([0, 1].map((i) => startNode({ ...env, POSTERN_DATA_DIR: join(dir, `node${i}`) })));
  });

  after(async () => {
    for (const n of nodes ?? []) await killNode(n);
    await relay?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('O1 X4 a node killed after binding committed and before the relay took the notice: the other node sends it, once', async () => {
    const [a] = nodes;
    const browser = new HttpBrowser(Number(new URL(a.ports.url).port), '127.0.0.1');
    assert.equal((await browser.login(address, password)).json().status, 'ok');
    const bind = (await browser.request('POST', '/api/2fa/bind', { kind: 'backupEmail', input: { address: backup } })).json();
    const codeMail = await until('the code mail', () => relay.received.find((m) => m.to.includes(backup)));
    const code = /^([A-Z0-9]{4})$/m.exec(codeMail.text)![1];

    // Node A's next relay connection (the notice to the new backup address) finds it killed.
    let killedAt = 0;
    relay.onConnect = async () => {
      await sleep(300);
      await killNode(a);
      killedAt = Date.now();
    };
    const checked = await browser.request('POST', `/api/2fa/verifications/${bind.verificationId}/check`, { factorId: bind.factorId, code });
    assert.equal(checked.json().status, 'verified');
    await until('node A killed', () => (killedAt ? true : undefined));

    const notices = () => relay.received.filter((m) => m.to.includes(backup) && m !== codeMail);
    const [notice] = await until('the notice from node B', () => (notices().length ? notices() : undefined));
    console.log(`notice sent by node B ${Date.now() - killedAt} ms after node A was killed`);
    assert.equal(notice.subject, '【安全提醒】您的邮箱绑定了新的二次验证方式');
    await sleep(4000);
    assert.equal(notices().length, 1, 'once, not again after the hold ran out');

    // The INBOX copy is there once too, whichever node wrote it.
    const store = await openStore({ databaseUrl: database.url });
    const rows = await store.db.selectFrom('messages').innerJoin('accounts', 'accounts.id', 'messages.account_id').select('messages.subject').where('accounts.address', '=', address).execute();
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const left = await store.db.selectFrom('side_effects').selectAll().execute();
    assert.deepEqual(left, [], 'nothing left to send');
    await store.close();
  });

  test('O1 B2 a node killed while it mails a verification code: the other node sends the code, once', async () => {
    const alive = nodes.find((n) => n.child.exitCode === null && n.child.signalCode === null)!;
    const doomed = await startNode({ ...env, POSTERN_DATA_DIR: join(dir, 'node-code') });
    nodes.push(doomed);
    const other = 'code.box@example.org';
    const setup = await createContext(loadConfig({ ...env, POSTERN_DATA_DIR: join(dir, 'setup') }), { log: pino({ level: 'silent' }) });
    await setup.accounts.create({ address: 'coder@example.edu', password });
    await setup.close();
    const browser = new HttpBrowser(doomed.ports.web, '127.0.0.1');
    assert.equal((await browser.login('coder@example.edu', password)).json().status, 'ok');
    let killedAt = 0;
    relay.onConnect = async () => {
      await killNode(doomed);
      killedAt = Date.now();
    };
    await assert.rejects(browser.request('POST', '/api/2fa/bind', { kind: 'backupEmail', input: { address: other } }), 'the node died answering');
    const mails = () => relay.received.filter((m) => m.to.includes(other));
    await until('the code from the other node', () => (mails().length ? true : undefined));
    console.log(`code mail sent by the other node ${Date.now() - killedAt} ms after the first was killed`);
    assert.match(mails()[0].text, /^[A-Z0-9]{4}$/m);
    await sleep(4000);
    assert.equal(mails().length, 1, 'once');
    assert.equal(alive.child.exitCode, null);
  });

  test('O1 two nodes claiming the same waiting rows send each one once', async () => {
    const alive = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    // The killed node restarts: "the same node on restart" joins the claiming.
    while (alive.length < 2) alive.push(await startNode({ ...env, POSTERN_DATA_DIR: join(dir, `node${alive.length + 2}`) }));
    nodes.push(...alive.filter((n) => !nodes.includes(n)));
    relay.delayMs = 20;
    const store = await openStore({ databaseUrl: database.url });
    const box = new SecretBox(dataKey);
    const effects = new SideEffects({ repo: sideEffectRepo(store), clock: { now: () => new Date() }, log: pino({ level: 'silent' }) });
    const to = Array.from({ length: 60 }, (_, i) => `claim${i}@example.org`);
    const items = to.map((rcpt) =>
      effects.item('code_mail', box.seal(JSON.stringify({ from: 'postmaster@example.edu', to: rcpt, subject: `code for ${rcpt}`, text: '5WLC' }), 'side_effect.code'), null, new Date(Date.now() + 5 * 60_000)),
    );
    // Left as a dead node leaves them: held until a moment ago.
    await sideEffectRepo(store).add(items, new Date(Date.now() - 1));
    const sent = () => relay.received.filter((m) => m.to[0]?.startsWith('claim'));
    await until('all 60 sent', () => (sent().length >= 60 ? true : undefined), 30_000);
    await sleep(4000);
    const perRecipient = new Map<string, number>();
    for (const m of sent()) perRecipient.set(m.to[0], (perRecipient.get(m.to[0]) ?? 0) + 1);
    assert.deepEqual([...perRecipient.values()].filter((n) => n !== 1), [], 'no recipient twice');
    assert.equal(perRecipient.size, 60);
    assert.equal((await store.db.selectFrom('side_effects').select('id').execute()).length, 0);
    await store.close();
  });

  test('M1 O1 two nodes running the relay queue at once relay each queued message once', async () => {
    relay.delayMs = 10;
    const nodesHere = await Promise.all([0, 1].map((i) => createContext(loadConfig({ ...env, POSTERN_DATA_DIR: join(dir, `relay${i}`) }), { log: pino({ level: 'silent' }) })));
    const [a, b] = nodesHere;
    const blobs = databaseBlobStore(a.store);
    const repo = outboundRepo(a.store);
    const now = new Date();
    for (let i = 0; i < 40; i++) {
      const raw = Buffer.from(`From: ${address}\r\nTo: far${i}@remote.test\r\nSubject: relayed ${i}\r\n\r\nhello\r\n`);
      await repo.insert({ accountId: null, sender: address, recipients: [`far${i}@remote.test`], blobId: await blobs.put(raw), nextAttemptAt: now, createdAt: now });
    }
    await Promise.all([a.relay.runDue(), b.relay.runDue(), a.relay.runDue(), b.relay.runDue()]);
    const relayed = relay.received.filter((m) => m.to[0]?.startsWith('far'));
    assert.equal(relayed.length, 40, 'each once');
    assert.equal(new Set(relayed.map((m) => m.to[0])).size, 40);
    assert.equal(await a.relay.depth(), 0);
    for (const c of nodesHere) await c.close();
  });
});
