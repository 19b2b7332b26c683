import { testAccounts } from '../helpers/accounts.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword } from '../../src/core/passwords.ts';
import { FakeClock } from '../helpers/clock.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { rejects } from '../helpers/assertions.ts';

forEachDatabase('accounts repository', (getStore) => {
  const accounts = () => testAccounts(getStore().db, new FakeClock());

  test('domains are added once, listed with counts, removed only when empty', async () => {
    const a = accounts();
    assert.equal(await a.addDomain('Example.EDU'), 'example.edu');
    await rejects(a.addDomain('example.edu'), 'domain_exists');
    await rejects(a.addDomain('not a domain'), 'invalid_domain');
    await a.create({ address: 'alice@example.edu', password: 'correct horse battery' });
    assert.deepEqual((await a.repo.listDomains()).map((d) => [d.name, d.accounts]), [['example.edu', 1]]);
    await rejects(a.removeDomain('example.edu'), 'domain_not_empty');
    await rejects(a.removeDomain('other.edu'), 'unknown_domain');
  });

  test('accounts: case-insensitive addresses, duplicates, unknown domain, policy', async () => {
    const a = accounts();
    const bob = await a.create({ address: 'Bob@Example.edu', password: 'a long passphrase', displayName: '鲍勃' });
    assert.equal(bob.address, 'bob@example.edu');
    assert.equal((await a.get('BOB@example.EDU')).displayName, '鲍勃');
    await rejects(a.create({ address: 'bob@example.edu', password: 'another long one' }), 'account_exists');
    await rejects(a.create({ address: 'carol@nowhere.edu', password: 'another long one' }), 'unknown_domain');
    await rejects(a.create({ address: 'carol@example.edu', password: 'short' }), 'password_too_short');
    await rejects(a.create({ address: 'carol@example.edu', password: 'password1234' }), 'password_too_common');
    await rejects(a.create({ address: 'carol@example.edu', password: 'carol@example.edu' }), 'password_equals_address');
    await rejects(a.create({ address: 'carol@', password: 'another long one' }), 'invalid_address');
  });

  test('main password: right, wrong, unknown, disabled; old hash parameters upgraded at login', async () => {
    const a = accounts();
    const dave = await a.create({ address: 'dave@example.edu', password: 'dave has a long pass' });
    assert.equal((await a.checkMainPassword('DAVE@example.edu', 'dave has a long pass'))?.id, dave.id);
    assert.equal(await a.checkMainPassword('dave@example.edu', 'wrong password!'), undefined);
    assert.equal(await a.checkMainPassword('nobody@example.edu', 'dave has a long pass'), undefined);
    assert.equal(await a.checkMainPassword('garbage', 'x'), undefined);

    const weak = await hashPassword('dave has a long pass', { memory: 4096, passes: 1, parallelism: 1 });
    await a.repo.update(dave.id, { passwordHash: weak }, new Date());
    assert.ok(await a.checkMainPassword('dave@example.edu', 'dave has a long pass'));
    assert.match((await a.get('dave@example.edu')).passwordHash, /m=19456,t=2,p=1/);

    await a.setDisabled(dave, true);
    assert.equal(await a.checkMainPassword('dave@example.edu', 'dave has a long pass'), undefined);
  });
});
