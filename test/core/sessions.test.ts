import { testAccounts } from '../helpers/accounts.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../helpers/clock.ts';
import { hashSessionId, Sessions } from '../../src/core/sessions.ts';
import { sessionRepo } from '../../src/store/sessionRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';

const from = { ip: '127.0.0.1', userAgent: 'test', prevLoginAt: null, prevLoginIp: null };

forEachDatabase('web sessions', (getStore) => {
  const setup = async (address: string) => {
    const clock = new FakeClock();
    const accounts = testAccounts(getStore().db, clock);
    if (!(await accounts.repo.domainExists('example.test'))) await accounts.addDomain('example.test');
    const account = await accounts.create({ address, password: 'Session-pass-2026' });
    return { clock, account, sessions: new Sessions(sessionRepo(getStore().db), clock, { idleMinutes: 30, maxHours: 12 }) };
  };

  test('a session is found by its id, never by its stored hash, and expires after 30 idle minutes', async () => {
    const { clock, account, sessions } = await setup('s1@example.test');
    const { id, session } = await sessions.create(account.id, from);
    assert.equal(session.idHash, hashSessionId(id));
    assert.equal((await sessions.resolve(id)).status, 'active');
    assert.equal((await sessions.resolve(session.idHash)).status, 'none');
    clock.advance(30 * 60_000);
    assert.equal((await sessions.resolve(id)).status, 'expired');
    assert.equal((await sessions.resolve(id)).status, 'none', 'an expired row is deleted');
  });

  test('rotation gives the same session a new id; the old id stops working', async () => {
    const { account, sessions } = await setup('s2@example.test');
    const first = await sessions.create(account.id, from);
    const rotated = await sessions.rotate(first.session);
    assert.equal((await sessions.resolve(first.id)).status, 'none');
    const found = await sessions.resolve(rotated.id);
    assert.equal(found.status === 'active' && found.session.handle, first.session.handle);
  });

  test('list shows live sessions only; sign out one, or all others', async () => {
    const { clock, account, sessions } = await setup('s3@example.test');
    const stale = await sessions.create(account.id, from);
    clock.advance(31 * 60_000);
    const a = await sessions.create(account.id, from);
    const b = await sessions.create(account.id, { ...from, ip: '10.0.0.1' });
    const c = await sessions.create(account.id, from);
    assert.deepEqual((await sessions.list(account.id)).map((s) => s.handle).sort(), [a, b, c].map((s) => s.session.handle).sort());
    assert.equal((await sessions.resolve(stale.id)).status, 'none', 'creating a session prunes expired ones');
    assert.equal(await sessions.signOut(account.id, b.session.handle), 1);
    assert.equal(await sessions.signOutOthers(a.session), 1);
    assert.deepEqual((await sessions.list(account.id)).map((s) => s.handle), [a.session.handle]);
  });
});
