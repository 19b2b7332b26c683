import { testAccounts } from '../helpers/accounts.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Audit } from '../../src/core/audit.ts';
import { FakeClock } from '../helpers/clock.ts';
import { auditRepo } from '../../src/store/auditRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';

forEachDatabase('audit repository', (getStore) => {
  test('X6 pages of an account\'s events follow each other without gaps or repeats, also within one millisecond', async () => {
    const clock = new FakeClock();
    const accounts = testAccounts(getStore().db, clock);
    await accounts.addDomain('example.edu');
    const a = await accounts.create({ address: 'erin@example.edu', password: 'erin main password' });
    const b = await accounts.create({ address: 'finn@example.edu', password: 'finn main password' });
    const audit = new Audit(auditRepo(getStore().db), clock);
    const from = { ip: '198.51.100.7', userAgent: null };
    for (let i = 0; i < 25; i++) {
      if (i % 4 === 0) clock.advance(1);
      await audit.record(a.id, 'device_trusted', from, { n: i });
      await audit.record(b.id, 'login_failed', from, { step: 'password' });
    }
    const seen: number[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await audit.list(a.id, 10, before);
      if (!page.length) break;
      assert.ok(page.every((e) => e.accountId === a.id && e.type === 'device_trusted'));
      seen.push(...page.map((e) => e.detail.n as number));
      before = page.at(-1)!.id;
    }
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => 24 - i));
  });
});
