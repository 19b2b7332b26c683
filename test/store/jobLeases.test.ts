import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobLeases } from '../../src/store/jobLeases.ts';
import { forEachDatabase } from '../helpers/db.ts';

forEachDatabase('O1 periodic jobs', (getStore) => {
  test('O1 the hourly blob sweep runs on one node at a time: a second node waits until the first one\'s lease runs out, the holder may renew it', async () => {
    const nodeA = jobLeases(getStore().db);
    const nodeB = jobLeases(getStore().db);
    const t0 = 1_800_000_000_000;
    const taken = await Promise.all([nodeA.take('blob_sweep', 60_000, t0), nodeB.take('blob_sweep', 60_000, t0)]);
    assert.deepEqual([...taken].sort(), [false, true], 'one of two nodes starting together gets it');
    const [holder, other] = taken[0] ? [nodeA, nodeB] : [nodeB, nodeA];
    assert.equal(await holder.take('blob_sweep', 60_000, t0 + 30_000), true, 'the holder renews');
    assert.equal(await other.take('blob_sweep', 60_000, t0 + 60_000), false, 'still held after the renewal');
    assert.equal(await other.take('blob_sweep', 60_000, t0 + 90_001), true, 'a dead holder\'s lease runs out');
    assert.equal(await holder.take('blob_sweep', 60_000, t0 + 90_002), false);
    assert.equal(await holder.take('other_job', 60_000, t0), true, 'each job has its own lease');
  });
});
