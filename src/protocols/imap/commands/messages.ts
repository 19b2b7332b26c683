// STORE, COPY, MOVE, EXPUNGE (and their UID forms, UIDPLUS responses), IDLE.
import { BackendError } from '../backend.ts';
import { formatSequenceSet } from '../sequence.ts';
import { ImapError } from '../session.ts';
import { atom, bad, expectArgs, flags, mailbox, number, selectedMailbox, selectedState, sequenceSet, authenticatedStates, type CommandSpec } from './args.ts';
import { requireWritable } from './general.ts';

/** A missing target mailbox is answered with TRYCREATE so clients know to create it. */
export async function withTryCreate<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof BackendError && err.code === 'NONEXISTENT') throw new ImapError('NO', err.message, 'TRYCREATE');
    throw err;
  }
}

export const STORE: CommandSpec = {
  states: selectedState,
  async run({ session, args, uid }) {
    const mailbox = selectedMailbox(session);
    requireWritable(mailbox.readOnly);
    if (args.length < 3) throw bad('STORE needs a sequence set, an item and flags');
    const set = sequenceSet(args[0]);
    let rest = args.slice(1);
    let unchangedSince: number | undefined;
    if (rest[0].kind === 'list') {
      const mods = rest[0].items;
      if (mods.length !== 2 || atom(mods[0]).toUpperCase() !== 'UNCHANGEDSINCE') throw bad('unknown STORE modifier');
      unchangedSince = number(mods[1], 'UNCHANGEDSINCE');
      session.enableCondstore();
      rest = rest.slice(1);
    }
    const m = /^([+-]?)FLAGS(\.SILENT)?$/i.exec(atom(rest[0], 'STORE item'));
    if (!m) throw bad('STORE item must be FLAGS, +FLAGS or -FLAGS');
    const values = flags(rest.length === 2 && rest[1].kind === 'list' ? rest[1].items : rest.slice(1));
    const op = m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set';
    const targets = mailbox.resolve(set, uid).map((t) => t.message.uid);
    const result = targets.length
      ? await session.ctx.backend.storeFlags(session.accountId!, mailbox.id, targets, op, values, unchangedSince)
      : { updated: [], modified: [] };
    let out = '';
    for (const u of result.updated) {
      const index = mailbox.applyFlags(u.uid, u.flags, u.modseq);
      if (index >= 0 && (!m[2] || unchangedSince !== undefined)) out += mailbox.fetchFlagsLine(index, session.condstore);
    }
    session.write(mailbox.newKeywordLines() + out);
    if (result.modified.length) {
      const numbers = uid ? result.modified : result.modified.map((u) => mailbox.indexOfUid(u) + 1).filter((n) => n > 0);
      return `[MODIFIED ${formatSequenceSet(numbers.sort((a, b) => a - b))}] Conditional STORE failed for some messages`;
    }
    return undefined;
  },
};

function copyCommand(move: boolean): CommandSpec {
  return {
    states: selectedState,
    async run({ session, args, uid }) {
      expectArgs(args, 2);
      const box = selectedMailbox(session);
      if (move) requireWritable(box.readOnly);
      const set = sequenceSet(args[0]);
      const target = mailbox(args[1]);
      const uids = box.resolve(set, uid).map((t) => t.message.uid);
      if (!uids.length) return uid ? undefined : `${move ? 'MOVE' : 'COPY'} completed (no messages)`;
      const backend = session.ctx.backend;
      const result = await withTryCreate(move ? backend.move(session.accountId!, box.id, uids, target) : backend.copy(session.accountId!, box.id, uids, target));
      await session.seeOwnAdditions(result.uidValidity, result.destinationUids);
      const code = result.sourceUids.length ? `[COPYUID ${result.uidValidity} ${formatSequenceSet(result.sourceUids)} ${formatSequenceSet(result.destinationUids)}]` : '';
      if (!move) return `${code} COPY completed`;
      let out = code ? `* OK ${code} Moved\r\n` : '';
      for (const u of result.sourceUids) out += box.applyExpunge(u);
      session.write(out);
      return 'MOVE completed';
    },
  };
}

export const COPY = copyCommand(false);
export const MOVE = copyCommand(true);

export const EXPUNGE: CommandSpec = {
  states: selectedState,
  async run({ session, args, uid }) {
    expectArgs(args, uid ? 1 : 0);
    const mailbox = selectedMailbox(session);
    requireWritable(mailbox.readOnly);
    const candidates = uid ? mailbox.resolve(sequenceSet(args[0]), true).map((t) => t.message) : mailbox.messages;
    const uids = candidates.filter((m) => m.flags.includes('\\Deleted')).map((m) => m.uid);
    const removed = uids.length ? await session.ctx.backend.expunge(session.accountId!, mailbox.id, uids) : [];
    let out = '';
    for (const u of removed) out += mailbox.applyExpunge(u);
    session.write(out);
    return undefined;
  },
};

export const IDLE: CommandSpec = {
  states: authenticatedStates,
  async run({ session, tag, args }) {
    if (args.length) throw bad('IDLE takes no arguments');
    session.startIdle(tag);
    return null;
  },
};
