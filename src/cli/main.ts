import '../heapSize.ts';
import { Command } from 'commander';
import { adminCommands } from './commands/admin.ts';
import { aliasCommands } from './commands/alias.ts';
import { policyCommands } from './commands/policy.ts';
import { appPasswordCommands } from './commands/appPassword.ts';
import { domainCommands } from './commands/domain.ts';
import { outboxCommands } from './commands/outbox.ts';
import { serveCommands } from './commands/serve.ts';
import { userCommands } from './commands/user.ts';
import { describeError } from './io.ts';

const program = new Command('postern')
  .description('Postern: a self-hosted mail system centred on account security. Settings come from POSTERN_* environment variables (see README).')
  .showHelpAfterError()
  .exitOverride();

serveCommands(program);
const domain = domainCommands(program);
const user = userCommands(program);
policyCommands(domain, user);
aliasCommands(program);
appPasswordCommands(program);
outboxCommands(program);
adminCommands(program, user);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const code = (err as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit(1);
  process.stderr.write(`postern: ${describeError(err).split('\n')[0]}\n`);
  process.exit(1);
}
