import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verificationRepo } from '../../src/store/verificationRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { twoFactorKit } from '../helpers/twoFactor.ts';

forEachDatabase('verification repository', (getStore) => {
  test('C8 of two challenges started in the same millisecond, the live one is the latest', async () => {
    const kit = twoFactorKit(getStore());
    const repo = verificationRepo(getStore().db);
    const account = await kit.newAccount();
    const now = kit.clock.now();
    const later = new Date(now.getTime() + 300_000);
    await repo.insert({ id: 'v-tie', accountId: account.id, purpose: 'login', factorIds: ['f-1'], targetId: null, parentId: null, tokenHash: null, createdAt: now, expiresAt: later, verifiedAt: null, verifiedFactorId: null, consumedAt: null });
    const challenge = (id: string) => ({ id, verificationId: 'v-tie', factorId: 'f-1', state: '{}', attempts: 0, createdAt: now, expiresAt: later, approvedAt: null, consumedAt: null });
    // 'a' sorts before 'z', so a tie broken by id alone would pick the consumed one.
    await repo.insertChallenge(challenge('z-live'));
    await repo.insertChallenge(challenge('a-used'));
    assert.ok(await repo.consumeChallenge('a-used', now));
    assert.equal((await repo.latestChallenge('v-tie', 'f-1'))?.id, 'z-live');
  });
});
