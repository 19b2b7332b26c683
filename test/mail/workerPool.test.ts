import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
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

test('M5 a message parsed in a worker has the summary, structure and index words of one parsed here', async () => {
  await warmWorkers();
  const raw = await signed('news@sender.test');
  assert.deepEqual(await parseMessage(raw), await parseHere(raw));
  const words = await indexWords(raw);
  assert.ok(words.length > 0);
  assert.deepEqual(words, await indexWordsHere(raw));
});
