import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import { el, xmlDocument, type XmlElement } from './xml.ts';

/** Where a mail client connects; read per request, as port 0 servers write their bound port back into the config. */
export interface MailServers {
  host: string;
  imap: { ssl: number; starttls: number };
  pop3: { ssl: number; starttls: number };
  smtp: { ssl: number; starttls: number };
}

export function mailServers(config: Config): MailServers {
  const { mailHostname: host, ports } = config;
  return {
    host,
    imap: { ssl: ports.imaps, starttls: ports.imap },
    pop3: { ssl: ports.pop3s, starttls: ports.pop3 },
    smtp: { ssl: ports.smtps, starttls: ports.submission },
  };
}

/** Thunderbird's clientConfig v1.1: SSL first, as clients try the servers in document order. */
export function thunderbirdConfig(domain: string, s: MailServers): string {
  const server = (tag: string, type: string, port: number, socketType: string): XmlElement =>
    el(tag, { type },
      el('hostname', {}, s.host),
      el('port', {}, port),
      el('socketType', {}, socketType),
      el('authentication', {}, 'password-cleartext'),
      el('username', {}, '%EMAILADDRESS%'));
  return xmlDocument(
    el('clientConfig', { version: '1.1' },
      el('emailProvider', { id: domain },
        el('domain', {}, domain),
        el('displayName', {}, domain),
        el('displayShortName', {}, domain),
        server('incomingServer', 'imap', s.imap.ssl, 'SSL'),
        server('incomingServer', 'imap', s.imap.starttls, 'STARTTLS'),
        server('incomingServer', 'pop3', s.pop3.ssl, 'SSL'),
        server('incomingServer', 'pop3', s.pop3.starttls, 'STARTTLS'),
        server('outgoingServer', 'smtp', s.smtp.ssl, 'SSL'),
        server('outgoingServer', 'smtp', s.smtp.starttls, 'STARTTLS'))),
  );
}

const autodiscoverResponseSchema = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

/** Outlook's POX autodiscover answer (responseschema 2006a): IMAP, POP3 and SMTP over TLS. */
export function autodiscoverResponse(address: string, s: MailServers): string {
  const protocol = (type: string, port: number) =>
    el('Protocol', {},
      el('Type', {}, type),
      el('Server', {}, s.host),
      el('Port', {}, port),
      el('DomainRequired', {}, 'off'),
      el('LoginName', {}, address),
      el('SPA', {}, 'off'),
      el('SSL', {}, 'on'),
      el('AuthRequired', {}, 'on'));
  return xmlDocument(
    el('Autodiscover', { xmlns: 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006' },
      el('Response', { xmlns: autodiscoverResponseSchema },
        el('Account', {},
          el('AccountType', {}, 'email'),
          el('Action', {}, 'settings'),
          protocol('IMAP', s.imap.ssl),
          protocol('POP3', s.pop3.ssl),
          protocol('SMTP', s.smtp.ssl)))),
  );
}

/** A stable UUID from a name, so downloading the profile again replaces the installed one. */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex').toUpperCase();
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export interface AppleProfileInput {
  address: string;
  displayName: string;
  /** Translated: the profile's name and description shown by iOS / macOS. */
  title: string;
  description: string;
}

type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

function plist(value: PlistValue): XmlElement {
  if (typeof value === 'string') return el('string', {}, value);
  if (typeof value === 'number') return el('integer', {}, value);
  if (typeof value === 'boolean') return el(value ? 'true' : 'false');
  if (Array.isArray(value)) return el('array', {}, ...value.map(plist));
  return el('dict', {}, ...Object.entries(value).flatMap(([k, v]) => [el('key', {}, k), plist(v)]));
}

/** A configuration profile with one com.apple.mail.managed payload; no password: iOS asks for it on install. */
export function appleProfile(p: AppleProfileInput, s: MailServers): string {
  const payloadUuid = nameUuid(`postern mail payload ${s.host} ${p.address}`);
  const profileUuid = nameUuid(`postern mail profile ${s.host} ${p.address}`);
  const prefix = s.host.split('.').reverse().join('.');
  const mail = {
    EmailAccountDescription: p.address,
    EmailAccountName: p.displayName,
    EmailAccountType: 'EmailTypeIMAP',
    EmailAddress: p.address,
    IncomingMailServerAuthentication: 'EmailAuthPassword',
    IncomingMailServerHostName: s.host,
    IncomingMailServerPortNumber: s.imap.ssl,
    IncomingMailServerUseSSL: true,
    IncomingMailServerUsername: p.address,
    OutgoingMailServerAuthentication: 'EmailAuthPassword',
    OutgoingMailServerHostName: s.host,
    OutgoingMailServerPortNumber: s.smtp.ssl,
    OutgoingMailServerUseSSL: true,
    OutgoingMailServerUsername: p.address,
    OutgoingPasswordSameAsIncomingPassword: true,
    PayloadDescription: p.description,
    PayloadDisplayName: p.address,
    PayloadIdentifier: `${prefix}.postern.mail.${payloadUuid}`,
    PayloadType: 'com.apple.mail.managed',
    PayloadUUID: payloadUuid,
    PayloadVersion: 1,
  };
  const profile = {
    PayloadContent: [mail],
    PayloadDescription: p.description,
    PayloadDisplayName: p.title,
    PayloadIdentifier: `${prefix}.postern.profile.${profileUuid}`,
    PayloadRemovalDisallowed: false,
    PayloadType: 'Configuration',
    PayloadUUID: profileUuid,
    PayloadVersion: 1,
  };
  return xmlDocument(
    el('plist', { version: '1.0' }, plist(profile)),
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
  );
}
