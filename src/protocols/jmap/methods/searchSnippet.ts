// RFC 8621 §5 SearchSnippet/get: where the words of a search are in the subject and the body, as
// HTML-escaped text with the matches in <mark>.
import { z } from 'zod';
import type { EmailFilter } from '../../../mail/emailTypes.ts';
import { highlighter, markMatches } from '../../../mail/searchTokens.ts';
import { summarize } from '../../../mail/summary.ts';
import { blobIdOfEmail } from '../../../store/mailChanges.ts';
import { MethodError } from '../errors.ts';
import type { Method } from '../services.ts';
import { id } from '../standard.ts';
import { limits } from '../session.ts';
import { queryArgs, toQuery } from './emailQuery.ts';

const args = z.object({ accountId: z.string(), filter: z.unknown().optional(), emailIds: z.array(id) });

/** The search texts of a filter that name the subject (`subject`, `text`) or the body (`body`, `text`), NOT branches left out. */
function searchTexts(f: EmailFilter | null, into: { subject: string[]; body: string[] } = { subject: [], body: [] }) {
  if (!f) return into;
  if ('operator' in f) {
    if (f.operator !== 'NOT') for (const c of f.conditions) searchTexts(c, into);
    return into;
  }
  for (const t of [f.text, f.subject]) if (t) into.subject.push(t);
  for (const t of [f.text, f.body]) if (t) into.body.push(t);
  return into;
}

/** A preview is at most 255 octets (§5.1). */
const previewBytes = 255;

const get: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx, account }) {
    const a = args.parse(raw);
    if (a.emailIds.length > limits.maxObjectsInGet) throw new MethodError('requestTooLarge', `at most ${limits.maxObjectsInGet} ids`);
    const filter = toQuery(queryArgs.parse({ accountId: a.accountId, filter: a.filter }), call).filter;
    const texts = searchTexts(filter);
    const inSubject = highlighter(texts.subject);
    const inBody = highlighter(texts.body);
    const blobs = a.emailIds.map((e) => blobIdOfEmail(call.resolveId(e) ?? ''));
    const emails = await ctx.emails.get(account.id, blobs.filter((b): b is string => b !== null));
    const list: { emailId: string; subject: string | null; preview: string | null }[] = [];
    const notFound: string[] = [];
    for (let i = 0; i < a.emailIds.length; i++) {
      const email = blobs[i] ? emails.get(blobs[i]!) : undefined;
      if (!email) {
        notFound.push(a.emailIds[i]);
        continue;
      }
      const body = inBody ? (summarize(await ctx.mail.read(email.first)).bodyText ?? '').replace(/\s+/g, ' ') : '';
      list.push({
        emailId: a.emailIds[i],
        subject: inSubject ? markMatches(email.first.subject, inSubject) : null,
        preview: inBody ? markMatches(body, inBody, previewBytes) : null,
      });
    }
    return [['SearchSnippet/get', { accountId: account.id, list, notFound }]];
  },
};

export const searchSnippetMethods: Record<string, Method> = { 'SearchSnippet/get': get };
