// Child process of bench/jmap-inbox.ts: one Postern on a temp data dir (argv[2]) with one account
// per inbox size in argv[3] (JSON), each INBOX holding that many messages. Prints the web URL and
// the accounts as one JSON line, stops on SIGTERM.
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { startPostern } from '../../src/server.ts';
import { message } from './peers.ts';

const dir = process.argv[2];
const sizes = JSON.parse(process.argv[3]) as number[];
const config = loadConfig({ POSTERN_DATA_DIR: dir, POSTERN_WEB_PORT: '0', POSTERN_SMTP_PORT: '0', POSTERN_SUBMISSION_PORT: '0', POSTERN_SMTPS_PORT: '0', POSTERN_IMAP_PORT: '0', POSTERN_IMAPS_PORT: '0', POSTERN_POP3_PORT: '0', POSTERN_POP3S_PORT: '0', POSTERN_LOG_LEVEL: 'silent', POSTERN_BLOB_STORE: 'database' });
const postern = await startPostern(config, { log: pino({ level: 'silent' }) });
const { ctx } = postern;
await ctx.accounts.addDomain('example.edu');
const accounts = [];
const start = Date.UTC(2026, 0, 1);
for (const size of sizes) {
  const user = `inbox${size}@example.edu`;
  const account = await ctx.accounts.create({ address: user, password: 'bench main password 2026' });
  const { password } = await ctx.appPasswords.create(account.id, 'bench', ['jmap']);
  const inbox = await ctx.mail.specialMailbox(account.id, 'INBOX');
  // Stored as IMAP MULTIAPPEND stores mail (parsed, threaded: the rows a delivery makes),
  // a thousand messages per transaction rather than one commit each.
  for (let from = 0; from < size; from += 1000) {
    const batch = [];
    for (let i = from; i < Math.min(size, from + 1000); i++) batch.push({ raw: Buffer.from(message(i)), internalDate: new Date(start + i * 60_000) });
    await ctx.mail.appendAll(inbox, batch);
  }
  // And their words in the full-text index, as the background pass writes them after delivery.
  await ctx.searchIndexer.catchUp(account.id);
  accounts.push({ size, user, password, accountId: account.id, inbox: inbox.id });
}
process.stdout.write(JSON.stringify({ url: postern.url, accounts }) + '\n');
process.once('SIGTERM', () => void postern.stop().finally(() => process.exit(0)));
