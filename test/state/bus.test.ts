import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { memoryBus, redisBus, type Bus } from '../../src/state/bus.ts';

const redisUrl = process.env.POSTERN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** Resolves with the next payload heard on `topic`. */
const next = (bus: Bus, topic: string) =>
  new Promise<unknown>((resolve) => {
    const off = bus.subscribe(topic, (payload) => {
      off();
      resolve(payload);
    });
  });

test('memory bus: subscribers of a topic hear its events, others and unsubscribed ones do not', async () => {
  const bus = memoryBus();
  const heard: unknown[] = [];
  const off = bus.subscribe('mailbox:a', (p) => heard.push(p));
  bus.subscribe('mailbox:b', () => heard.push('wrong topic'));
  bus.subscribe('mailbox:a', () => {
    throw new Error('a failing listener does not stop the others');
  });
  await bus.publish('mailbox:a', { type: 'exists', uids: [1] });
  off();
  await bus.publish('mailbox:a', { type: 'exists', uids: [2] });
  assert.deepEqual(heard, [{ type: 'exists', uids: [1] }]);
});

test('Redis bus: an event published on one node is heard on another (IMAP IDLE across nodes)', async () => {
  const a = redisBus(redisUrl);
  const b = redisBus(redisUrl);
  try {
    const topic = `mailbox:${randomBytes(6).toString('hex')}`;
    const heard = next(b, topic);
    // The subscription reaches Redis asynchronously: publish until the other node hears it.
    let payload: unknown;
    for (let i = 0; i < 50 && payload === undefined; i++) {
      await a.publish(topic, { type: 'flags', changes: [{ uid: 3, flags: ['\\Seen'], modseq: 9 }] });
      payload = await Promise.race([heard, new Promise((r) => setTimeout(r, 20))]);
    }
    assert.deepEqual(payload, { type: 'flags', changes: [{ uid: 3, flags: ['\\Seen'], modseq: 9 }] });
  } finally {
    await a.close();
    await b.close();
  }
});
