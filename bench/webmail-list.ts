// The webmail's message list at scale (SPEC M3): a folder of BENCH_WEBMAIL_MESSAGES messages
// (default 100 000, seeded by bench/lib/jmap-child.ts), opened in Debian's Chromium. Times: from
// navigating to /mail until the first rows show, and from a jump to the middle of the list until
// rows show there, each the median of BENCH_WEBMAIL_ROUNDS rounds; beside them the server's time
// for the JMAP calls of such a page (Email/query at that position + Email/get of 50).
// Run: BENCH_WEBMAIL_MESSAGES=2000 node bench/webmail-list.ts
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { ensureUiBuilt } from '../src/web/uiBuild.ts';
import { startChild } from './lib/processes.ts';

const size = Number(process.env.BENCH_WEBMAIL_MESSAGES ?? 100_000);
const rounds = Number(process.env.BENCH_WEBMAIL_ROUNDS ?? 5);
const password = 'bench main password 2026';

interface Account {
  user: string;
  password: string;
  accountId: string;
  inbox: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Server time of one list page at `position`: the two calls the webmail makes, with a client password. */
async function serverPage(url: string, a: Account, position: number): Promise<number> {
  const authorization = `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;
  const body = JSON.stringify({
    using: ['urn:ietf:params:jmap:core', 'urn:ietf:params:jmap:mail'],
    methodCalls: [
      ['Email/query', { accountId: a.accountId, filter: { inMailbox: a.inbox }, sort: [{ property: 'receivedAt', isAscending: false }], position, limit: 50, calculateTotal: true }, 'q'],
      ['Email/get', { accountId: a.accountId, '#ids': { resultOf: 'q', name: 'Email/query', path: '/ids' }, properties: ['id', 'threadId', 'mailboxIds', 'keywords', 'from', 'to', 'subject', 'preview', 'receivedAt', 'hasAttachment'] }, 'g'],
    ],
  });
  const started = performance.now();
  const res = await fetch(`${url}/jmap/api`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body });
  const json = (await res.json()) as { methodResponses: [string, { list?: unknown[] }, string][] };
  if (!json.methodResponses[1][1].list?.length) throw new Error(`JMAP page: ${JSON.stringify(json).slice(0, 300)}`);
  return performance.now() - started;
}

/** The seed is what delivery makes: the folder counts `size` Emails and a word of one is found by the full-text index. */
async function checkSeed(url: string, a: Account): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;
  const word = String(Math.floor(size / 2) + 7);
  const body = JSON.stringify({
    using: ['urn:ietf:params:jmap:core', 'urn:ietf:params:jmap:mail'],
    methodCalls: [
      ['Email/query', { accountId: a.accountId, filter: { inMailbox: a.inbox }, limit: 1, calculateTotal: true }, 'all'],
      ['Email/query', { accountId: a.accountId, filter: { inMailbox: a.inbox, text: word }, calculateTotal: true }, 'found'],
      ['Email/get', { accountId: a.accountId, '#ids': { resultOf: 'found', name: 'Email/query', path: '/ids' }, properties: ['subject'] }, 'g'],
      ['Mailbox/get', { accountId: a.accountId, ids: [a.inbox], properties: ['totalEmails', 'unreadEmails'] }, 'm'],
    ],
  });
  const res = await fetch(`${url}/jmap/api`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body });
  const [all, found, got, box] = ((await res.json()) as { methodResponses: [string, Record<string, any>, string][] }).methodResponses.map((r) => r[1]);
  const subjects = got.list?.map((e: { subject: string }) => e.subject);
  if (all.total !== size || found.total !== 1 || subjects?.[0] !== `message ${word}` || box.list?.[0]?.totalEmails !== size) {
    throw new Error(`seed check: total ${all.total}, search "${word}" found ${JSON.stringify(subjects)}, Mailbox ${JSON.stringify(box.list?.[0])}`);
  }
  console.log(`seed check: Email/query total ${all.total}, Mailbox totalEmails ${box.list[0].totalEmails}, search "${word}" finds "${subjects[0]}"`);
}

/** Milliseconds until a loaded row shows inside the list's visible area. */
async function rowsShown(page: Page, after: number): Promise<number> {
  await page.waitForFunction(() => {
    const list = document.querySelector('[data-testid="message-list"]');
    if (!list) return false;
    const box = list.getBoundingClientRect();
    return [...list.querySelectorAll('[data-testid="message-row"]')].some((r) => {
      const b = r.getBoundingClientRect();
      return b.bottom > box.top && b.top < box.bottom;
    });
  }, undefined, { timeout: 60_000, polling: 'raf' });
  return performance.now() - after;
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) {
    console.log("skipped: Debian's chromium is missing (apt-get install -y chromium)");
    return;
  }
  await ensureUiBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'postern-bench-webmail-'));
  const seeding = performance.now();
  const child = fileURLToPath(new URL('./lib/jmap-child.ts', import.meta.url));
  const started = await startChild(process.execPath, [child, dir, JSON.stringify([size])], /\{.*"url".*\}\n/);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const { url, accounts } = JSON.parse(/\{.*\}/.exec(started.output)![0]) as { url: string; accounts: Account[] };
    const account = accounts[0];
    console.log(`seeded ${size} messages in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
    await checkSeed(url, account);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    await page.goto(`${url}/login`);
    await page.locator('input[autocomplete^="username"]').fill(account.user);
    await page.locator('input[autocomplete="current-password"]').fill(password);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === '/');

    const first: number[] = [];
    const middle: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // From a page without the list (the welcome page), as a user opening the folder.
      await page.goto(`${url}/`);
      await page.getByTestId('nav-mail').waitFor();
      const opened = performance.now();
      await page.getByTestId('nav-mail').click();
      first.push(await rowsShown(page, opened));
      const jumped = performance.now();
      // A different middle each round, so that no page of it is cached.
      await page.getByTestId('message-list').evaluate((el, f) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * f), 0.4 + r * 0.05);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-loading"]').length === 0 || false, undefined, { timeout: 60_000, polling: 'raf' });
      middle.push(await rowsShown(page, jumped));
    }
    const server0: number[] = [];
    const serverMid: number[] = [];
    for (let r = 0; r < rounds; r++) {
      server0.push(await serverPage(url, account, 0));
      serverMid.push(await serverPage(url, account, Math.floor(size / 2) + r * 50));
    }
    console.log(`webmail, ${size} messages in the folder, Chromium, median of ${rounds}:`);
    console.log(`  open folder → first rows shown   ${median(first).toFixed(0)} ms   (server: query+get at 0      ${median(server0).toFixed(1)} ms)`);
    console.log(`  jump to middle → rows shown      ${median(middle).toFixed(0)} ms   (server: query+get at ${Math.floor(size / 2)} ${median(serverMid).toFixed(1)} ms)`);
  } finally {
    await browser.close();
    started.child.kill('SIGTERM');
    await new Promise((r) => (started.child.exitCode === null ? started.child.once('exit', r) : r(null)));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
