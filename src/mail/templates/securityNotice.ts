import { maskEmail } from '../../core/mask.ts';
import { t, type Lang } from '../../i18n/index.ts';
import type { OutgoingMail, SecurityNoticeInput } from '../../core/messagePorts.ts';
import { escapeHtml as e } from './html.ts';
import { footerHtml, greetingName, htmlLines, mailPage, operationLines, postmasterOf, textLines, type Line } from './operation.ts';

interface Facts {
  subject: string;
  greeting: string;
  what: string;
  where: string;
  lines: Line[];
  ifNotYou: string;
  settings: string;
  settingsUrl: string;
  help: string | null;
  footer: string;
}

function facts(input: SecurityNoticeInput): Facts {
  const { lang } = input;
  const contacts = [input.help.phone, input.help.email].filter(Boolean).join(', ');
  return {
    subject: t(lang, `mail.notice.subject.${input.kind}`),
    greeting: t(lang, 'mail.verification.greeting', { name: greetingName(input.account) }),
    what: t(lang, `mail.notice.what.${input.kind}`, {
      mailbox: maskEmail(input.account.address),
      method: input.method ? t(lang, `mail.notice.method.${input.method}`) : '',
      name: input.appPasswordName ?? '',
      admin: input.admin?.actor ?? '',
      action: input.admin ? t(lang, `security.activity.events.${input.admin.type}`, { address: input.admin.address ?? '', method: '', name: '', count: '' }) : '',
      days: input.daysLeft ?? 0,
    }),
    where: t(lang, 'mail.notice.where'),
    lines: operationLines(lang, input),
    ifNotYou: t(lang, 'mail.notice.ifNotYou'),
    settings: t(lang, 'mail.notice.settings'),
    settingsUrl: input.settingsUrl,
    help: contacts ? t(lang, 'mail.notice.help', { contacts }) : null,
    footer: t(lang, 'mail.generatedBy'),
  };
}

function text(f: Facts): string {
  return [
    f.greeting, '', f.what, '', f.where, ...textLines(f.lines), '', f.ifNotYou, `${f.settings}: ${f.settingsUrl}`,
    ...(f.help ? [f.help] : []), '', '-----', f.footer, '',
  ].join('\n');
}

function html(f: Facts, lang: Lang): string {
  return mailPage(lang, f.subject, `<p style="margin:0 0 16px">${e(f.greeting)}</p>
<p style="margin:0 0 24px;font-size:16px;font-weight:bold">${e(f.what)}</p>
<h3 style="margin:0 0 8px;font-size:16px">${e(f.where)}</h3>
<div style="margin:0 0 24px">
${htmlLines(f.lines)}
</div>
<p style="margin:0 0 8px">${e(f.ifNotYou)}</p>
<p style="margin:0 0 16px"><a href="${e(f.settingsUrl)}" style="display:inline-block;padding:6px 16px;background:#1677ff;color:#ffffff;text-decoration:none;border-radius:4px">${e(f.settings)}</a></p>
${f.help ? `<p style="margin:0 0 24px">${e(f.help)}</p>\n` : ''}${footerHtml(f.footer)}`);
}

/** A security notice (SPEC X4): what happened, when and where, and what to do if it was not the owner. */
export function renderSecurityNotice(input: SecurityNoticeInput): OutgoingMail {
  const f = facts(input);
  return { from: postmasterOf(input.account.address), to: input.to, subject: f.subject, text: text(f), html: html(f, input.lang) };
}
