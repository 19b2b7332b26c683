// RFC 8621 §4.9 Email/parse (a message blob read as an Email without storing it: an attached
// message/rfc822, an upload) and §4.7 Email/copy.
import { z } from 'zod';
import { summarize } from '../../../mail/summary.ts';
import { readBlob } from '../blobs.ts';
import { MethodError } from '../errors.ts';
import type { Method } from '../services.ts';
import { limits } from '../session.ts';
import { bodyOptions, checkProperties, defaultProperties, parsedFields } from './emailGet.ts';

const args = z.object({ accountId: z.string(), blobIds: z.array(z.string().max(255)), properties: z.array(z.string()).nullable().optional() }).extend(bodyOptions.shape);

// What a blob has no answer for: it is in no mailbox of the account.
const storedOnly = ['id', 'mailboxIds', 'keywords', 'receivedAt', 'threadId'];
const parseDefaults = defaultProperties.filter((p) => !storedOnly.includes(p) && p !== 'blobId' && p !== 'size');

const parse: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, _call, { ctx, account }) {
    const a = args.parse(raw);
    if (a.blobIds.length > limits.maxObjectsInGet) throw new MethodError('requestTooLarge', `at most ${limits.maxObjectsInGet} blobs`);
    const properties = a.properties ?? parseDefaults;
    checkProperties(properties, a.bodyProperties ?? []);
    const parsed: Record<string, unknown> = {};
    const notParsable: string[] = [];
    const notFound: string[] = [];
    for (const blobId of new Set(a.blobIds)) {
      const data = await readBlob(ctx, account.id, blobId);
      if (!data) {
        notFound.push(blobId);
        continue;
      }
      // A message starts with a header field (RFC 5322 §2.2); anything else is not one.
      if (!/^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(data.toString('latin1', 0, 1000))) {
        notParsable.push(blobId);
        continue;
      }
      const summary = summarize(data);
      const email: Record<string, unknown> = parsedFields(data, blobId, properties.filter((p) => p !== 'preview' && p !== 'hasAttachment' && !storedOnly.includes(p) && p !== 'blobId' && p !== 'size'), a);
      for (const p of properties) {
        if (storedOnly.includes(p)) email[p] = null;
        else if (p === 'blobId') email.blobId = blobId;
        else if (p === 'size') email.size = data.length;
        else if (p === 'preview') email.preview = summary.preview;
        else if (p === 'hasAttachment') email.hasAttachment = summary.hasAttachments;
      }
      parsed[blobId] = email;
    }
    return [['Email/parse', { accountId: account.id, parsed, notParsable, notFound }]];
  },
};

const copyArgs = z.object({ fromAccountId: z.string(), accountId: z.string() }).loose();

/**
 * Copies go between accounts, and a signed-in user has exactly one (no shared accounts): any other
 * account id is one this user cannot see.
 */
const copy: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, _call, { account }) {
    const a = copyArgs.parse(raw);
    if (a.fromAccountId === account.id) throw new MethodError('invalidArguments', 'fromAccountId and accountId must differ (RFC 8621 §4.7); use Email/set to file an Email in more mailboxes');
    throw new MethodError('fromAccountNotFound');
  },
};

export const emailParseMethods: Record<string, Method> = { 'Email/parse': parse, 'Email/copy': copy };
