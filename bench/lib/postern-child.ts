// Child process of the benchmarks: one Postern on a temp data dir (argv[2]); prints its IMAPS and
// inbound SMTP ports and the users' app passwords as one JSON line, stops on SIGTERM. DNS comes
// from the records in BENCH_DNS_RECORDS (JSON) when it is set.
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { startPostern } from '../../src/server.ts';
import { stubResolver } from '../../test/helpers/dns.ts';
import { emptyUsers, message, seededMessages, users, type Target } from './peers.ts';

const dir = process.argv[2];
const config = loadConfig({ POSTERN_DATA_DIR: dir, POSTERN_WEB_PORT: '0', POSTERN_SMTP_PORT: '0', POSTERN_SUBMISSION_PORT: '0', POSTERN_SMTPS_PORT: '0', POSTERN_IMAP_PORT: '0', POSTERN_IMAPS_PORT: '0', POSTERN_POP3_PORT: '0', POSTERN_POP3S_PORT: '0', POSTERN_MAIL_CONNECTIONS_PER_IP: '11000', POSTERN_MAIL_CONNECTIONS_PER_USER_IP: '1000', POSTERN_LOG_LEVEL: 'silent', ...(process.env.BENCH_REDIS_URL ? { POSTERN_REDIS_URL: process.env.BENCH_REDIS_URL } : {}) });
const dns = process.env.BENCH_DNS_RECORDS;
const postern = await startPostern(config, { log: pino({ level: 'silent' }), ...(dns ? { resolver: stubResolver(JSON.parse(dns)) } : {}) });
await postern.ctx.accounts.addDomain('example.edu');
const passwords: string[] = [];
for (const address of [...users, ...emptyUsers]) {
  const account = await postern.ctx.accounts.create({ address, password: 'bench main password 2026' });
  passwords.push((await postern.ctx.appPasswords.create(account.id, 'bench')).password);
  if (users.includes(address)) for (let i = 0; i < seededMessages; i++) await postern.ctx.mail.deliver(account.id, Buffer.from(message(i)));
}
const target: Target = { port: postern.mailAccess.ports.imaps, smtpPort: postern.smtp.ports.smtp, passwords };
process.stdout.write(JSON.stringify(target) + '\n');
process.once('SIGTERM', () => void postern.stop().finally(() => process.exit(0)));
