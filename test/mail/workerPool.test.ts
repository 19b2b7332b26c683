import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { dkimSign } from 'mailauth';
import { checkInbound, storedCopy, type InboundCheck } from '../../src/mail/inboundCheck.ts';
import { authenticateHere } from '../../src/mail/mailAuth.ts';
import { indexWords, indexWordsHere, parseHere, parseMessage } from '../../src/mail/parsing.ts';
import { sharedConcat } from '../../src/mail/sharedBytes.ts';
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
const check = (sender: string): InboundCheck => ({
  auth: options(sender),
  trace: { clientHostname: 'mx.sender.test', remoteAddress: '192.0.2.1', hostname: 'mx.example.edu', protocol: 'ESMTP', id: 'a1b2c3', now: new Date('2026-12-02T10:00:00Z'), recipients: ['bob@example.edu'] },
});
/** What the checks found, in a worker. */
const authenticateMessage = async (raw: Buffer, sender: string, resolver: (name: string, rrtype: string) => Promise<unknown[]>) => (await checkInbound(raw, check(sender), resolver)).auth;

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
  const inWorker = await authenticateMessage(raw, 'news@sender.test', resolver);
  assert.deepEqual(inWorker.dkimPass, ['sender.test']);
  assert.equal(inWorker.spf, 'pass');
  assert.deepEqual(inWorker.dmarc, { result: 'pass', policy: 'reject' });
  assert.ok(asked.includes('TXT sel._domainkey.sender.test'), asked.join(', '));
  const here = await authenticateHere(raw, options('news@sender.test'), stub);
  assert.deepEqual({ ...inWorker, headers: '' }, { ...here, headers: '' });
});

test('M6 a DNS timeout reaches the worker\'s checks as a timeout (temperror, so 451), never as a pass', async () => {
  await warmWorkers();
  const result = await authenticateMessage(await signed('news@broken.test'), 'news@broken.test', stubResolver(dns));
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
  for (let i = 0; i < 3; i++) assert.deepEqual((await authenticateMessage(raw, 'news@sender.test', first.resolve)).dkimPass, ['sender.test']);
  const once = new Set(first.asked);
  assert.equal(first.asked.length, once.size, `each name asked once: ${first.asked.join(', ')}`);
  // Another resolver (another node's configuration, another test) gets answers of its own: here the key is gone.
  const second = counting({ ...dns, 'sel._domainkey.sender.test': { TXT: ['v=DKIM1; k=rsa; p='] } });
  assert.deepEqual((await authenticateMessage(raw, 'news@sender.test', second.resolve)).dkimPass, []);
  assert.ok(second.asked.includes('TXT sel._domainkey.sender.test'), second.asked.join(', '));
  const failing = counting(dns);
  for (let i = 0; i < 2; i++) await authenticateMessage(raw, 'news@broken.test', failing.resolve);
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

test('M5 M6 the worker that checks an inbound message builds the copy to store and parses it: the same bytes as built here, in place in front of the message, and no second parse', async () => {
  await warmWorkers();
  const body = await signed('news@sender.test');
  // As the SMTP server receives it: in shared memory, with room in front (readData.ts).
  const raw = sharedConcat([body], 4096);
  const { auth, message } = await checkInbound(raw, check('news@sender.test'), stubResolver(dns));
  assert.deepEqual(auth.dkimPass, ['sender.test']);
  const expected = storedCopy(Buffer.from(body), check('news@sender.test'), auth.headers);
  assert.ok(message.equals(expected));
  const head = message.subarray(0, message.length - body.length).toString();
  assert.ok(head.startsWith('Return-Path: <news@sender.test>\r\nReceived-SPF: pass'), head);
  assert.match(head, /Authentication-Results: mx\.example\.edu;[^]*dkim=pass[^]*\r\nReceived: from mx\.sender\.test \(\[192\.0\.2\.1\]\)\r\n\tby mx\.example\.edu \(Postern\) with ESMTP id a1b2c3\r\n\tfor <bob@example\.edu>;/);
  assert.equal(message.buffer, raw.buffer, 'written into the room in front, not copied');
  assert.ok(message.subarray(message.length - body.length).equals(body));
  // The parse came with the check: asked again, it is that one, and it is the parse of these bytes.
  const parsed = parseMessage(message);
  assert.equal(parseMessage(message), parsed);
  assert.deepEqual(await parsed, await parseHere(expected));
});
