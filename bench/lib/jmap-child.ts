// Child process of bench/jmap-inbox.ts: one Postern on a temp data dir (argv[2]) with one account
// per inbox size in argv[3] (JSON), each INBOX holding that many messages. Prints the web URL and
// the accounts as one JSON line, stops on SIGTERM.
import { createHash } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { summarize } from '../../src/mail/summary.ts';
import { startPostern } from '../../src/server.ts';
import { message } from './peers.ts';

const dir = process.argv[2];
const sizes = JSON.parse(process.argv[3]) as number[];
const config = loadConfig({ POSTERN_DATA_DIR: dir, POSTERN_WEB_PORT: '0', POSTERN_SMTP_PORT: '0', POSTERN_SUBMISSION_PORT: '0', POSTERN_SMTPS_PORT: '0', POSTERN_IMAP_PORT: '0', POSTERN_IMAPS_PORT: '0', POSTERN_POP3_PORT: '0', POSTERN_POP3S_PORT: '0', POSTERN_LOG_LEVEL: 'silent', POSTERN_BLOB_STORE: 'database' });
const postern = await startPostern(config, { log: pino({ level: 'silent' }) });
const { ctx } = postern;
await ctx.accounts.addDomain('example.edu');
const template = await summarize(Buffer.from(message(0)));
const accounts = [];
const start = Date.UTC(2026, 0, 1);
for (const size of sizes) {
  const user = `inbox${size}@example.edu`;
  const account = await ctx.accounts.create({ address: user, password: 'bench main password 2026' });
  const { password } = await ctx.appPasswords.create(account.id, 'bench', ['jmap']);
  const inbox = await ctx.mail.specialMailbox(account.id, 'INBOX');
  // Delivery in batches: the bytes, then the rows with the summary delivery caches (one parse of
  // the shared template; the subjects differ as in message(i)).
  for (let from = 0; from < size; from += 1000) {
    const batch: { raw: Buffer; blobId: string; i: number }[] = [];
    for (let i = from; i < Math.min(size, from + 1000); i++) {
      const raw = Buffer.from(message(i));
      batch.push({ raw, blobId: createHash('sha256').update(raw).digest('hex'), i });
    }
    // The database blob store's rows, a thousand per transaction rather than one commit each.
    await ctx.store.db.transaction().execute((trx) =>
      trx.insertInto('blobs').values(batch.map((b) => ({ id: b.blobId, data: b.raw, size: b.raw.length, touched_at: Date.now() }))).onConflict((oc) => oc.column('id').doNothing()).execute(),
    );
    await ctx.mail.repo.insertMessages(
      inbox.id,
      batch.map((b) => ({ blobId: b.blobId, size: b.raw.length, flags: [], internalDate: new Date(start + b.i * 60_000), summary: { ...template, subject: `message ${b.i}` } })),
    );
  }
  accounts.push({ size, user, password, accountId: account.id, inbox: inbox.id });
}
process.stdout.write(JSON.stringify({ url: postern.url, accounts }) + '\n');
process.once('SIGTERM', () => void postern.stop().finally(() => process.exit(0)));
