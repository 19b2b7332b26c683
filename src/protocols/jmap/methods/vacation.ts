// RFC 8621 §8: VacationResponse/get and /set, one object per account with the id "singleton".
// The response itself is sent on delivery (src/mail/autoReply.ts).
import { z } from 'zod';
import type { VacationRecord } from '../../../mail/mailSettings.ts';
import { SetFailure, setError } from '../errors.ts';
import { utcDate } from '../headers.ts';
import type { Method } from '../services.ts';
import { beginSet, currentState, getArgs, pick } from '../standard.ts';
import { capability } from '../session.ts';

const vacationCapability = capability.vacationResponse;
const singleton = 'singleton';
const properties = ['id', 'isEnabled', 'fromDate', 'toDate', 'subject', 'textBody', 'htmlBody'] as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'not a UTCDate').nullable();
const patchSchema = z
  .object({
    id: z.literal(singleton),
    isEnabled: z.boolean(),
    fromDate: date,
    toDate: date,
    subject: z.string().max(998).nullable(),
    textBody: z.string().max(256 * 1024).nullable(),
    htmlBody: z.string().max(256 * 1024).nullable(),
  })
  .partial()
  .strict();

const render = (v: VacationRecord) => ({
  id: singleton,
  isEnabled: v.isEnabled,
  fromDate: v.fromDate && utcDate(v.fromDate),
  toDate: v.toDate && utcDate(v.toDate),
  subject: v.subject,
  textBody: v.textBody,
  htmlBody: v.htmlBody,
});

const get: Method = {
  capability: vacationCapability,
  async run(raw, call, { ctx, account }) {
    const a = getArgs.parse(raw);
    const ids = a.ids?.map((i) => call.resolveId(i) ?? i) ?? [singleton];
    const list = ids.includes(singleton) ? [render(await ctx.mailSettings.vacation(account.id))] : [];
    const notFound = (a.ids ?? []).filter((i) => i !== singleton);
    return [['VacationResponse/get', { accountId: account.id, state: await currentState(ctx, account.id, 'VacationResponse'), list: pick(list, a.properties, properties), notFound }]];
  },
};

const set: Method = {
  capability: vacationCapability,
  async run(raw, _call, { ctx, account }) {
    const { args: a, oldState } = await beginSet(ctx, account.id, 'VacationResponse', raw);
    const notCreated = Object.fromEntries(Object.keys(a.create ?? {}).map((k) => [k, { type: 'singleton', description: 'there is one VacationResponse, "singleton"; update it' }]));
    const notDestroyed = Object.fromEntries((a.destroy ?? []).map((k) => [k, { type: k === singleton ? 'singleton' : 'notFound' }]));
    const updated: Record<string, null> = {};
    const notUpdated: Record<string, unknown> = {};
    for (const [id, patch] of Object.entries(a.update ?? {})) {
      try {
        if (id !== singleton) throw new SetFailure('notFound');
        const parsed = patchSchema.safeParse(patch);
        if (!parsed.success) throw new SetFailure('invalidProperties', parsed.error.issues[0].message, [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))]);
        const p = parsed.data;
        const current = await ctx.mailSettings.vacation(account.id);
        const next: VacationRecord = {
          isEnabled: p.isEnabled ?? current.isEnabled,
          fromDate: p.fromDate === undefined ? current.fromDate : p.fromDate === null ? null : new Date(p.fromDate),
          toDate: p.toDate === undefined ? current.toDate : p.toDate === null ? null : new Date(p.toDate),
          subject: p.subject === undefined ? current.subject : p.subject,
          textBody: p.textBody === undefined ? current.textBody : p.textBody,
          htmlBody: p.htmlBody === undefined ? current.htmlBody : p.htmlBody,
        };
        if (next.fromDate && next.toDate && next.toDate <= next.fromDate) throw new SetFailure('invalidProperties', 'toDate is after fromDate', ['toDate']);
        await ctx.mailSettings.setVacation(account.id, next);
        updated[id] = null;
      } catch (err) {
        notUpdated[id] = setError(err);
      }
    }
    const newState = await currentState(ctx, account.id, 'VacationResponse');
    return [['VacationResponse/set', { accountId: account.id, oldState, newState, created: {}, updated, destroyed: [], notCreated, notUpdated, notDestroyed }]];
  },
};

export const vacationMethods: Record<string, Method> = { 'VacationResponse/get': get, 'VacationResponse/set': set };
