// What the webmail tests share: mail sent by SMTP submission, and the mail page opened.
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Page } from 'playwright-core';
import type { TestPostern } from './harness.ts';

/** Sends through Postern's submission port (STARTTLS, AUTH) like a mail client; resolves on the 250. */
export async function sendBySmtp(server: TestPostern, auth: { address: string; password: string }, mail: SendMailOptions): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.postern.ctx.config.ports.submission, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: auth.address, pass: auth.password } });
  try {
    await transport.sendMail({ from: auth.address, ...mail });
  } finally {
    transport.close();
  }
}

/** Opens 邮件 from the navigation and waits for the message list. */
export async function openMail(page: Page): Promise<void> {
  await page.getByTestId('nav-mail').click();
  await page.waitForURL((u) => u.pathname === '/mail');
  await page.getByTestId('list-title').waitFor();
}

/** The row of the open list whose subject is `subject`. */
export const row = (page: Page, subject: string) => page.getByTestId('message-row').filter({ has: page.getByTestId('row-subject').getByText(subject, { exact: true }) });

/** Opens the folder of that role (inbox, sent, trash…) or, for a user folder, of that name. */
export async function openFolder(page: Page, which: { role?: string; name?: string }): Promise<void> {
  const selector = which.role ? `[data-testid="folder"][data-role="${which.role}"]` : `[data-testid="folder"][data-name="${which.name}"]`;
  // On a phone the folders are a pane of their own, reached from the list.
  await backToList(page);
  if ((await page.getByTestId('mail-page').getAttribute('data-layout')) === 'phone') await page.getByTestId('show-folders').click();
  await page.locator(selector).getByRole('button').first().click();
  await page.getByTestId('list-title').waitFor();
}

/** On a phone, from the open message back to the list (on a desktop both show). */
export async function backToList(page: Page): Promise<void> {
  const back = page.getByTestId('reader-back');
  if ((await page.getByTestId('mail-page').getAttribute('data-layout')) === 'phone' && (await back.isVisible())) {
    // After a move or delete the phone goes back to the list by itself: the button may be gone by now.
    await back.click({ timeout: 5000 }).catch(() => back.waitFor({ state: 'detached' }));
  }
  await page.getByTestId('search').waitFor();
}
