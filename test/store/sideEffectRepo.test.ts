import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { SideEffects } from '../../src/core/sideEffects.ts';
import { sideEffectRepo } from '../../src/store/sideEffectRepo.ts';
import { FakeClock } from '../helpers/clock.ts';
import { forEachDatabase } from '../helpers/db.ts';

forEachDatabase('side-effect rows', (getStore) => {
  test('O1 due rows are claimed once each, with an attempt counted; held and given-up rows are not', async () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 1, 8));
    const repo = sideEffectRepo(getStore());
    const effects = new SideEffects({ repo, clock, log: pino({ level: 'silent' }) });
    const now = clock.now();
    const left = [1, 2, 3].map((i) => effects.item('notice_inbox', `event-${i}`, 'acct-claims'));
    await repo.add(left, new Date(now.getTime() - 1000));
    const held = effects.item('notice_inbox', 'event-held', 'acct-claims');
    await repo.add([held], new Date(now.getTime() + 60_000));
    const until = new Date(now.getTime() + 120_000);
    const first = await repo.claim(now, until, 2);
    const second = await repo.claim(now, until, 2);
    assert.equal(first.length + second.length, 3);
    assert.deepEqual(new Set([...first, ...second].map((i) => i.payload)), new Set(['event-1', 'event-2', 'event-3']));
    assert.ok([...first, ...second].every((i) => i.attempts === 2));
    assert.deepEqual(await repo.claim(now, until, 10), [], 'all held now');
    await repo.giveUp(first[0].id, 'relay refused');
    await repo.done(first[1].id);
    assert.equal(await repo.pending(), 2);
    const later = new Date(until.getTime() + 1);
    assert.deepEqual((await repo.claim(later, new Date(later.getTime() + 1000), 10)).map((i) => i.payload).sort(), [second[0].payload, 'event-held'].sort());
  });
});
