import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Saves `html` to `htmlPath` and a full-page screenshot of it, rendered by the system Chromium, to `pngPath`. */
export async function screenshotHtml(html: string, htmlPath: string, pngPath: string, width = 760): Promise<void> {
  mkdirSync(dirname(resolve(htmlPath)), { recursive: true });
  writeFileSync(htmlPath, html);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width, height: 400 } });
    await page.goto(pathToFileURL(resolve(htmlPath)).href);
    await page.screenshot({ path: pngPath, fullPage: true });
  } finally {
    await browser.close();
  }
}
