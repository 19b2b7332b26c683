import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveSessions } from '../../src/core/liveSessions.ts';
import { Revocations } from '../../src/core/revocation.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { revocationLog } from '../../src/store/revocationLog.ts';
import { FakeClock } from '../helpers/clock.ts';
import { forEachDatabase } from '../helpers/db.ts';

forEachDatabase('revocation log', (getStore) => {
  test('X9 O1 a node that never hears the bus still ends the revoked sessions, once, and not those begun after', async () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 1, 8));
    const log = revocationLog(getStore().db);
    // Two nodes whose buses do not reach each other: Redis is away.
    const a = new Revocations(memoryBus(), { log, clock });
    const b = new Revocations(memoryBus(), { log, clock });
    const live = liveSessions(b, clock);
    const ended: string[] = [];
    live.track('acct-1', { kind: 'app_password', id: 'ap-1' }, (text) => ended.push(`old: ${text}`));
    live.track('acct-1', { kind: 'app_password', id: 'ap-2' }, (text) => ended.push(`other: ${text}`));
    await a.publish({ accountId: 'acct-1', reason: 'app_password_deleted', credentials: { password: false, appPasswordIds: ['ap-1'] } });
    assert.equal(ended.length, 0, 'nothing heard over the bus');
    clock.advance(10_000);
    live.track('acct-1', { kind: 'app_password', id: 'ap-1' }, (text) => ended.push(`new: ${text}`));
    await b.catchUp();
    assert.equal(ended.length, 1);
    assert.match(ended[0], /^old: /);
    await b.catchUp();
    assert.equal(ended.length, 1, 'heard once');
    await b.prune();
    clock.advance(25 * 60 * 60_000);
    await b.prune();
    assert.deepEqual(await log.since(new Date(0)), [], 'kept for a day');
    live.close();
  });
});
