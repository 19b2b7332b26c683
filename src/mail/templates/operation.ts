import { formatDateTime } from '../../core/datetime.ts';
import { maskIp } from '../../core/mask.ts';
import type { OperationFacts } from '../../core/messagePorts.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { lookupPlace } from '../../providers/geoip.ts';
import { describeUserAgent } from '../../providers/userAgent.ts';
import { escapeHtml as e } from './html.ts';

export type Line = [label: string, value: string];

/** The display name, else the mailbox's local part. */
export function greetingName(account: { address: string; displayName: string }): string {
  return account.displayName || account.address.slice(0, account.address.lastIndexOf('@'));
}

/** `postmaster@<the account's domain>`: system mail comes from the domain it is about. */
export function postmasterOf(address: string): string {
  return `postmaster@${address.slice(address.lastIndexOf('@') + 1)}`;
}

/** Date in the configured zone, OS, browser, and approximate place with the masked IP. */
export function operationLines(lang: Lang, op: OperationFacts): Line[] {
  const client = describeUserAgent(op.userAgent);
  const unknown = t(lang, 'client.unknown');
  return [
    [t(lang, 'mail.verification.date'), formatDateTime(op.at, op.timeZone)],
    [t(lang, 'mail.verification.os'), client.os || unknown],
    [t(lang, 'mail.verification.browser'), client.browser || unknown],
    [t(lang, 'mail.verification.place'), op.ip ? t(lang, 'mail.verification.placeValue', { place: lookupPlace(op.ip, lang).display, ip: maskIp(op.ip) }) : t(lang, 'geo.unknown')],
  ];
}

export const textLines = (lines: Line[]): string[] => lines.map(([label, value]) => `${label}: ${value}`);

export const htmlLines = (lines: Line[]): string => lines.map(([label, value]) => `<div>${e(label)}: ${e(value)}</div>`).join('\n');

/** The document around a system mail's body (already escaped HTML). */
export function mailPage(lang: Lang, subject: string, body: string): string {
  const font = `font-family:'Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',Arial,sans-serif`;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>
<body style="margin:0;padding:24px;background:#ffffff;color:#222222;${font};font-size:14px;line-height:1.7">
<div style="max-width:600px">
${body}
</div>
</body>
</html>
`;
}

export const footerHtml = (footer: string): string => `<div style="color:#888888;font-size:12px">-----<br>${e(footer)}</div>`;
