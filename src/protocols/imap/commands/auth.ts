// STARTTLS, LOGIN and AUTHENTICATE PLAIN (with SASL-IR); logins only over TLS (LOGINDISABLED).
import { authFailureText, decodeSaslPlain, delay, logLogin, tooManyForAccount } from '../../authReplies.ts';
import { ImapError, type ImapSession } from '../session.ts';
import { atom, bad, expectArgs, text, type CommandSpec } from './args.ts';

const notAuthenticated: CommandSpec['states'] = ['notAuthenticated'];

async function login(session: ImapSession, tag: string, username: string, password: string): Promise<string | null> {
  const result = await session.ctx.authenticate('imap', username, password, session.remoteIp);
  logLogin(session.log, username, result);
  if (result.ok) {
    if (!(await session.takeUserSlot(result.accountId))) throw new ImapError('NO', tooManyForAccount, 'LIMIT');
    session.authenticated(result.accountId, username, result.credential);
    return `[CAPABILITY ${session.capabilities().join(' ')}] Logged in`;
  }
  session.authFailures++;
  await delay(session.ctx.limits.authFailureDelayMs);
  const reply = `${tag} NO [AUTHENTICATIONFAILED] ${authFailureText(result.reason)}\r\n`;
  if (session.authFailures >= session.ctx.limits.maxAuthFailures) {
    session.close(reply + '* BYE Too many failed logins\r\n');
  } else {
    session.write(reply);
  }
  return null;
}

function requireTls(session: ImapSession): void {
  if (!session.authAllowed) throw new ImapError('NO', 'Use STARTTLS first', 'PRIVACYREQUIRED');
}

export const STARTTLS: CommandSpec = {
  states: notAuthenticated,
  async run({ session, tag, args }) {
    expectArgs(args, 0);
    if (session.secure) throw bad('TLS is already active');
    if (!session.tlsAvailable) throw bad('TLS is not available');
    session.write(`${tag} OK Begin TLS negotiation now\r\n`);
    session.startTls();
    return null;
  },
};

export const LOGIN: CommandSpec = {
  states: notAuthenticated,
  async run({ session, tag, args }) {
    expectArgs(args, 2);
    requireTls(session);
    return login(session, tag, text(args[0], 'user name'), text(args[1], 'password'));
  },
};

function nextLine(session: ImapSession): Promise<string> {
  return new Promise((resolve) => {
    session.continuation = (line) => resolve(line.toString('latin1').trim());
  });
}

export const AUTHENTICATE: CommandSpec = {
  states: notAuthenticated,
  async run({ session, tag, args }) {
    expectArgs(args, 1, 2);
    if (atom(args[0], 'mechanism').toUpperCase() !== 'PLAIN') throw new ImapError('NO', 'Only PLAIN is supported', 'CANNOT');
    requireTls(session);
    let response = args[1] ? atom(args[1], 'initial response') : undefined;
    if (response === undefined) {
      session.write('+ \r\n');
      response = await nextLine(session);
    }
    if (response === '*') throw bad('AUTHENTICATE cancelled');
    const credentials = decodeSaslPlain(response === '=' ? '' : response);
    if (!credentials) throw bad('Invalid SASL PLAIN response');
    return login(session, tag, credentials.username, credentials.password);
  },
};
