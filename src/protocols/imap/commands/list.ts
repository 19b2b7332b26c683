// LIST and LSUB (RFC 3501), and LIST-EXTENDED (RFC 5258): selection options SUBSCRIBED, REMOTE,
// RECURSIVEMATCH and SPECIAL-USE (RFC 6154), several patterns, and RETURN (SUBSCRIBED CHILDREN
// SPECIAL-USE STATUS (…)) of LIST-STATUS (RFC 5819).
import type { MailboxInfo } from '../backend.ts';
import type { ImapSession } from '../session.ts';
import type { Token } from '../tokens.ts';
import { decodeMailboxName } from '../utf7.ts';
import { atom, authenticatedStates, bad, list, mailbox, text, type CommandSpec } from './args.ts';
import { quotedName, statusItems, statusLine } from './mailboxes.ts';

/** A name LIST may show: a mailbox, a subscription without one, or a parent that only its children imply. */
interface Node {
  name: string;
  exists: boolean;
  subscribed: boolean;
  specialUse?: string;
}

/** The matcher of a reference and a pattern; null when the pattern is not modified UTF-7 (it matches nothing). */
function matcher(reference: string, pattern: string): RegExp | null {
  let full = reference ? `${reference}/${pattern}` : pattern;
  if (/^inbox(\/|$)/i.test(full)) full = 'INBOX' + full.slice(5);
  try {
    full = decodeMailboxName(full);
  } catch {
    return null;
  }
  const body = full.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*');
  return new RegExp(`^${body}$`, 'i');
}

function parents(name: string): string[] {
  const parts = name.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The given names, plus the parents that those in `withParents` imply. */
function nodes(boxes: MailboxInfo[], withParents: MailboxInfo[]): Map<string, Node> {
  const all = new Map<string, Node>();
  for (const b of boxes) all.set(b.name, { name: b.name, exists: !b.nonexistent, subscribed: b.subscribed, specialUse: b.specialUse });
  for (const b of withParents) for (const p of parents(b.name)) if (!all.has(p)) all.set(p, { name: p, exists: false, subscribed: false });
  return all;
}

const byName = (a: Node, b: Node) => (a.name === 'INBOX' ? -1 : b.name === 'INBOX' ? 1 : a.name.localeCompare(b.name));
const hasChildren = (all: Map<string, Node>, name: string) => [...all.values()].some((n) => n.exists && n.name.startsWith(name + '/'));

/** RFC 3501 LIST ("" names the hierarchy delimiter) and LSUB (for "%", unsubscribed parents as \Noselect). */
async function plainList(session: ImapSession, command: 'LIST' | 'LSUB', reference: string, pattern: string): Promise<string> {
  if (pattern === '' && command === 'LIST') return `* LIST (\\Noselect) "/" ""\r\n`;
  const match = matcher(reference, pattern);
  if (!match) return '';
  const boxes = await session.ctx.backend.listMailboxes(session.accountId!);
  const lsub = command === 'LSUB';
  const shown = boxes.filter((b) => (lsub ? b.subscribed : !b.nonexistent));
  const all = nodes(shown, lsub && !pattern.includes('%') ? [] : shown);
  let out = '';
  for (const node of [...all.values()].sort(byName)) {
    if (!match.test(node.name)) continue;
    const implied = lsub ? !node.subscribed : !node.exists;
    const attrs = implied ? ['\\Noselect'] : [];
    if (!lsub) attrs.push(hasChildren(all, node.name) ? '\\HasChildren' : '\\HasNoChildren');
    if (node.specialUse && !lsub) attrs.push(node.specialUse);
    out += `* ${command} (${attrs.join(' ')}) "/" ${quotedName(node.name)}\r\n`;
  }
  return out;
}

interface Extended {
  select: Set<string>;
  returns: Set<string>;
  status: string[] | null;
}

const selectOptions = ['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE'];
const returnOptions = ['SUBSCRIBED', 'CHILDREN', 'SPECIAL-USE'];

function parseExtended(selection: Token[], returning: Token[] | null): Extended {
  const select = new Set(selection.map((t) => atom(t, 'selection option').toUpperCase()));
  for (const o of select) if (!selectOptions.includes(o)) throw bad(`unknown LIST selection option ${o.slice(0, 20)}`);
  if (select.has('RECURSIVEMATCH') && !select.has('SUBSCRIBED') && !select.has('SPECIAL-USE')) throw bad('RECURSIVEMATCH needs SUBSCRIBED or SPECIAL-USE');
  const returns = new Set<string>();
  let status: string[] | null = null;
  for (let i = 0; returning && i < returning.length; i++) {
    const o = atom(returning[i], 'return option').toUpperCase();
    if (o === 'STATUS') status = statusItems(returning[++i]);
    else if (returnOptions.includes(o)) returns.add(o);
    else throw bad(`unknown LIST return option ${o.slice(0, 20)}`);
  }
  return { select, returns, status };
}

/** RFC 5258 §3: what the selection options pick; RECURSIVEMATCH adds CHILDINFO to parents of picked names. */
async function extendedList(session: ImapSession, reference: string, patterns: string[], options: Extended): Promise<string> {
  const matchers = patterns.map((p) => matcher(reference, p)).filter((m) => m !== null);
  const matches = (name: string) => matchers.some((m) => m.test(name));
  const { select, returns } = options;
  const boxes = await session.ctx.backend.listMailboxes(session.accountId!);
  const all = nodes(boxes, boxes.filter((b) => !b.nonexistent));
  const criteria = ['SUBSCRIBED', 'SPECIAL-USE'].filter((c) => select.has(c));
  const picked = (n: Node) =>
    (!select.has('SUBSCRIBED') || n.subscribed) && (!select.has('SPECIAL-USE') || (n.exists && !!n.specialUse)) && (criteria.length > 0 || n.exists || !n.subscribed);
  const showSubscribed = select.has('SUBSCRIBED') || returns.has('SUBSCRIBED');
  let out = '';
  for (const node of [...all.values()].sort(byName)) {
    if (!matches(node.name)) continue;
    let childInfo = '';
    if (!picked(node)) {
      const descendants = [...all.values()].filter((d) => d.name.startsWith(node.name + '/') && picked(d) && !matches(d.name));
      if (!select.has('RECURSIVEMATCH') || !descendants.length) continue;
      childInfo = ` (CHILDINFO (${criteria.map((c) => `"${c}"`).join(' ')}))`;
    }
    const attrs = node.exists ? [] : ['\\NonExistent'];
    if (showSubscribed && node.subscribed) attrs.push('\\Subscribed');
    if (returns.has('CHILDREN')) attrs.push(hasChildren(all, node.name) ? '\\HasChildren' : '\\HasNoChildren');
    // Special-use attributes come whether or not RETURN (SPECIAL-USE) asks, as in a plain LIST.
    if (node.exists && node.specialUse) attrs.push(node.specialUse);
    out += `* LIST (${attrs.join(' ')}) "/" ${quotedName(node.name)}${childInfo}\r\n`;
    if (options.status && node.exists) out += await statusLine(session, node.name, options.status);
  }
  return out;
}

function listCommand(command: 'LIST' | 'LSUB'): CommandSpec {
  return {
    states: authenticatedStates,
    async run({ session, args }) {
      const rest = [...args];
      const selection = command === 'LIST' && rest[0]?.kind === 'list' ? rest.shift()! : null;
      if (rest.length < 2) throw bad(`${command} needs a reference and a mailbox pattern`);
      const reference = mailbox(rest[0]);
      const patternToken = rest[1];
      let returning: Token[] | null = null;
      if (rest.length > 2) {
        if (command !== 'LIST' || rest.length !== 4 || atom(rest[2], 'RETURN').toUpperCase() !== 'RETURN') throw bad(`unexpected ${command} arguments`);
        returning = list(rest[3], 'return options');
      }
      if (!selection && !returning && patternToken.kind !== 'list') {
        session.write(await plainList(session, command, reference, text(patternToken, 'pattern')));
        return undefined;
      }
      const patterns = patternToken.kind === 'list' ? patternToken.items.map((t) => text(t, 'pattern')) : [text(patternToken, 'pattern')];
      if (!patterns.length) throw bad('empty pattern list');
      const options = parseExtended(selection?.kind === 'list' ? selection.items : [], returning);
      session.write(await extendedList(session, reference, patterns, options));
      return undefined;
    },
  };
}

export const LIST = listCommand('LIST');
export const LSUB = listCommand('LSUB');
