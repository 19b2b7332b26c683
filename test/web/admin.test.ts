import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bindTotpOverHttp, demo, servedRoutes, stepUpOverHttp, testWeb, totpCode, type TestBrowser, type TestWeb } from '../helpers/web.ts';

const day = 86_400_000;
const admin = { address: 'admin@example.test', password: 'Admin-pass-2026!' };
let web: TestWeb;
let adminBrowser: TestBrowser;
let adminSecret: string;

before(async () => {
  web = await testWeb();
  await web.ctx.accounts.create({ ...admin, isAdmin: true });
  adminBrowser = web.browser('198.51.100.20');
  await adminBrowser.login(admin.address, admin.password);
  adminSecret = (await bindTotpOverHttp(web, adminBrowser)).secret;
});
after(() => web.close());

/** The admin signs in again (days passed in the test): password, then the authenticator, then a step-up. */
async function adminAgain(): Promise<void> {
  adminBrowser = web.browser('198.51.100.20');
  const step2 = (await adminBrowser.login(admin.address, admin.password)).json();
  web.clock.advance(30_000);
  const totp = step2.methods.find((m: { kind: string }) => m.kind === 'totp');
  assert.equal((await adminBrowser.request('POST', '/api/login/second-factor', { factorId: totp.id, code: totpCode(web, adminSecret) })).json().status, 'ok');
  await stepUpOverHttp(web, adminBrowser, adminSecret);
}

const adminRoutes = () => servedRoutes(web.app).filter((r) => r.split(' ')[1].startsWith('/api/admin/'));
const concrete = (route: string) => {
  const [method, path] = route.split(' ');
  return { method: method as 'GET' | 'POST' | 'DELETE', url: path.replace('{domain}', 'example.test').replace('{id}', 'AAAAAAAAAAAAAAAA').replace('{address}', 'x@example.test') };
};

test('X5 a non-admin gets 403 admin_required on every /api/admin/* route, before its input is read', async () => {
  const routes = adminRoutes();
  assert.ok(routes.length >= 18, routes.join('\n'));
  const user = web.browser('198.51.100.21');
  await user.login();
  for (const route of routes) {
    const { method, url } = concrete(route);
    const res = await user.request(method, url, method === 'GET' ? undefined : { bad: 'input' });
    assert.equal(res.statusCode, 403, route);
    assert.equal(res.json().error.code, 'admin_required', route);
  }
  const stranger = web.browser('198.51.100.22');
  await stranger.open();
  assert.equal((await stranger.request('GET', '/api/admin/dashboard')).statusCode, 401);
});

test('X5 an admin without two-step verification is refused until a method is bound', async () => {
  await web.ctx.accounts.create({ address: 'newadmin@example.test', password: admin.password, isAdmin: true });
  const b = web.browser('198.51.100.23');
  await b.login('newadmin@example.test', admin.password);
  const res = await b.request('GET', '/api/admin/dashboard');
  assert.deepEqual([res.statusCode, res.json().error.code], [403, 'admin_two_factor_required']);
  assert.equal((await b.request('GET', '/api/session')).json().account.isAdmin, true);
});

test('X5 every admin change without a fresh step-up answers 403 step_up_required', async () => {
  web.clock.advance(11 * 60_000);
  const changes = adminRoutes().filter((r) => !r.startsWith('GET '));
  for (const route of changes) {
    const { method, url } = concrete(route);
    const res = await adminBrowser.request(method, url, method === 'DELETE' ? undefined : {});
    assert.deepEqual([res.statusCode, res.json().error.code], [403, 'step_up_required'], route);
  }
  assert.equal((await adminBrowser.request('GET', '/api/admin/dashboard')).statusCode, 200);
});

test('X5 a user inside the grace period sees the days left; after it the login only lets them bind a method', async () => {
  await stepUpOverHttp(web, adminBrowser, adminSecret);
  const set = await adminBrowser.request('POST', '/api/admin/domains/example.test/policy', { twoFactor: 'required', graceDays: 3, startsAt: web.clock.now().getTime() - day });
  assert.equal(set.statusCode, 200, set.body);

  const user = web.browser('198.51.100.24');
  const inGrace = (await user.login()).json();
  assert.equal(inGrace.status, 'ok');
  // The account is newer than the policy: its 3 days run from its creation.
  assert.equal(inGrace.session.account.twoFactorRequired.daysLeft, 3);
  assert.equal((await user.request('GET', '/api/activity')).statusCode, 200);
  await user.request('POST', '/api/logout');
  const dashboard = (await adminBrowser.request('GET', '/api/admin/dashboard')).json();
  const domain = dashboard.domains.find((d: { domain: string }) => d.domain === 'example.test');
  assert.deepEqual([domain.accounts, domain.twoFactorOn, domain.byMethod.totp, domain.policy, domain.inGrace, domain.pastGrace], [3, 1, 1, 'required', 2, 0]);

  web.clock.advance(3 * day);
  const past = (await user.login()).json();
  assert.equal(past.status, 'enrolment_required');
  assert.deepEqual(past.session.account.twoFactorRequired, { state: 'enforced' });
  const held = await user.request('GET', '/api/activity');
  assert.deepEqual([held.statusCode, held.json().error.code], [403, 'enrolment_required']);
  const client = await web.ctx.authenticateClient({ protocol: 'imap', username: demo.address, password: demo.password, remoteIp: '198.51.100.24' });
  assert.deepEqual(client, { ok: false, reason: 'two_factor_required' });

  await bindTotpOverHttp(web, user);
  assert.equal((await user.request('GET', '/api/activity')).statusCode, 200);
  assert.equal((await user.request('GET', '/api/session')).json().account.twoFactorRequired, null);
});

test('X5 X12 the admin resets a user\'s 2FA with a reason; the owner sees who and when, never the reason', async () => {
  await adminAgain();
  const found = (await adminBrowser.request('GET', '/api/admin/accounts?q=test0')).json();
  const target = found.accounts.find((a: { address: string }) => a.address === demo.address);
  assert.ok(target);
  const refused = await adminBrowser.request('POST', `/api/admin/accounts/${target.id}/reset-2fa`, { reason: '  ' });
  assert.deepEqual([refused.statusCode, refused.json().error.code], [400, 'invalid_reset_note']);
  const reset = await adminBrowser.request('POST', `/api/admin/accounts/${target.id}/reset-2fa`, { reason: 'ticket 4711, ID card checked' });
  assert.equal(reset.statusCode, 200, reset.body);

  const owner = web.browser('198.51.100.25');
  await web.ctx.policy.set('example.test', { twoFactor: 'off' });
  await owner.login();
  const events = (await owner.request('GET', '/api/activity')).json().events;
  const event = events.find((e: { type: string }) => e.type === 'admin_reset_2fa');
  assert.equal(event.actor, admin.address);
  assert.doesNotMatch(JSON.stringify(events), /4711/);

  const log = (await adminBrowser.request('GET', `/api/admin/audit?account=${demo.address}&type=admin_reset_2fa`)).json();
  assert.equal(log.events[0].detail.note, 'ticket 4711, ID card checked');
  assert.equal(log.events[0].actor, admin.address);
  const csv = await adminBrowser.request('GET', `/api/admin/audit.csv?actor=${admin.address}`);
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  assert.match(csv.body, /admin_reset_2fa/);
});

test('X5 a domain with accounts cannot be removed, and the refusal names the count', async () => {
  await stepUpOverHttp(web, adminBrowser, adminSecret);
  const res = await adminBrowser.request('DELETE', '/api/admin/domains/example.test');
  assert.deepEqual([res.statusCode, res.json().error.code], [409, 'domain_not_empty']);
  assert.match(res.json().error.message, /3/);
});

test('F1 X5 the help-desk contacts an admin sets for a domain are the ones its users see', async () => {
  const help = await adminBrowser.request('POST', '/api/admin/domains/example.test/help', { phone: '023-68250000', email: 'desk@example.test' });
  assert.equal(help.statusCode, 200, help.body);
  assert.deepEqual((await adminBrowser.request('GET', '/api/session')).json().account.help, { phone: '023-68250000', email: 'desk@example.test' });
});
