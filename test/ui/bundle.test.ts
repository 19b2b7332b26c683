import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialSizes, loginBudget } from '../../scripts/uiSize.ts';
import { ensureUiBuilt, uiDist } from '../../src/web/uiBuild.ts';

test('The login page fetches at most 150 kB of gzipped JavaScript first; the settings area and the webmail (M3) are chunks of their own', async () => {
  await ensureUiBuilt();
  const { login, settings, mail } = initialSizes(uiDist);
  assert.ok(login.gzip <= loginBudget, `login: ${login.gzip} bytes`);
  const settingsOnly = settings.files.filter((f) => !login.files.includes(f));
  assert.ok(settingsOnly.some((f) => f.includes('settings')), settingsOnly.join(', '));
  const mailOnly = mail.files.filter((f) => !login.files.includes(f));
  assert.ok(mailOnly.some((f) => f.includes('mail')), mailOnly.join(', '));
  // The editor comes only when a message is written.
  assert.ok(!mail.files.some((f) => f.includes('Compose')), mail.files.join(', '));
});
