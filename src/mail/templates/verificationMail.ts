import { maskEmail } from '../../core/mask.ts';
import { t, type Lang } from '../../i18n/index.ts';
import type { OutgoingMail, VerificationMailInput, VerificationMessages } from '../../core/messagePorts.ts';
import { escapeHtml as e } from './html.ts';
import { footerHtml, greetingName, htmlLines, mailPage, operationLines, postmasterOf, textLines, type Line } from './operation.ts';

interface Facts {
  subject: string;
  greeting: string;
  intro: string;
  code: string;
  validity: string;
  where: string;
  lines: Line[];
  footer: string;
}

function facts(input: VerificationMailInput): Facts {
  const { lang, account } = input;
  return {
    subject: t(lang, 'mail.verification.subject'),
    greeting: t(lang, 'mail.verification.greeting', { name: greetingName(account) }),
    intro: t(lang, 'mail.verification.intro', { mailbox: maskEmail(account.address) }),
    code: input.code,
    validity: t(lang, 'mail.verification.validity', { minutes: input.validMinutes }),
    where: t(lang, 'mail.verification.where'),
    lines: operationLines(lang, input),
    footer: t(lang, 'mail.generatedBy'),
  };
}

function text(f: Facts): string {
  return [f.greeting, '', f.intro, '', f.code, '', f.validity, '', f.where, ...textLines(f.lines), '', '-----', f.footer, ''].join('\n');
}

function html(f: Facts, lang: Lang): string {
  return mailPage(lang, f.subject, `<p style="margin:0 0 16px">${e(f.greeting)}</p>
<p style="margin:0 0 8px">${e(f.intro)}</p>
<p style="margin:0 0 16px;font-size:28px;font-weight:bold;letter-spacing:4px">${e(f.code)}</p>
<p style="margin:0 0 24px">${e(f.validity)}</p>
<h3 style="margin:0 0 8px;font-size:16px">${e(f.where)}</h3>
<div style="margin:0 0 24px">
${htmlLines(f.lines)}
</div>
${footerHtml(f.footer)}`);
}

/** The guide's verification mail (B2), from `postmaster@<the account's domain>`, as HTML and text. */
export function renderVerificationMail(input: VerificationMailInput): OutgoingMail {
  const f = facts(input);
  return { from: postmasterOf(input.account.address), to: input.to, subject: f.subject, text: text(f), html: html(f, input.lang) };
}

/** The SMS counterpart: code, validity and the warning never to share it. */
export function renderVerificationSms(input: { lang: Lang; code: string; validMinutes: number }): string {
  return t(input.lang, 'sms.verification', { code: input.code, minutes: input.validMinutes });
}

export const verificationMessages: VerificationMessages = { mail: renderVerificationMail, sms: renderVerificationSms };
