import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Context } from '../../src/context.ts';
import { PosternError } from '../../src/core/errors.ts';
import type { AccountRecord, VerificationRecord } from '../../src/core/ports.ts';
import { FakeClock } from '../helpers/clock.ts';
import { testContext } from '../helpers/context.ts';
import { testPostgresUrl, withSchemaLock } from '../helpers/db.ts';
import { rejects } from '../helpers/assertions.ts';

const request = { ip: '202.202.1.123', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36' };
const clock = new FakeClock(Date.UTC(2026, 4, 1, 2, 0, 0));
let ctx: Context;

/** A context on SQLite, or on a fresh PostgreSQL schema dropped afterwards. */
async function openContext(kind: 'sqlite' | 'postgres'): Promise<() => Promise<void>> {
  if (kind === 'sqlite') {
    const opened = await testContext({ clock });
    ctx = opened.ctx;
    return opened.cleanup;
  }
  const schema = `postern_wechat_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const opened = await withSchemaLock(async (client) => {
    await client.query(`CREATE SCHEMA "${schema}"`);
    return testContext({ clock, schema }, { POSTERN_DATABASE_URL: testPostgresUrl });
  });
  ctx = opened.ctx;
  return async () => {
    await opened.cleanup();
    await withSchemaLock((client) => client.query(`DROP SCHEMA "${schema}" CASCADE`));
  };
}

let n = 0;
const newAccount = () => ctx.accounts.create({ address: `wx${String(++n).padStart(3, '0')}@example.edu`, password: 'a long test passphrase' });
const as = (userId: string) => ({ userId, openid: userId });

/** The challenge id in the QR's URL (the emulator's scan page). */
const challengeOf = (display: unknown) => new URL((display as { scanUrl: string }).scanUrl, 'http://x').searchParams.get('c')!;

const check = (account: AccountRecord, v: VerificationRecord, factorId: string, code = '') => ctx.twoFactor.check(account, v, factorId, code, request, 'zh-CN');

/** Binds WeChat for `account` as WeChat user `userId`; returns the factor id. */
async function bindWechat(account: AccountRecord, userId: string, changeId?: string): Promise<string> {
  const bind = await ctx.twoFactor.beginBind(account, 'wechat', {}, request, 'zh-CN', changeId);
  const v = await ctx.twoFactor.verifications.get(account.id, bind.verificationId);
  assert.deepEqual(await check(account, v, bind.factorId), { status: 'pending' });
  await ctx.wechat.approvals.answer(challengeOf(bind.challenge), as(userId), true);
  const done = await check(account, v, bind.factorId);
  assert.equal(done.status, 'verified');
  return bind.factorId;
}

/** A pending login with its WeChat QR started. */
async function loginQr(account: AccountRecord, factorId: string) {
  const { token } = await ctx.login.beginSecondFactor(account);
  const v = await ctx.login.pending(token);
  const started = await ctx.twoFactor.start(account, v, factorId, request, 'zh-CN');
  return { v, challengeId: challengeOf(started.display) };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`WeChat second step [${kind}]`, () => {
    let cleanup: () => Promise<void>;
    before(async () => {
      cleanup = await openContext(kind);
    });
    after(() => cleanup());

    test('B3 binding WeChat: the QR waits, the scanner authorises, the binding completes and 2FA is on', async () => {
      const account = await newAccount();
      const bind = await ctx.twoFactor.beginBind(account, 'wechat', {}, request, 'zh-CN');
      const challengeId = challengeOf(bind.challenge);
      const asked = await ctx.wechat.approvals.request(challengeId);
      assert.equal(asked.purpose, 'bind');
      assert.equal(asked.accountId, account.id);
      const v = await ctx.twoFactor.verifications.get(account.id, bind.verificationId);
      for (let i = 0; i < 8; i++) assert.deepEqual(await check(account, v, bind.factorId), { status: 'pending' }, 'polling costs no attempt');
      await rejects(check(account, v, bind.factorId, '123456'), 'wrong_code');
      await ctx.wechat.approvals.answer(challengeId, as('wx-bind'), true);
      const done = await check(account, v, bind.factorId);
      assert.equal(done.status, 'verified');
      assert.equal(done.status === 'verified' && done.twoFactorOn, true);
      const wechat = (await ctx.twoFactor.overview(account.id)).methods.find((m) => m.kind === 'wechat')!;
      assert.equal(wechat.factor?.style, 'approval');
      const codes = await ctx.wechat.approvals.codesFor(as('wx-bind'));
      assert.deepEqual(codes.map((c) => c.accountId), [account.id]);
      assert.match(codes[0].code, /^\d{6}$/);
      assert.deepEqual(await ctx.wechat.approvals.codesFor(as('wx-someone-else')), []);
    });

    test('C4 login: the phone lists the request; another WeChat user cannot approve it, the bound one can', async () => {
      const account = await newAccount();
      const factorId = await bindWechat(account, 'wx-owner');
      const { v, challengeId } = await loginQr(account, factorId);
      const [listed] = await ctx.wechat.approvals.pendingFor(as('wx-owner'));
      assert.equal(listed.challengeId, challengeId);
      assert.equal(listed.ip, request.ip);
      assert.deepEqual(await ctx.wechat.approvals.pendingFor(as('wx-stranger')), []);
      await rejects(ctx.wechat.approvals.answer(challengeId, as('wx-stranger'), true), 'wechat_not_bound_user');
      await rejects(ctx.wechat.approvals.answer(challengeId, as('wx-stranger'), false), 'wechat_not_bound_user');
      assert.deepEqual(await check(account, v, factorId), { status: 'pending' });
      await ctx.wechat.approvals.answer(challengeId, as('wx-owner'), true);
      assert.equal((await check(account, v, factorId)).status, 'verified');
      assert.ok(await ctx.login.consumeSecondFactor(v, request));
      await rejects(ctx.wechat.approvals.answer(challengeId, as('wx-owner'), true), 'wechat_request_answered');
    });

    test('C4 login refused on the phone: the page is told, and a new QR can be scanned', async () => {
      const account = await newAccount();
      const factorId = await bindWechat(account, 'wx-denier');
      const { v, challengeId } = await loginQr(account, factorId);
      await ctx.wechat.approvals.answer(challengeId, as('wx-denier'), false);
      await rejects(check(account, v, factorId), 'approval_denied');
      clock.advance(2000);
      const again = await ctx.twoFactor.start(account, v, factorId, request, 'zh-CN');
      assert.deepEqual(await check(account, v, factorId), { status: 'pending' });
      await ctx.wechat.approvals.answer(challengeOf(again.display), as('wx-denier'), true);
      assert.equal((await check(account, v, factorId)).status, 'verified');
    });

    test('C4 an unanswered QR expires after 5 minutes: the phone can no longer approve it', async () => {
      const account = await newAccount();
      const factorId = await bindWechat(account, 'wx-slow');
      const { v, challengeId } = await loginQr(account, factorId);
      clock.advance(5 * 60_000 + 1000);
      await rejects(ctx.wechat.approvals.answer(challengeId, as('wx-slow'), true), 'wechat_request_expired');
      await rejects(check(account, v, factorId), 'code_expired');
      assert.deepEqual(await ctx.wechat.approvals.pendingFor(as('wx-slow')), []);
    });

    test('C4 C8 the mini-program code logs in once; a wrong code is counted by the core', async () => {
      const account = await newAccount();
      const factorId = await bindWechat(account, 'wx-coder');
      const first = await loginQr(account, factorId);
      const [{ code }] = await ctx.wechat.approvals.codesFor(as('wx-coder'));
      const wrong = code === '000000' ? '111111' : '000000';
      await assert.rejects(check(account, first.v, factorId, wrong), (err: PosternError) => err.code === 'wrong_code' && err.params?.left === 4);
      assert.equal((await check(account, first.v, factorId, code)).status, 'verified');
      const second = await loginQr(account, factorId);
      await rejects(check(account, second.v, factorId, code), 'code_reused');
      clock.advance(30_000);
      const [{ code: next }] = await ctx.wechat.approvals.codesFor(as('wx-coder'));
      assert.equal((await check(account, second.v, factorId, next)).status, 'verified');
    });

    test('D3 unbinding needs the bound WeChat to scan and confirm; then 2FA is off', async () => {
      const account = await newAccount();
      const factorId = await bindWechat(account, 'wx-leaver');
      const view = await ctx.twoFactor.beginUnbind(account, factorId);
      const v = await ctx.twoFactor.verifications.get(account.id, view.id);
      const started = await ctx.twoFactor.start(account, v, factorId, request, 'zh-CN');
      await rejects(ctx.wechat.approvals.answer(challengeOf(started.display), as('wx-thief'), true), 'wechat_not_bound_user');
      await ctx.wechat.approvals.answer(challengeOf(started.display), as('wx-leaver'), true);
      const done = await check(account, v, factorId);
      assert.equal(done.status === 'verified' && done.twoFactorOn, false);
      assert.deepEqual(await ctx.wechat.approvals.codesFor(as('wx-leaver')), []);
    });

    test('D4 changing WeChat: verified by the current WeChat, then the new WeChat account scans the binding QR', async () => {
      const account = await newAccount();
      const factorId = await bindWechat(account, 'wx-old');
      const view = await ctx.twoFactor.beginChange(account, factorId);
      assert.equal(view.default, factorId);
      const v = await ctx.twoFactor.verifications.get(account.id, view.id);
      const started = await ctx.twoFactor.start(account, v, factorId, request, 'zh-CN');
      await ctx.wechat.approvals.answer(challengeOf(started.display), as('wx-old'), true);
      assert.equal((await check(account, v, factorId)).status, 'verified');
      const newFactorId = await bindWechat(account, 'wx-new', view.id);
      assert.notEqual(newFactorId, factorId);
      assert.deepEqual(await ctx.wechat.approvals.codesFor(as('wx-old')), []);
      assert.deepEqual((await ctx.wechat.approvals.codesFor(as('wx-new'))).map((c) => c.accountId), [account.id]);
    });
  });
}
