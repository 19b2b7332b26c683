import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { Audit } from '../../src/core/audit.ts';
import { SecurityNotices } from '../../src/core/securityNotices.ts';
import { SideEffects } from '../../src/core/sideEffects.ts';
import type { AccountRepo } from '../../src/core/ports.ts';
import { auditRepo } from '../../src/store/auditRepo.ts';
import { sideEffectRepo } from '../../src/store/sideEffectRepo.ts';
import { FakeClock } from '../helpers/clock.ts';
import { forEachDatabase } from '../helpers/db.ts';

forEachDatabase('one transaction for a change, its event and its notices', (getStore) => {
  test('O1 X4 a change that fails after its event was written leaves neither the event nor its notices; one that commits leaves both', async () => {
    const store = getStore();
    const clock = new FakeClock(Date.UTC(2026, 11, 1, 8));
    const effects = new SideEffects({ repo: sideEffectRepo(store), clock, log: pino({ level: 'silent' }) });
    const audit = new Audit(auditRepo(store.db), clock, { atomic: store.atomic, effects });
    const sent: string[] = [];
    new SecurityNotices({
      accounts: { findById: async () => undefined } as unknown as AccountRepo, audit, effects, backupEmail: async () => null, twoFactorOn: async () => true,
      deliverLocal: async (id) => void sent.push(id), mailOut: { send: async () => {} }, render: () => { throw new Error('not reached'); },
      log: pino({ level: 'silent' }), timeZone: 'UTC', publicUrl: 'http://x', help: { phone: '', email: '' },
    });
    const rows = async () => ({
      events: (await store.db.selectFrom('audit_events').select('id').where('account_id', '=', 'acct-atomic').execute()).length,
      effects: (await store.db.selectFrom('side_effects').select('id').where('account_id', '=', 'acct-atomic').execute()).length,
    });
    await assert.rejects(store.atomic.run(async () => {
      await audit.record('acct-atomic', 'password_changed', { ip: null, userAgent: null });
      // A repository's own transaction inside joins the outer one.
      await store.db.transaction().execute(async (trx) => trx.selectFrom('audit_events').select('id').execute());
      throw new Error('the change failed');
    }), /the change failed/);
    assert.deepEqual(await rows(), { events: 0, effects: 0 });
    await effects.settled();

    let started = false;
    await store.atomic.run(async () => {
      await audit.record('acct-atomic', 'password_changed', { ip: null, userAgent: null });
      store.atomic.afterCommit(() => (started = true));
      assert.equal(started, false, 'nothing starts before the commit');
      assert.deepEqual(await rows(), { events: 1, effects: 2 }, 'seen inside the transaction');
    });
    assert.equal(started, true);
    await effects.settled();
    assert.deepEqual(await rows(), { events: 1, effects: 0 }, 'the notices ran after the commit (the account is gone: nothing to send)');
  });
});
