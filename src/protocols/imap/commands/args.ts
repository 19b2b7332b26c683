// Argument readers shared by the command handlers; each throws a BAD with a clear message.
import { ImapError, type ImapSession } from '../session.ts';
import { isSequenceSet, parseSequenceSet, type SequenceSet } from '../sequence.ts';
import type { Token } from '../tokens.ts';
import { decodeMailboxName } from '../utf7.ts';

export interface CommandInput {
  session: ImapSession;
  tag: string;
  name: string;
  args: Token[];
  uid: boolean;
}

/** Resolves to the text after "OK", or null when the handler wrote the reply itself. */
export type Handler = (input: CommandInput) => Promise<string | null | undefined>;

export interface CommandSpec {
  states: ImapSession['state'][];
  run: Handler;
}

export const anyState: CommandSpec['states'] = ['notAuthenticated', 'authenticated', 'selected'];
export const authenticatedStates: CommandSpec['states'] = ['authenticated', 'selected'];
export const selectedState: CommandSpec['states'] = ['selected'];

export function bad(message: string): ImapError {
  return new ImapError('BAD', message);
}

export function expectArgs(args: Token[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw bad(min === max ? `expected ${min} argument(s)` : `expected ${min} to ${max} arguments`);
}

/** An astring (atom, quoted string or literal) as UTF-8 text. */
export function text(token: Token | undefined, what = 'argument'): string {
  if (!token || token.kind === 'list') throw bad(`${what} must be a string`);
  return token.kind === 'atom' ? Buffer.from(token.value, 'latin1').toString('utf8') : token.value.toString('utf8');
}

export function atom(token: Token | undefined, what = 'argument'): string {
  if (!token || token.kind !== 'atom') throw bad(`${what} must be an atom`);
  return token.value;
}

export function list(token: Token | undefined, what = 'argument'): Token[] {
  if (!token || token.kind !== 'list') throw bad(`${what} must be a parenthesized list`);
  return token.items;
}

export function number(token: Token | undefined, what = 'number'): number {
  const value = atom(token, what);
  if (!/^\d{1,19}$/.test(value)) throw bad(`${what} must be a number`);
  return Number(value);
}

export function sequenceSet(token: Token | undefined): SequenceSet {
  const value = atom(token, 'sequence set');
  if (!isSequenceSet(value)) throw bad('invalid sequence set');
  try {
    return parseSequenceSet(value);
  } catch (err) {
    throw bad((err as Error).message);
  }
}

/** A mailbox name argument: modified UTF-7 decoded, INBOX in any case made "INBOX". */
export function mailbox(token: Token | undefined): string {
  const encoded = text(token, 'mailbox name');
  let name: string;
  try {
    name = decodeMailboxName(encoded);
  } catch (err) {
    // No mailbox has such a name (NO, as Dovecot answers), and none may be given one.
    throw new ImapError('NO', (err as Error).message, 'CANNOT');
  }
  if (name.toUpperCase() === 'INBOX' || name.toUpperCase().startsWith('INBOX/')) name = 'INBOX' + name.slice(5);
  return name.replace(/\/+$/, '');
}

export function flags(tokens: Token[]): string[] {
  return tokens.map((t) => {
    const f = atom(t, 'flag');
    if (f.startsWith('\\')) {
      const canonical = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'].find((s) => s.toLowerCase() === f.toLowerCase());
      if (!canonical) throw bad(`unknown system flag ${f.slice(0, 20)}`);
      return canonical;
    }
    if (/[\]%*]/.test(f)) throw bad('invalid flag');
    return f;
  });
}

export function selectedMailbox(session: ImapSession) {
  if (!session.selected) throw bad('no mailbox selected');
  return session.selected;
}
