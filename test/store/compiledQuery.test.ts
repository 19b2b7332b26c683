import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { compiledQuery } from '../../src/store/compiledQuery.ts';
import { forEachDatabase } from '../helpers/db.ts';

forEachDatabase('A query compiled once', (getStore) => {
  test('each call runs with its own values, in every place an argument is used, beside constant parameters', async () => {
    const { db } = getStore();
    await db.insertInto('domain_policies').values([
      { domain: 'a.example', two_factor: 'off', starts_at: 1, grace_days: 3, help_phone: '', help_email: '', updated_at: 1 },
      { domain: 'b.example', two_factor: 'required', starts_at: 2, grace_days: 7, help_phone: '110', help_email: '', updated_at: 2 },
    ]).execute();
    const find = compiledQuery(db, (domain: string, days: number) =>
      db.selectFrom('domain_policies').select(['domain', 'grace_days']).where('two_factor', '!=', 'unknown').where((eb) => eb.or([eb('domain', '=', domain), eb('grace_days', '=', days)])).orderBy('domain'),
    );
    // node:sqlite's rows have no prototype.
    const rows = async (found: Promise<object[]>) => (await found).map((r) => ({ ...r }));
    assert.deepEqual(await rows(find('a.example', 0)), [{ domain: 'a.example', grace_days: 3 }]);
    assert.deepEqual(await rows(find('b.example', 3)), [{ domain: 'a.example', grace_days: 3 }, { domain: 'b.example', grace_days: 7 }]);
    assert.deepEqual(await find("nobody' OR 1=1 --", -1), [], 'a value stays a value');
    const update = compiledQuery(db, (domain: string, phone: string) => db.updateTable('domain_policies').set({ help_phone: phone }).where('domain', '=', domain));
    await update('a.example', '120');
    assert.equal((await db.selectFrom('domain_policies').select('help_phone').where('domain', '=', 'a.example').executeTakeFirstOrThrow()).help_phone, '120');
  });

  test('outside a transaction in progress it never reads the transaction\'s rows before the commit; inside, it does', async () => {
    const { db, atomic } = getStore();
    const find = compiledQuery(db, (domain: string) => db.selectFrom('domain_policies').select('domain').where('domain', '=', domain));
    let written!: () => void;
    const open = new Promise<void>((resolve) => (written = resolve));
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    const change = atomic.run(async () => {
      await db.insertInto('domain_policies').values({ domain: 'c.example', two_factor: 'off', starts_at: 1, grace_days: 0, help_phone: '', help_email: '', updated_at: 1 }).execute();
      assert.equal((await find('c.example')).length, 1, 'the transaction reads its own row');
      written();
      await committing;
    });
    await open;
    // Run apart from the transaction's async context, as another request's would be.
    const { outside } = await new Promise<{ outside: Promise<unknown[]> }>((resolve) => setImmediate(() => resolve({ outside: find('c.example') })));
    const before = await Promise.race([outside, new Promise((resolve) => setTimeout(() => resolve('waiting for the commit'), 50))]);
    assert.ok(before === 'waiting for the commit' || (Array.isArray(before) && before.length === 0), `read before the commit: ${JSON.stringify(before)}`);
    commit();
    await change;
    if (before === 'waiting for the commit') assert.equal((await outside).length, 1, 'read once committed');
    assert.equal((await find('c.example')).length, 1);
  });

  test('an argument used as SQL text rather than a value is refused', async () => {
    const { db } = getStore();
    const bad = compiledQuery(db, (column: string) => db.selectFrom('domain_policies').select(sql.raw(column).as('x')));
    await assert.rejects(bad('domain'), /went into the SQL text/);
  });
});
