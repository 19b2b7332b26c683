import { testAccounts } from '../helpers/accounts.ts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AppPasswords } from '../../src/core/appPasswords.ts';
import { PosternError } from '../../src/core/errors.ts';
import { Revocations } from '../../src/core/revocation.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { FakeClock } from '../helpers/clock.ts';
import { appPasswordRepo } from '../../src/store/appPasswordRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';

forEachDatabase('app passwords repository', (getStore) => {
  test('E3 many per account, newest first, found by HMAC only, last use written in one batch', async () => {
    const clock = new FakeClock();
    const accounts = testAccounts(getStore().db, clock);
    await accounts.addDomain('example.edu');
    const a = await accounts.create({ address: 'dora@example.edu', password: 'dora main password' });
    const apps = new AppPasswords(appPasswordRepo(getStore().db), clock, randomBytes(32), new Revocations(memoryBus()));
    const first = await apps.create(a.id, 'Outlook');
    clock.advance(1000);
    const second = await apps.create(a.id, 'Foxmail', ['pop3']);
    assert.deepEqual((await apps.list(a.id)).map((r) => [r.name, r.scopes]), [['Foxmail', ['pop3']], ['Outlook', ['imap', 'pop3', 'smtp']]]);
    assert.equal((await apps.find(first.password))?.id, first.record.id);
    assert.equal(await apps.find('abcd abcd abcd abcd'), undefined);
    await apps.noteUse(second.record, 'pop3', '198.51.100.4');
    clock.advance(1000);
    await apps.noteUse(second.record, 'pop3', '198.51.100.5');
    await apps.flush();
    const stored = (await apps.repo.list(a.id)).find((r) => r.id === second.record.id)!;
    assert.deepEqual([stored.lastUsedIp, stored.lastUsedAt?.getTime()], ['198.51.100.5', clock.now().getTime()]);
    await assert.rejects(apps.create(a.id, '  '), (e: unknown) => e instanceof PosternError && e.code === 'invalid_app_password_name');
    await assert.rejects(apps.remove(a.id, 'missing'), (e: unknown) => e instanceof PosternError && e.code === 'unknown_app_password');
    await accounts.repo.remove(a.id);
    assert.equal(await apps.find(first.password), undefined, 'deleted with the account');
  });

  test('O1 two nodes flush last uses in the wrong order: the newest use stays shown', async () => {
    const clock = new FakeClock();
    const accounts = testAccounts(getStore().db, clock);
    await accounts.addDomain('example.org');
    const a = await accounts.create({ address: 'ines@example.org', password: 'ines main password' });
    const nodeA = new AppPasswords(appPasswordRepo(getStore().db), clock, randomBytes(32), new Revocations(memoryBus()));
    const nodeB = new AppPasswords(appPasswordRepo(getStore().db), clock, randomBytes(32), new Revocations(memoryBus()));
    const { record } = await nodeA.create(a.id, 'Thunderbird');
    await nodeA.noteUse(record, 'imap', '198.51.100.6');
    clock.advance(1000);
    await nodeB.noteUse(record, 'imap', '198.51.100.7');
    await nodeB.flush();
    await nodeA.flush();
    const stored = (await nodeA.repo.list(a.id)).find((r) => r.id === record.id)!;
    assert.deepEqual([stored.lastUsedIp, stored.lastUsedAt?.getTime()], ['198.51.100.7', clock.now().getTime()]);
  });
});
