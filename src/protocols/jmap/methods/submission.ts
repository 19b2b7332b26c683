// RFC 8621 §7: EmailSubmission/get|set. Sending goes through the one submission
// path of SMTP (src/mail/submit.ts: sender identity, local delivery, relay with DKIM), and what was
// sent lands in Sent exactly once: as the Email moved there by onSuccessUpdateEmail, or as a copy.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../../../context.ts';
import { PosternError } from '../../../core/errors.ts';
import type { AccountRecord } from '../../../core/ports.ts';
import { addTraceHeaders, headerAddresses } from '../../../mail/headers.ts';
import { submitMessage } from '../../../mail/submit.ts';
import type { Call } from '../engine.ts';
import { SetFailure, setError } from '../errors.ts';
import type { Method } from '../services.ts';
import { checkSetSize, checkState, getArgs, pick, setArgs, wantedIds } from '../standard.ts';
import { findEmail, updateEmail } from './emailSet.ts';

const submissionState = async (ctx: Context, accountId: string) => {
  const [latest] = await ctx.emails.repo.submissions(accountId, null);
  return latest ? String(latest.sendAt.getTime()) + latest.id.slice(0, 4) : '0';
};

const render = (s: Awaited<ReturnType<Context['emails']['repo']['submissions']>>[number]) => ({
  id: s.id,
  identityId: s.identityId,
  emailId: s.emailId,
  threadId: s.threadId,
  envelope: { mailFrom: { email: s.envelope.mailFrom.email, parameters: null }, rcptTo: s.envelope.rcptTo.map((r) => ({ email: r.email, parameters: null })) },
  sendAt: s.sendAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  undoStatus: 'final',
  deliveryStatus: null,
  dsnBlobIds: [],
  mdnBlobIds: [],
});

const submissionGet: Method = {
  capability: 'urn:ietf:params:jmap:submission',
  async run(raw, call, { ctx, account }) {
    const a = getArgs.parse(raw);
    const want = wantedIds(a.ids, call);
    const found = await ctx.emails.repo.submissions(account.id, want ? want.resolved.filter((r): r is string => r !== null) : null);
    const list = found.map(render);
    const notFound = want ? want.asked.filter((_, i) => !found.some((s) => s.id === want.resolved[i])) : [];
    return [['EmailSubmission/get', { accountId: account.id, state: await submissionState(ctx, account.id), list: pick(list, a.properties, Object.keys(render(found[0] ?? { id: '', identityId: '', emailId: '', threadId: '', envelope: { mailFrom: { email: '' }, rcptTo: [] }, sendAt: new Date(0) }))), notFound }]];
  },
};

const envelopeSchema = z.object({ mailFrom: z.object({ email: z.string().max(320), parameters: z.null().optional() }), rcptTo: z.array(z.object({ email: z.string().max(320), parameters: z.null().optional() })).max(100) });
const createSchema = z.object({ identityId: z.string(), emailId: z.string(), envelope: envelopeSchema.nullable().optional() }).strict();
const submissionSetArgs = setArgs.extend({
  update: z.record(z.string(), z.unknown()).nullable().optional(),
  onSuccessUpdateEmail: z.record(z.string(), z.record(z.string(), z.unknown())).nullable().optional(),
  onSuccessDestroyEmail: z.array(z.string()).nullable().optional(),
});

/** The header block without its Bcc fields: recipients never see who else got a blind copy. */
function withoutBcc(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const kept = head.split(/\r?\n(?![ \t])/).filter((field) => !/^bcc[ \t]*:/i.test(field));
  return Buffer.from(kept.join('\r\n') + (end < 0 ? '' : text.slice(end)), 'latin1');
}

/** Whether the success patch for this submission puts its Email into the Sent mailbox. */
function patchPutsInSent(patch: Record<string, unknown> | undefined, sentId: string): boolean {
  if (!patch) return false;
  if (patch[`mailboxIds/${sentId}`] === true) return true;
  const full = patch.mailboxIds;
  return !!full && typeof full === 'object' && (full as Record<string, unknown>)[sentId] === true;
}

const failures: Record<string, string> = { sender_not_owned: 'forbiddenFrom', unknown_recipient: 'invalidRecipients', relay_not_configured: 'forbiddenToSend', quota_exceeded: 'overQuota', message_too_large: 'tooLarge' };

async function send(ctx: Context, account: AccountRecord, call: Call, cid: string, value: unknown, successPatch: Record<string, unknown> | undefined, remoteIp: string) {
  const parsed = createSchema.safeParse(value);
  if (!parsed.success) throw new SetFailure('invalidProperties', parsed.error.issues[0].message, parsed.error.issues.map((i) => String(i.path[0])));
  const identity = (await ctx.mailSettings.identities(account)).find((i) => i.id === (call.resolveId(parsed.data.identityId) ?? ''));
  if (!identity) throw new SetFailure('invalidProperties', 'no such identity', ['identityId']);
  const email = await findEmail(ctx, account.id, parsed.data.emailId, call).catch(() => {
    throw new SetFailure('invalidProperties', 'no such Email', ['emailId']);
  });
  const raw = await ctx.mail.read(email.first);
  const recipients = parsed.data.envelope?.rcptTo.map((r) => r.email) ?? [...new Set(['to', 'cc', 'bcc'].flatMap((h) => headerAddresses(raw, h)).filter(Boolean))];
  if (recipients.length === 0) throw new SetFailure('noRecipients');
  const envelopeFrom = parsed.data.envelope?.mailFrom.email ?? identity.email;
  const id = `S${randomBytes(12).toString('base64url')}`;
  const message = addTraceHeaders(withoutBcc(raw), { clientHostname: 'jmap', remoteAddress: remoteIp, hostname: ctx.config.mailHostname, protocol: 'HTTPSA', id, now: ctx.clock.now() }, true);
  const sent = await ctx.mail.specialMailbox(account.id, '\\Sent');
  try {
    await submitMessage(
      { accounts: ctx.accounts.repo, mail: ctx.mail, relay: ctx.relay, log: ctx.log, autoReply: ctx.autoReply, sendingAddresses: (a) => ctx.accounts.sendingAddresses(a) },
      { account, envelopeFrom, recipients, message, sentCopy: !patchPutsInSent(successPatch, sent.id) },
    );
  } catch (err) {
    if (err instanceof PosternError && failures[err.code]) throw new SetFailure(failures[err.code], err.code === 'unknown_recipient' ? String(err.params.address) : undefined);
    throw err;
  }
  const record = { id, identityId: identity.id, emailId: `M${email.blobId}`, threadId: email.threadId, envelope: { mailFrom: { email: envelopeFrom }, rcptTo: recipients.map((email) => ({ email })) }, sendAt: ctx.clock.now() };
  await ctx.emails.repo.addSubmission(account.id, record);
  call.createdIds.set(cid, id);
  return record;
}

const submissionSet: Method = {
  capability: 'urn:ietf:params:jmap:submission',
  async run(raw, call, { ctx, account, remoteIp }) {
    const a = submissionSetArgs.parse(raw);
    checkSetSize(a.create, a.update, a.destroy);
    const oldState = await submissionState(ctx, account.id);
    checkState(a.ifInState, oldState);
    const created: Record<string, unknown> = {};
    const notCreated: Record<string, unknown> = {};
    const done = new Map<string, { id: string; emailId: string }>();
    for (const [cid, value] of Object.entries(a.create ?? {})) {
      try {
        const record = await send(ctx, account, call, cid, value, a.onSuccessUpdateEmail?.[`#${cid}`], remoteIp);
        done.set(`#${cid}`, record);
        created[cid] = { id: record.id, threadId: record.threadId, sendAt: render({ ...record }).sendAt, undoStatus: 'final' };
      } catch (err) {
        notCreated[cid] = setError(err);
      }
    }
    // Submissions are final at once (no delayed send): they cannot be changed or cancelled.
    const notUpdated = Object.fromEntries(Object.keys(a.update ?? {}).map((k) => [k, { type: 'cannotUnsend' }]));
    const notDestroyed = Object.fromEntries((a.destroy ?? []).map((k) => [k, { type: 'forbidden', description: 'sent mail cannot be unsent' }]));
    const responses: [string, Record<string, unknown>][] = [
      ['EmailSubmission/set', { accountId: account.id, oldState, newState: await submissionState(ctx, account.id), created, notCreated, updated: {}, notUpdated, destroyed: [], notDestroyed }],
    ];
    const emailOf = (key: string) => done.get(key)?.emailId;
    const updates = Object.entries(a.onSuccessUpdateEmail ?? {}).filter(([k]) => emailOf(k));
    const destroys = (a.onSuccessDestroyEmail ?? []).filter((k) => emailOf(k));
    if (updates.length || destroys.length) {
      const emailState = async () => String(await ctx.emails.repo.state(account.id, 'Email'));
      const result = { accountId: account.id, oldState: await emailState(), newState: '', updated: {} as Record<string, null>, notUpdated: {} as Record<string, unknown>, destroyed: [] as string[], notDestroyed: {} as Record<string, unknown> };
      for (const [key, patch] of updates) {
        const emailId = emailOf(key)!;
        try {
          await updateEmail(ctx, account, await findEmail(ctx, account.id, emailId, call), patch, call);
          result.updated[emailId] = null;
        } catch (err) {
          result.notUpdated[emailId] = setError(err);
        }
      }
      for (const key of destroys) {
        const emailId = emailOf(key)!;
        try {
          await ctx.emails.destroy(await findEmail(ctx, account.id, emailId, call));
          result.destroyed.push(emailId);
        } catch (err) {
          result.notDestroyed[emailId] = setError(err);
        }
      }
      result.newState = await emailState();
      responses.push(['Email/set', result]);
    }
    return responses;
  },
};

export const submissionMethods: Record<string, Method> = { 'EmailSubmission/get': submissionGet, 'EmailSubmission/set': submissionSet };
