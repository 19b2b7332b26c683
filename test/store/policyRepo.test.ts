import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FactorRecord } from '../../src/core/ports.ts';
import { accountRepo } from '../../src/store/accountRepo.ts';
import { factorRepo } from '../../src/store/factorRepo.ts';
import { policyRepo } from '../../src/store/policyRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';

forEachDatabase('domain policies', (getStore) => {
  test('X5 the policy and the kinds of the methods bound come in one read; a method not yet confirmed is not bound', async () => {
    const { db } = getStore();
    const now = new Date(Date.UTC(2026, 11, 1));
    const accounts = accountRepo(db);
    await accounts.addDomain('policy.example', now);
    await accounts.insertAccount({ id: 'acct-policy', address: 'alice@policy.example', domain: 'policy.example', displayName: 'Alice', passwordHash: 'x', isAdmin: false, disabled: false, quotaBytes: 0, language: 'en', createdAt: now });
    const policies = policyRepo(db);
    assert.deepEqual(await policies.withBoundKinds('policy.example', 'acct-policy'), { policy: undefined, boundKinds: [] });

    const factor = (id: string, kind: FactorRecord['kind'], confirmedAt: Date | null): FactorRecord => ({ id, accountId: 'acct-policy', kind, label: kind, sealedData: '{}', counter: null, confirmedAt, blockedUntil: null, lastUsedAt: null, createdAt: now });
    const factors = factorRepo(db);
    await factors.insert(factor('f-totp', 'totp', now));
    await factors.insert(factor('f-recovery', 'recovery', now));
    await factors.insert(factor('f-sms', 'sms', null));
    const bound = await policies.withBoundKinds('policy.example', 'acct-policy');
    assert.equal(bound.policy, undefined);
    assert.deepEqual([...bound.boundKinds].sort(), ['recovery', 'totp']);

    const policy = { domain: 'policy.example', twoFactor: 'required' as const, startsAt: now, graceDays: 7, helpPhone: '110', helpEmail: '' };
    await policies.put(policy, now);
    const found = await policies.withBoundKinds('policy.example', 'acct-policy');
    assert.deepEqual(found.policy, policy);
    assert.deepEqual([...found.boundKinds].sort(), ['recovery', 'totp']);
    assert.deepEqual(await policies.withBoundKinds('policy.example', 'someone-else'), { policy, boundKinds: [] });
  });
});
