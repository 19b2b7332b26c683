import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { dkimSign } from 'mailauth';
import { authenticateHere, authenticateMessage } from '../../src/mail/mailAuth.ts';
import { indexWords, indexWordsHere, parseHere, parseMessage } from '../../src/mail/parsing.ts';
import { warmWorkers } from '../../src/mail/workerPool.ts';
import { stubResolver } from '../helpers/dns.ts';

const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dns = {
  'sender.test': { TXT: ['v=spf1 ip4:192.0.2.1 -all'] },
  'sel._domainkey.sender.test': { TXT: [`v=DKIM1; k=rsa; p=${key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`] },
  '_dmarc.sender.test': { TXT: ['v=DMARC1; p=reject'] },
  'broken.test': 'fail' as const,
};
const options = (sender: string) => ({ ip: '192.0.2.1', helo: 'mx.sender.test', sender, mta: 'mx.example.edu' });

async function signed(from: string): Promise<Buffer> {
  const message = `From: ${from}\r\nTo: bob@example.edu\r\nSubject: Figures\r\nMessage-ID: <1@sender.test>\r\n\r\nQuarterly figures  \r\n\tattached.\r\n`;
  const s = await dkimSign(message, { signatureData: [{ signingDomain: 'sender.test', selector: 'sel', privateKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) }] } as Parameters<typeof dkimSign>[1]);
  return Buffer.from(s.signatures + message);
}

test('M6 the inbound checks in a worker find what they find on the main thread, their DNS answered by the resolver given', async () => {
  await warmWorkers();
  const asked: string[] = [];
  const stub = stubResolver(dns);
  const resolver = (name: string, rrtype: string) => (asked.push(`${rrtype} ${name}`), stub(name, rrtype));
  const raw = await signed('news@sender.test');
  const inWorker = await authenticateMessage(raw, options('news@sender.test'), resolver);
  assert.deepEqual(inWorker.dkimPass, ['sender.test']);
  assert.equal(inWorker.spf, 'pass');
  assert.deepEqual(inWorker.dmarc, { result: 'pass', policy: 'reject' });
  assert.ok(asked.includes('TXT sel._domainkey.sender.test'), asked.join(', '));
  const here = await authenticateHere(raw, options('news@sender.test'), stub);
  assert.deepEqual({ ...inWorker, headers: '' }, { ...here, headers: '' });
});

test('M6 a DNS timeout reaches the worker\'s checks as a timeout (temperror, so 451), never as a pass', async () => {
  await warmWorkers();
  const result = await authenticateMessage(await signed('news@broken.test'), options('news@broken.test'), stubResolver(dns));
  assert.equal(result.spf, 'temperror');
});

test('M6 a worker keeps DNS answers of its resolver a few seconds (records and NXDOMAIN), asks again after a timeout, and never shares them between resolvers', async () => {
  await warmWorkers();
  const counting = (records: typeof dns) => {
    const asked: string[] = [];
    const stub = stubResolver(records);
    return { asked, resolve: (name: string, rrtype: string) => (asked.push(`${rrtype} ${name}`), stub(name, rrtype)) };
  };
  const first = counting(dns);
  const raw = await signed('news@sender.test');
  for (let i = 0; i < 3; i++) assert.deepEqual((await authenticateMessage(raw, options('news@sender.test'), first.resolve)).dkimPass, ['sender.test']);
  const once = new Set(first.asked);
  assert.equal(first.asked.length, once.size, `each name asked once: ${first.asked.join(', ')}`);
  // Another resolver (another node's configuration, another test) gets answers of its own: here the key is gone.
  const second = counting({ ...dns, 'sel._domainkey.sender.test': { TXT: ['v=DKIM1; k=rsa; p='] } });
  assert.deepEqual((await authenticateMessage(raw, options('news@sender.test'), second.resolve)).dkimPass, []);
  assert.ok(second.asked.includes('TXT sel._domainkey.sender.test'), second.asked.join(', '));
  const failing = counting(dns);
  for (let i = 0; i < 2; i++) await authenticateMessage(raw, options('news@broken.test'), failing.resolve);
  assert.equal(failing.asked.filter((q) => q === 'TXT broken.test').length, 2, failing.asked.join(', '));
});

test('M5 a message parsed in a worker has the summary, structure, blob id (SHA-256) and index words of one parsed here', async () => {
  await warmWorkers();
  const raw = await signed('news@sender.test');
  assert.deepEqual(await parseMessage(raw), await parseHere(raw));
  assert.equal((await parseMessage(raw)).blobId, createHash('sha256').update(raw).digest('hex'));
  const words = await indexWords(raw);
  assert.ok(words.length > 0);
  assert.deepEqual(words, await indexWordsHere(raw));
});
