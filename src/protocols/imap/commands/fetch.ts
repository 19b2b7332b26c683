// FETCH and UID FETCH (RFC 3501 §6.4.5, CONDSTORE's MODSEQ and CHANGEDSINCE from RFC 7162).
import type { LoadedMessage, MessageMeta } from '../backend.ts';
import { bodyStructureValue, envelopeValue } from '../bodyStructure.ts';
import { formatDateTime } from '../imapDate.ts';
import { loadInBatches } from '../loading.ts';
import { Binary, raw as rawValue, serialize, type Chunk, type Value } from '../response.ts';
import { applyPartial, needsStructure, parseSection, sectionBytes, type Section } from '../sections.ts';
import { flagList } from '../selected.ts';
import type { Token } from '../tokens.ts';
import { binaryContent, parseBinaryItem, type BinaryItem } from './binary.ts';
import { atom, bad, expectArgs, list, number, selectedMailbox, selectedState, sequenceSet, type CommandSpec } from './args.ts';

type Item =
  | { kind: 'FLAGS' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODY' | 'BODYSTRUCTURE' | 'UID' | 'MODSEQ' }
  | { kind: 'section'; name: string; section: Section; peek: boolean }
  | BinaryItem;

const macros: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

const simple = new Set(['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY', 'BODYSTRUCTURE', 'UID', 'MODSEQ']);
const rfc822: Record<string, { name: string; section: string; peek: boolean }> = {
  RFC822: { name: 'RFC822', section: '', peek: false },
  'RFC822.HEADER': { name: 'RFC822.HEADER', section: 'HEADER', peek: true },
  'RFC822.TEXT': { name: 'RFC822.TEXT', section: 'TEXT', peek: false },
};

function parseItem(text: string): Item {
  const upper = text.toUpperCase();
  if (simple.has(upper)) return { kind: upper } as Item;
  const binary = parseBinaryItem(text);
  if (binary) return binary;
  if (rfc822[upper]) {
    const r = rfc822[upper];
    return { kind: 'section', name: r.name, section: parseSection(r.section, undefined), peek: r.peek };
  }
  const m = /^(BODY(?:\.PEEK)?)\[([^\]]*)\](<[^>]*>)?$/i.exec(text);
  if (!m) throw bad(`unknown FETCH item ${text.slice(0, 30)}`);
  let section: Section;
  try {
    section = parseSection(m[2], m[3]);
  } catch (err) {
    throw bad((err as Error).message);
  }
  return { kind: 'section', name: `BODY[${m[2]}]`, section, peek: m[1].toUpperCase() === 'BODY.PEEK' };
}

function parseItems(token: Token): Item[] {
  if (token.kind === 'atom' && macros[token.value.toUpperCase()]) return macros[token.value.toUpperCase()].map(parseItem);
  const tokens = token.kind === 'list' ? token.items : [token];
  if (!tokens.length) throw bad('empty FETCH item list');
  return tokens.map((t) => parseItem(atom(t, 'FETCH item')));
}

function respond(seq: number, message: MessageMeta, flags: string[], items: Item[], loaded: LoadedMessage, withUid: boolean, withModseq: boolean): Chunk[] {
  const parts: Value[] = [];
  const has = (kind: string) => items.some((i) => i.kind === kind);
  if (withUid && !has('UID')) parts.push(rawValue('UID'), message.uid);
  for (const item of items) {
    switch (item.kind) {
      case 'UID': parts.push(rawValue('UID'), message.uid); break;
      case 'FLAGS': parts.push(rawValue('FLAGS'), rawValue(flagList(flags))); break;
      case 'INTERNALDATE': parts.push(rawValue('INTERNALDATE'), formatDateTime(message.internalDate)); break;
      case 'RFC822.SIZE': parts.push(rawValue('RFC822.SIZE'), message.size); break;
      case 'MODSEQ': parts.push(rawValue('MODSEQ'), rawValue(`(${message.modseq})`)); break;
      case 'ENVELOPE': parts.push(rawValue('ENVELOPE'), envelopeValue(loaded.structure!.envelope)); break;
      case 'BODY': parts.push(rawValue('BODY'), bodyStructureValue(loaded.structure!.body, false)); break;
      case 'BODYSTRUCTURE': parts.push(rawValue('BODYSTRUCTURE'), bodyStructureValue(loaded.structure!.body, true)); break;
      case 'section': {
        const bytes = sectionBytes(loaded.raw!, loaded.structure?.body ?? null, item.section);
        const partial = item.section.partial;
        parts.push(rawValue(item.name + (partial ? `<${partial.start}>` : '')), bytes ? applyPartial(bytes, partial) : Buffer.alloc(0));
        break;
      }
      case 'binary': {
        const bytes = binaryContent(loaded.raw!, loaded.structure?.body ?? null, item.path);
        if (item.size) parts.push(rawValue(item.name), bytes.length);
        else parts.push(rawValue(item.name + (item.partial ? `<${item.partial.start}>` : '')), new Binary(applyPartial(bytes, item.partial)));
        break;
      }
    }
  }
  if (withModseq && !has('MODSEQ')) parts.push(rawValue('MODSEQ'), rawValue(`(${message.modseq})`));
  return [`* ${seq} FETCH `, ...serialize(parts), '\r\n'];
}

export const FETCH: CommandSpec = {
  states: selectedState,
  async run({ session, args, uid }) {
    expectArgs(args, 2, 3);
    const mailbox = selectedMailbox(session);
    const set = sequenceSet(args[0]);
    const items = parseItems(args[1]);
    let changedSince: number | null = null;
    if (args[2]) {
      const mods = list(args[2], 'FETCH modifiers');
      if (mods.length !== 2 || atom(mods[0]).toUpperCase() !== 'CHANGEDSINCE') throw bad('unknown FETCH modifier');
      changedSince = number(mods[1], 'CHANGEDSINCE');
      session.enableCondstore();
    }
    if (items.some((i) => i.kind === 'MODSEQ')) session.enableCondstore();
    const sections = items.filter((i) => i.kind === 'section');
    const binaries = items.filter((i) => i.kind === 'binary');
    const needRaw = sections.length > 0 || binaries.length > 0;
    const needStructure =
      items.some((i) => i.kind === 'ENVELOPE' || i.kind === 'BODY' || i.kind === 'BODYSTRUCTURE') || sections.some((i) => needsStructure(i.section)) || binaries.some((i) => i.path.length > 0);
    const marksSeen = !mailbox.readOnly && [...sections, ...binaries].some((i) => !i.peek);
    let expunged = false;
    const targets = mailbox.resolve(set, uid).filter(({ message }) => changedSince === null || message.modseq > changedSince);
    // \Seen for every fetched body in one write, not one per message.
    const unseen = marksSeen ? targets.filter(({ message }) => !message.flags.includes('\\Seen')).map(({ message }) => message.uid) : [];
    if (unseen.length) {
      const result = await session.ctx.backend.storeFlags(session.accountId!, mailbox.id, unseen, 'add', ['\\Seen']);
      for (const u of result.updated) mailbox.applyFlags(u.uid, u.flags, u.modseq);
    }
    const markedSeen = new Set(unseen);
    const withFlags: Item[] = items.some((i) => i.kind === 'FLAGS') ? items : [...items, { kind: 'FLAGS' }];
    const withModseq = session.condstore || changedSince !== null;
    for await (const batch of loadInBatches(session, mailbox.id, targets, { raw: needRaw, structure: needStructure })) {
      const out: Chunk[] = [];
      for (const [{ seq, message }, loaded] of batch) {
        if (!loaded) {
          expunged = true;
          continue;
        }
        const index = mailbox.indexOfUid(message.uid);
        const current = index >= 0 ? mailbox.messages[index] : message;
        const shown = markedSeen.has(message.uid) ? withFlags : items;
        out.push(...respond(seq, current, mailbox.flagsOf(current), shown, loaded, uid, withModseq));
      }
      await session.writeChunks(out);
    }
    // RFC 5530: the messages another session expunged are left out, and the client is told so.
    return expunged ? '[EXPUNGEISSUED] Some messages were expunged meanwhile' : undefined;
  },
};
