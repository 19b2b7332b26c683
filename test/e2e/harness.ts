import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import type { ContextOptions } from '../../src/context.ts';
import { startPostern, type RunningPostern } from '../../src/server.ts';
import { ensureUiBuilt } from '../../src/web/uiBuild.ts';

export const demo = { address: 'test001@example.test', password: 'Demo-pass-2026!', displayName: 'test001' };
export const help = { phone: '023-65111500', email: 'mail@example.test' };
const resultsDir = fileURLToPath(new URL('../../test-results', import.meta.url));

export interface TestPostern {
  postern: RunningPostern;
  url: string;
  stop(): Promise<void>;
}

/** A real Postern (every server, port 0) on a temp data dir, with the demo account and help contacts; `options.clock` lets a test move time. */
export async function startTestPostern(env: Record<string, string> = {}, options: ContextOptions = {}): Promise<TestPostern> {
  await ensureUiBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'postern-e2e-'));
  const ports = ['WEB', 'SMTP', 'SUBMISSION', 'SMTPS', 'IMAP', 'IMAPS', 'POP3', 'POP3S'].map((p) => [`POSTERN_${p}_PORT`, '0']);
  const config = loadConfig({
    POSTERN_DATA_DIR: dir,
    POSTERN_LOG_LEVEL: 'error',
    POSTERN_HELP_PHONE: help.phone,
    POSTERN_HELP_EMAIL: help.email,
    ...Object.fromEntries(ports),
    ...env,
  });
  const postern = await startPostern(config, options);
  await postern.ctx.accounts.addDomain('example.test');
  await postern.ctx.accounts.create(demo);
  return {
    postern,
    url: postern.url,
    async stop() {
      await postern.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test file's Postern and browser: started before its tests, stopped after them (arguments as for `startTestPostern`). */
export function e2eSuite(env: Record<string, string> = {}, options: ContextOptions = {}): { readonly server: TestPostern; readonly browser: Browser } {
  const suite = {} as { server: TestPostern; browser: Browser };
  before(async () => {
    suite.server = await startTestPostern(env, options);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

/** Debian's Chromium, headless, with nothing reaching out to the network. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync('/usr/bin/chromium')) throw new Error("Debian's chromium is missing: install it with `apt-get install -y chromium fonts-wqy-microhei`");
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** A fresh browser profile (cookies, localStorage) that prefers `locale`. */
export function newContext(browser: Browser, locale = 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Shanghai' });
}

/**
 * A screen as the user sees it: first checked with axe-core (`expectAccessible`), then saved as a PNG
 * (full page, or the viewport for dialogs) to test-results/<name>.png; returns its path.
 */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  await expectAccessible(page, name);
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path, fullPage, animations: 'disabled' });
  return path;
}

/** Signs in through the login page as a user would. */
export async function loginAs(page: Page, url: string, account: { address: string; password: string } = demo): Promise<void> {
  await page.goto(`${url}/login`);
  await page.locator('input[autocomplete^="username"]').fill(account.address);
  await page.locator('input[autocomplete="current-password"]').fill(account.password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === '/');
}

/** Signs out with the avatar menu. */
export async function logout(page: Page): Promise<void> {
  await page.getByTestId('avatar').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL((u) => u.pathname === '/login');
}

/** Step 1 with the main password of an account with 2FA on; returns on the step-2 page. */
export async function passwordStep(page: Page, url: string, account: { address: string; password: string } = demo): Promise<void> {
  await page.goto(`${url}/login`);
  await page.locator('input[autocomplete^="username"]').fill(account.address);
  await page.locator('input[autocomplete="current-password"]').fill(account.password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === '/login/verify');
}

/** Opens 二次验证设置 and waits for its state. */
export async function openTwoFactorPage(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/settings/security/two-factor`);
  await page.getByTestId('two-factor-status').waitFor();
}

/** Waits until the element `testId` inside `scope` shows exactly `text` (pages update after a notice). */
export async function expectText(scope: Page | Locator, testId: string, text: string): Promise<void> {
  await scope.getByTestId(testId).filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor();
}

/** Binds TOTP from 二次验证设置 with the key read from its dialog; `codeFor(key)` is what the app shows. */
/**
 * The step-up dialog (SPEC X9) that a sensitive action opens by itself: waits for its
 * "为了您的账户安全，请先完成验证", lets `answer` fill it in, and waits until the action goes on.
 */
export async function stepUpOnPage(page: Page, answer: (dialog: Locator) => Promise<void>, shot?: string): Promise<void> {
  const dialog = page.getByTestId('step-up-dialog');
  await dialog.getByText('为了您的账户安全，请先完成验证').waitFor();
  if (shot) await screenshot(page, shot, false);
  else await expectAccessible(page, 'step-up-dialog');
  await answer(dialog);
  await dialog.waitFor({ state: 'detached' });
}

/** Answers the step-up dialog with the main password (2FA off). */
export const stepUpWithPassword = (password: string) => async (dialog: Locator) => {
  await dialog.getByLabel('当前密码').fill(password);
  await dialog.getByTestId('step-up-submit').click();
};

/** Answers the step-up dialog with an authenticator code (the method shown first). */
export const stepUpWithCode = (code: string) => async (dialog: Locator) => {
  await dialog.getByTestId('verify-code').fill(code);
  await dialog.getByTestId('verify-submit').click();
};

/** Binds TOTP on the 2FA page; `stepUp` answers the step-up dialog when another method is bound already. */
export async function bindTotpOnPage(page: Page, codeFor: (key: string) => string, stepUp?: (dialog: Locator) => Promise<void>): Promise<string> {
  await page.getByTestId('method-totp').getByTestId('method-bind').click();
  if (stepUp) await stepUpOnPage(page, stepUp);
  const dialog = page.getByTestId('totp-dialog');
  const key = (await dialog.getByTestId('totp-secret').textContent())!.replace(/ /g, '');
  await dialog.getByTestId('totp-code').fill(codeFor(key));
  await dialog.getByTestId('totp-submit').click();
  await dialog.waitFor({ state: 'detached' });
  return key;
}

// Ids whose code a test has read: with a fake clock a new code and the one before it carry the same time.
const readCodes = new Set<string>();

/** The code of the newest message to `to` in the dev outbox (sent at or after `notBefore`, not read before), waiting for it to arrive. */
export async function outboxCode(server: TestPostern, to: string, notBefore = 0): Promise<string> {
  for (let i = 0; i < 100; i++) {
    // Security notices (X4) go to a bound backup address too: the newest message with a code.
    const latest = (await server.postern.ctx.outbox.list({ to, limit: 10 })).find((m) => m.channel === 'sms' || /^[A-Z0-9]{4}$/m.test(m.text));
    if (latest && latest.createdAt.getTime() >= notBefore && !readCodes.has(latest.id)) {
      readCodes.add(latest.id);
      const match = latest.channel === 'mail' ? /^([A-Z0-9]{4})$/m.exec(latest.text) : /\b(\d{6})\b/.exec(latest.text);
      return match![1];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no code to ${to}`);
}

/**
 * Issue 19: what the page shows now (a page, or a page with a dialog open) has no serious or
 * critical axe-core violation (WCAG 2.x A/AA rules and axe's best practices). Every e2e test calls
 * it on each page and dialog it opens; `what` names the screen in the failure.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // A page still filling in from its requests moves under axe while it measures (a background read
  // at a place where another element then stands): it is judged once the DOM has been still 150 ms.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        let timer = setTimeout(done, 150);
        const observer = new MutationObserver(() => {
          clearTimeout(timer);
          timer = setTimeout(done, 150);
        });
        const limit = setTimeout(done, 5000);
        function done() {
          observer.disconnect();
          clearTimeout(limit);
          resolve();
        }
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      }),
  );
  // A dialog still fading in has half-transparent text: contrast is judged once transitions end,
  // and once every open dialog is opaque (a dialog just mounted may not have started its fade yet).
  await page.waitForFunction(() => {
    const opaque = (el: Element | null): boolean => !el || (Number(getComputedStyle(el).opacity) === 1 && opaque(el.parentElement));
    return (
      document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity) &&
      [...document.querySelectorAll('[role="dialog"]')].every(opaque)
    );
  });
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${what}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html} ${n.failureSummary ?? ''}`).join(', ')}`),
    [],
  );
}
