import { formatDateTime } from '../../core/datetime.ts';
import { maskEmail, maskIp } from '../../core/mask.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { lookupPlace } from '../../providers/geoip.ts';
import type { OutgoingMail } from '../../providers/mailOut.ts';
import { describeUserAgent } from '../../providers/userAgent.ts';
import { escapeHtml as e } from './html.ts';

export interface VerificationMailInput {
  lang: Lang;
  /** The account being verified: its mailbox is shown masked, its domain sends the mail. */
  account: { address: string; displayName: string };
  /** Where the code goes (the backup address). */
  to: string;
  code: string;
  validMinutes: number;
  /** The operation that asked for the code: when, from which IP (empty when unknown) and User-Agent. */
  at: Date;
  timeZone: string;
  ip: string;
  userAgent?: string;
}

interface Facts {
  subject: string;
  greeting: string;
  intro: string;
  code: string;
  validity: string;
  where: string;
  lines: [label: string, value: string][];
  footer: string;
}

function facts(input: VerificationMailInput): Facts {
  const { lang, account } = input;
  const client = describeUserAgent(input.userAgent);
  const unknown = t(lang, 'client.unknown');
  const name = account.displayName || account.address.slice(0, account.address.lastIndexOf('@'));
  return {
    subject: t(lang, 'mail.verification.subject'),
    greeting: t(lang, 'mail.verification.greeting', { name }),
    intro: t(lang, 'mail.verification.intro', { mailbox: maskEmail(account.address) }),
    code: input.code,
    validity: t(lang, 'mail.verification.validity', { minutes: input.validMinutes }),
    where: t(lang, 'mail.verification.where'),
    lines: [
      [t(lang, 'mail.verification.date'), formatDateTime(input.at, input.timeZone)],
      [t(lang, 'mail.verification.os'), client.os || unknown],
      [t(lang, 'mail.verification.browser'), client.browser || unknown],
      [t(lang, 'mail.verification.place'), input.ip ? t(lang, 'mail.verification.placeValue', { place: lookupPlace(input.ip, lang).display, ip: maskIp(input.ip) }) : t(lang, 'geo.unknown')],
    ],
    footer: t(lang, 'mail.generatedBy'),
  };
}

function text(f: Facts): string {
  return [
    f.greeting, '', f.intro, '', f.code, '', f.validity, '', f.where,
    ...f.lines.map(([label, value]) => `${label}: ${value}`),
    '', '-----', f.footer, '',
  ].join('\n');
}

function html(f: Facts, lang: Lang): string {
  const font = `font-family:'Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',Arial,sans-serif`;
  const lines = f.lines.map(([label, value]) => `<div>${e(label)}: ${e(value)}</div>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(f.subject)}</title></head>
<body style="margin:0;padding:24px;background:#ffffff;color:#222222;${font};font-size:14px;line-height:1.7">
<div style="max-width:600px">
<p style="margin:0 0 16px">${e(f.greeting)}</p>
<p style="margin:0 0 8px">${e(f.intro)}</p>
<p style="margin:0 0 16px;font-size:28px;font-weight:bold;letter-spacing:4px">${e(f.code)}</p>
<p style="margin:0 0 24px">${e(f.validity)}</p>
<h3 style="margin:0 0 8px;font-size:16px">${e(f.where)}</h3>
<div style="margin:0 0 24px">
${lines}
</div>
<div style="color:#888888;font-size:12px">-----<br>${e(f.footer)}</div>
</div>
</body>
</html>
`;
}

/** The guide's verification mail (B2), from `postmaster@<the account's domain>`, as HTML and text. */
export function renderVerificationMail(input: VerificationMailInput): OutgoingMail {
  const f = facts(input);
  const domain = input.account.address.slice(input.account.address.lastIndexOf('@') + 1);
  return { from: `postmaster@${domain}`, to: input.to, subject: f.subject, text: text(f), html: html(f, input.lang) };
}

/** The SMS counterpart: code, validity and the warning never to share it. */
export function renderVerificationSms(input: { lang: Lang; code: string; validMinutes: number }): string {
  return t(input.lang, 'sms.verification', { code: input.code, minutes: input.validMinutes });
}
