// Commands valid in any state, and the small ones of the authenticated states.
import { ImapError } from '../session.ts';
import { serialize } from '../response.ts';
import { anyState, atom, authenticatedStates, bad, expectArgs, selectedState, type CommandSpec } from './args.ts';

export const CAPABILITY: CommandSpec = {
  states: anyState,
  async run({ session, args }) {
    expectArgs(args, 0);
    session.write(`* CAPABILITY ${session.capabilities().join(' ')}\r\n`);
    return undefined;
  },
};

export const NOOP: CommandSpec = { states: anyState, run: async ({ args }) => (expectArgs(args, 0), undefined) };

export const CHECK: CommandSpec = { states: selectedState, run: async ({ args }) => (expectArgs(args, 0), undefined) };

export const LOGOUT: CommandSpec = {
  states: anyState,
  async run({ session, tag, args }) {
    expectArgs(args, 0);
    session.close(`* BYE Logging out\r\n${tag} OK LOGOUT completed\r\n`);
    return null;
  },
};

/** RFC 2971: logs nothing of the client's data and answers with the server's name. */
export const ID: CommandSpec = {
  states: anyState,
  async run({ session, args }) {
    expectArgs(args, 1);
    if (args[0].kind !== 'list' && !(args[0].kind === 'atom' && args[0].value.toUpperCase() === 'NIL')) throw bad('ID needs a list or NIL');
    if (args[0].kind === 'list' && args[0].items.length > 60) throw bad('ID list too long');
    session.write(`* ID ${serialize(['name', 'Postern', 'vendor', 'Postern']).join('')}\r\n`);
    return undefined;
  },
};

export const ENABLE: CommandSpec = {
  states: authenticatedStates,
  async run({ session, args }) {
    if (!args.length) throw bad('ENABLE needs capability names');
    const enabled: string[] = [];
    for (const token of args) {
      const name = atom(token, 'capability').toUpperCase();
      if (name === 'CONDSTORE' && !session.condstore) {
        session.enableCondstore();
        enabled.push(name);
      }
    }
    session.write(`* ENABLED${enabled.map((e) => ' ' + e).join('')}\r\n`);
    return undefined;
  },
};

export const NAMESPACE: CommandSpec = {
  states: authenticatedStates,
  async run({ session, args }) {
    expectArgs(args, 0);
    session.write('* NAMESPACE (("" "/")) NIL NIL\r\n');
    return undefined;
  },
};

export const UNSELECT: CommandSpec = {
  states: selectedState,
  async run({ session, args }) {
    expectArgs(args, 0);
    session.unselect();
    return undefined;
  },
};

/** CLOSE: expunges silently (unless read-only) and leaves the selected state. */
export const CLOSE: CommandSpec = {
  states: selectedState,
  async run({ session, args }) {
    expectArgs(args, 0);
    const mailbox = session.selected!;
    if (!mailbox.readOnly) {
      const uids = mailbox.messages.filter((m) => m.flags.includes('\\Deleted')).map((m) => m.uid);
      if (uids.length) await session.ctx.backend.expunge(session.accountId!, mailbox.id, uids);
    }
    session.unselect();
    return undefined;
  },
};

export function requireWritable(readOnly: boolean): void {
  if (readOnly) throw new ImapError('NO', 'Mailbox is read-only', 'READ-ONLY');
}

