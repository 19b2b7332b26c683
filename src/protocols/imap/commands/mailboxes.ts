// Mailbox commands: SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, STATUS.
import { ImapError, type ImapSession } from '../session.ts';
import { serialize } from '../response.ts';
import type { Token } from '../tokens.ts';
import { encodeMailboxName } from '../utf7.ts';
import { atom, authenticatedStates, bad, expectArgs, list, mailbox, type CommandSpec } from './args.ts';

export function quotedName(name: string): string {
  return serialize(encodeMailboxName(name)).join('');
}

async function select(session: ImapSession, name: string, readOnly: boolean, params: string[]): Promise<string> {
  if (params.includes('CONDSTORE')) session.condstore = true;
  const box = await session.select(name, readOnly);
  const firstUnseen = box.messages.findIndex((m) => !m.flags.includes('\\Seen'));
  let out = box.flagsLines();
  out += `* ${box.exists} EXISTS\r\n* ${box.recent.size} RECENT\r\n`;
  if (firstUnseen >= 0) out += `* OK [UNSEEN ${firstUnseen + 1}] First unseen\r\n`;
  out += `* OK [UIDVALIDITY ${box.uidValidity}] UIDs valid\r\n* OK [UIDNEXT ${box.uidNext}] Predicted next UID\r\n`;
  out += `* OK [HIGHESTMODSEQ ${box.highestModseq}] Highest\r\n`;
  session.write(out);
  return `[${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${readOnly ? 'EXAMINE' : 'SELECT'} completed`;
}

function selectCommand(readOnly: boolean): CommandSpec {
  return {
    states: authenticatedStates,
    async run({ session, args }) {
      expectArgs(args, 1, 2);
      const params = args[1] ? list(args[1], 'select parameters').map((t) => atom(t).toUpperCase()) : [];
      return select(session, mailbox(args[0]), readOnly, params);
    },
  };
}

export const SELECT = selectCommand(false);
export const EXAMINE = selectCommand(true);

function nameCommand(action: (session: ImapSession, name: string) => Promise<void>): CommandSpec {
  return {
    states: authenticatedStates,
    async run({ session, args }) {
      expectArgs(args, 1);
      const name = mailbox(args[0]);
      if (!name) throw bad('empty mailbox name');
      await action(session, name);
      return undefined;
    },
  };
}

export const CREATE = nameCommand((s, name) => {
  if (name.split('/').some((p) => p === '')) throw bad('empty hierarchy level in mailbox name');
  return s.ctx.backend.createMailbox(s.accountId!, name);
});
export const DELETE = nameCommand((s, name) => {
  if (name === 'INBOX') throw new ImapError('NO', 'INBOX cannot be deleted', 'CANNOT');
  return s.ctx.backend.deleteMailbox(s.accountId!, name);
});
export const SUBSCRIBE = nameCommand((s, name) => s.ctx.backend.setSubscribed(s.accountId!, name, true));
export const UNSUBSCRIBE = nameCommand((s, name) => s.ctx.backend.setSubscribed(s.accountId!, name, false));

export const RENAME: CommandSpec = {
  states: authenticatedStates,
  async run({ session, args }) {
    expectArgs(args, 2);
    const from = mailbox(args[0]);
    const to = mailbox(args[1]);
    if (!from || !to) throw bad('empty mailbox name');
    await session.ctx.backend.renameMailbox(session.accountId!, from, to);
    return undefined;
  },
};

const statusNames = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ'];

/** STATUS items (also LIST's RETURN (STATUS (…)), RFC 5819); BAD on an unknown one. */
export function statusItems(token: Token | undefined): string[] {
  const items = list(token, 'status items').map((t) => atom(t).toUpperCase());
  if (!items.length) throw bad('STATUS needs items');
  for (const item of items) if (!statusNames.includes(item)) throw bad(`unknown STATUS item ${item.slice(0, 20)}`);
  return items;
}

export async function statusLine(session: ImapSession, name: string, items: string[]): Promise<string> {
  const status = await session.ctx.backend.status(session.accountId!, name);
  const values: Record<string, number> = {
    MESSAGES: status.messages,
    RECENT: status.recent,
    UIDNEXT: status.uidNext,
    UIDVALIDITY: status.uidValidity,
    UNSEEN: status.unseen,
    HIGHESTMODSEQ: status.highestModseq,
  };
  return `* STATUS ${quotedName(name)} (${items.map((item) => `${item} ${values[item]}`).join(' ')})\r\n`;
}

export const STATUS: CommandSpec = {
  states: authenticatedStates,
  async run({ session, args }) {
    expectArgs(args, 2);
    const name = mailbox(args[0]);
    session.write(await statusLine(session, name, statusItems(args[1])));
    return undefined;
  },
};
