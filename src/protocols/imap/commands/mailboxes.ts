// Mailbox commands: SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS.
import type { MailboxInfo } from '../backend.ts';
import { ImapError, type ImapSession } from '../session.ts';
import { serialize } from '../response.ts';
import { decodeMailboxName, encodeMailboxName } from '../utf7.ts';
import { atom, authenticatedStates, bad, expectArgs, list, mailbox, text, type CommandSpec } from './args.ts';

function quotedName(name: string): string {
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

function patternRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*');
  return new RegExp(`^${body}$`, 'i');
}

/** LSUB's view: subscribed mailboxes, and for "%" their unsubscribed parents as \\Noselect (RFC 3501 §6.3.9). */
function subscribedView(boxes: MailboxInfo[], percent: boolean): Map<string, MailboxInfo | null> {
  const all = new Map<string, MailboxInfo | null>();
  for (const box of boxes) if (box.subscribed) all.set(box.name, box);
  if (percent) {
    for (const name of [...all.keys()]) {
      const parts = name.split('/');
      for (let i = 1; i < parts.length; i++) {
        const parent = parts.slice(0, i).join('/');
        if (!all.has(parent)) all.set(parent, null);
      }
    }
  }
  return all;
}

/** Every mailbox plus the parents they imply (listed as \Noselect when they do not exist). */
function withParents(boxes: MailboxInfo[]): Map<string, MailboxInfo | null> {
  const all = new Map<string, MailboxInfo | null>();
  for (const box of boxes) all.set(box.name, box);
  for (const box of boxes) {
    const parts = box.name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!all.has(parent)) all.set(parent, null);
    }
  }
  return all;
}

function listCommand(lsub: boolean): CommandSpec {
  return {
    states: authenticatedStates,
    async run({ session, args, name: command }) {
      expectArgs(args, 2);
      const reference = mailbox(args[0]);
      const pattern = text(args[1], 'pattern');
      if (pattern === '' && !lsub) {
        session.write(`* LIST (\\Noselect) "/" ""\r\n`);
        return undefined;
      }
      let full = reference ? `${reference}/${pattern}` : pattern;
      if (/^inbox(\/|$)/i.test(full)) full = 'INBOX' + full.slice(5);
      let matcher: RegExp;
      try {
        matcher = patternRegex(decodeMailboxName(full));
      } catch {
        // Not modified UTF-7: no mailbox matches it.
        return undefined;
      }
      const boxes = await session.ctx.backend.listMailboxes(session.accountId!);
      const all = lsub ? subscribedView(boxes, pattern.includes('%')) : withParents(boxes);
      const names = [...all.keys()].sort((a, b) => (a === 'INBOX' ? -1 : b === 'INBOX' ? 1 : a.localeCompare(b)));
      let out = '';
      for (const name of names) {
        if (!matcher.test(name)) continue;
        const box = all.get(name);
        const attrs: string[] = [];
        if (!box) attrs.push('\\Noselect');
        const hasChildren = names.some((n) => n.startsWith(name + '/'));
        if (!lsub) attrs.push(hasChildren ? '\\HasChildren' : '\\HasNoChildren');
        if (box?.specialUse && !lsub) attrs.push(box.specialUse);
        out += `* ${command} (${attrs.join(' ')}) "/" ${quotedName(name)}\r\n`;
      }
      session.write(out);
      return undefined;
    },
  };
}

export const LIST = listCommand(false);
export const LSUB = listCommand(true);

export const STATUS: CommandSpec = {
  states: authenticatedStates,
  async run({ session, args }) {
    expectArgs(args, 2);
    const name = mailbox(args[0]);
    const items = list(args[1], 'status items').map((t) => atom(t).toUpperCase());
    if (!items.length) throw bad('STATUS needs items');
    const status = await session.ctx.backend.status(session.accountId!, name);
    const values: Record<string, number> = {
      MESSAGES: status.messages,
      RECENT: status.recent,
      UIDNEXT: status.uidNext,
      UIDVALIDITY: status.uidValidity,
      UNSEEN: status.unseen,
      HIGHESTMODSEQ: status.highestModseq,
    };
    const parts = items.map((item) => {
      if (!(item in values)) throw bad(`unknown STATUS item ${item.slice(0, 20)}`);
      return `${item} ${values[item]}`;
    });
    session.write(`* STATUS ${quotedName(name)} (${parts.join(' ')})\r\n`);
    return undefined;
  },
};
