import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { demo, stepUpOverHttp, testWeb, type TestWeb } from '../helpers/web.ts';
import { testPostern } from '../helpers/context.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

const elements = (node: Element) => node.children.filter((c): c is Element => c.type === 'tag');
const only = (node: Element, name: string): Element => {
  const found = elements(node).filter((c) => c.name === name);
  assert.equal(found.length, 1, `one <${name}> in <${node.name}>`);
  return found[0];
};
const text = (node: Element, name: string) => textContent(only(node, name));

function rootOf(xml: string): Element {
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
  const roots = parseDocument(xml, { xmlMode: true }).children.filter((c): c is Element => c.type === 'tag');
  assert.equal(roots.length, 1);
  return roots[0];
}

interface ThunderbirdServer {
  type: string;
  hostname: string;
  port: number;
  socketType: string;
  auth: string;
  username: string;
}

/**
 * Reads a clientConfig v1.1 as Thunderbird's readFromXML does: the first emailProvider, each server's
 * type, hostname, port (1–65535), socketType (plain/SSL/STARTTLS) and authentication from their lists.
 */
function readLikeThunderbird(xml: string, email: string) {
  const root = rootOf(xml);
  assert.equal(root.name, 'clientConfig');
  assert.equal(root.attribs.version, '1.1');
  const provider = elements(root).find((e) => e.name === 'emailProvider')!;
  const server = (node: Element, types: string[]): ThunderbirdServer => {
    const type = node.attribs.type;
    assert.ok(types.includes(type), `server type ${type}`);
    const hostname = text(node, 'hostname');
    assert.match(hostname, /^[a-z0-9.-]+$/i);
    const port = Number(text(node, 'port'));
    assert.ok(Number.isInteger(port) && port >= 1 && port <= 65535, `port ${port}`);
    const socketType = text(node, 'socketType');
    assert.ok(['plain', 'SSL', 'STARTTLS'].includes(socketType), socketType);
    const auth = text(node, 'authentication');
    assert.ok(['password-cleartext', 'password-encrypted', 'OAuth2', 'none'].includes(auth), auth);
    return { type, hostname, port, socketType, auth, username: text(node, 'username').replace('%EMAILADDRESS%', email) };
  };
  return {
    domains: elements(provider).filter((e) => e.name === 'domain').map((e) => textContent(e)),
    incoming: elements(provider).filter((e) => e.name === 'incomingServer').map((e) => server(e, ['imap', 'pop3'])),
    outgoing: elements(provider).filter((e) => e.name === 'outgoingServer').map((e) => server(e, ['smtp'])),
  };
}

type Plist = string | number | boolean | Plist[] | { [key: string]: Plist };
function readPlist(node: Element): Plist {
  if (node.name === 'string') return textContent(node);
  if (node.name === 'integer') return Number(textContent(node));
  if (node.name === 'true' || node.name === 'false') return node.name === 'true';
  if (node.name === 'array') return elements(node).map(readPlist);
  assert.equal(node.name, 'dict');
  const kids = elements(node);
  const out: Record<string, Plist> = {};
  for (let i = 0; i < kids.length; i += 2) {
    assert.equal(kids[i].name, 'key');
    out[textContent(kids[i])] = readPlist(kids[i + 1]);
  }
  return out;
}

const outlookRequest = (address: string) => `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>${address}</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;

const outlook = (url: string, payload: string) =>
  web.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'text/xml', 'user-agent': 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)' } });

test('X7 Thunderbird finds IMAP, POP3 and SMTP (SSL first, then STARTTLS) for a served domain', async () => {
  const { ports, mailHostname } = web.ctx.config;
  for (const [url, host] of [
    [`/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(demo.address)}`, 'autoconfig.example.test'],
    ['/.well-known/autoconfig/mail/config-v1.1.xml', 'example.test'],
    ['/.well-known/autoconfig/mail/config-v1.1.xml', 'autoconfig.example.test'],
  ]) {
    const res = await web.app.inject({ method: 'GET', url, headers: { host } });
    assert.equal(res.statusCode, 200, `${host}${url}`);
    assert.match(String(res.headers['content-type']), /^application\/xml/);
    const read = readLikeThunderbird(res.body, demo.address);
    assert.deepEqual(read.domains, ['example.test']);
    const servers = [...read.incoming, ...read.outgoing].map((s) => [s.type, s.port, s.socketType]);
    assert.deepEqual(servers, [
      ['imap', ports.imaps, 'SSL'],
      ['imap', ports.imap, 'STARTTLS'],
      ['pop3', ports.pop3s, 'SSL'],
      ['pop3', ports.pop3, 'STARTTLS'],
      ['smtp', ports.smtps, 'SSL'],
      ['smtp', ports.submission, 'STARTTLS'],
    ]);
    for (const s of [...read.incoming, ...read.outgoing]) assert.deepEqual([s.hostname, s.auth, s.username], [mailHostname, 'password-cleartext', demo.address]);
  }
});

test('X7 autoconfig for a domain not served here is a 404 JSON error; a malformed address is a 400', async () => {
  const unknown = await web.app.inject({ method: 'GET', url: '/mail/config-v1.1.xml?emailaddress=someone%40elsewhere.test' });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error.code, 'autoconfig_unknown_domain');
  assert.match(unknown.json().error.message, /elsewhere\.test/);
  const byHost = await web.app.inject({ method: 'GET', url: '/.well-known/autoconfig/mail/config-v1.1.xml', headers: { host: 'autoconfig.elsewhere.test' } });
  assert.equal(byHost.statusCode, 404);
  const bad = await web.app.inject({ method: 'GET', url: '/mail/config-v1.1.xml?emailaddress=%3Cscript%3E' });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.json().error.message);
  const outlookUnknown = await outlook('/autodiscover/autodiscover.xml', outlookRequest('someone@elsewhere.test'));
  assert.equal(outlookUnknown.statusCode, 404);
});

test('X7 Outlook autodiscover answers the POX request with the IMAP, POP3 and SMTP servers, without a CSRF token', async () => {
  const { ports, mailHostname } = web.ctx.config;
  for (const url of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
    const res = await outlook(url, outlookRequest('Test001@Example.test'));
    assert.equal(res.statusCode, 200, url);
    const root = rootOf(res.body);
    assert.equal(root.name, 'Autodiscover');
    const response = only(root, 'Response');
    assert.equal(response.attribs.xmlns, 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a');
    const account = only(response, 'Account');
    assert.deepEqual([text(account, 'AccountType'), text(account, 'Action')], ['email', 'settings']);
    const protocols = elements(account).filter((e) => e.name === 'Protocol').map((p) => [text(p, 'Type'), text(p, 'Server'), Number(text(p, 'Port')), text(p, 'SSL'), text(p, 'LoginName')]);
    assert.deepEqual(protocols, [
      ['IMAP', mailHostname, ports.imaps, 'on', demo.address],
      ['POP3', mailHostname, ports.pop3s, 'on', demo.address],
      ['SMTP', mailHostname, ports.smtps, 'on', demo.address],
    ]);
  }
  const escaped = await outlook('/autodiscover/autodiscover.xml', outlookRequest('test001&#64;example.test'));
  assert.equal(escaped.statusCode, 400, 'only the five predefined entities are decoded');
});

test('X7 an autodiscover request with a DOCTYPE (XXE) is refused and reads nothing; a request over 16 KiB is a 413', async () => {
  const xxe = `<?xml version="1.0"?>
<!DOCTYPE Autodiscover [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request><EMailAddress>&xxe;</EMailAddress></Request>
</Autodiscover>`;
  const refused = await outlook('/autodiscover/autodiscover.xml', xxe);
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.json().error.code, 'autodiscover_bad_request');
  assert.doesNotMatch(refused.body, /root:/);
  const entityOnly = await outlook('/autodiscover/autodiscover.xml', outlookRequest('&xxe;'));
  assert.equal(entityOnly.statusCode, 400);
  const notXml = await outlook('/autodiscover/autodiscover.xml', 'hello');
  assert.equal(notXml.statusCode, 400);
  const big = await outlook('/autodiscover/autodiscover.xml', outlookRequest(demo.address).replace('<Request>', `<Request><!--${'x'.repeat(17 * 1024)}-->`));
  assert.equal(big.statusCode, 413);
  assert.equal(big.json().error.code, 'payload_too_large');
});

test('X7 the Apple profile needs a session and holds the address and servers, never a password', async () => {
  assert.equal((await web.browser().request('GET', '/api/autoconfig/apple.mobileconfig')).statusCode, 401);
  await web.ctx.accounts.create({ address: 'amp@example.test', password: 'Amp-main-pass-2026!', displayName: 'Li & <Wang>' });
  const b = web.browser();
  await b.login('amp@example.test', 'Amp-main-pass-2026!');
  await stepUpOverHttp(web, b, undefined, 'Amp-main-pass-2026!');
  const { password } = (await b.request('POST', '/api/app-passwords', { name: 'iPhone' })).json();
  const res = await b.request('GET', '/api/autoconfig/apple.mobileconfig');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/x-apple-aspen-config');
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="[A-Za-z0-9.-]+\.mobileconfig"$/);
  for (const secret of ['Amp-main-pass-2026!', password, password.replaceAll(' ', '')]) assert.ok(!res.body.includes(secret));
  const root = rootOf(res.body);
  assert.equal(root.name, 'plist');
  const profile = readPlist(only(root, 'dict')) as Record<string, Plist>;
  assert.equal(profile.PayloadType, 'Configuration');
  const [mail] = profile.PayloadContent as Record<string, Plist>[];
  const { ports, mailHostname } = web.ctx.config;
  assert.equal(mail.PayloadType, 'com.apple.mail.managed');
  assert.deepEqual(
    [mail.EmailAddress, mail.EmailAccountName, mail.IncomingMailServerHostName, mail.IncomingMailServerPortNumber, mail.IncomingMailServerUseSSL, mail.OutgoingMailServerPortNumber, mail.OutgoingMailServerUseSSL, mail.IncomingMailServerUsername],
    ['amp@example.test', 'Li & <Wang>', mailHostname, ports.imaps, true, ports.smtps, true, 'amp@example.test'],
  );
  assert.ok(!Object.keys(mail).some((k) => /Password$/.test(k) && k !== 'OutgoingPasswordSameAsIncomingPassword'), 'no password key');
  assert.match(String(mail.PayloadUUID), /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  const again = readPlist(only(rootOf((await b.request('GET', '/api/autoconfig/apple.mobileconfig')).body), 'dict')) as Record<string, Plist>;
  assert.equal(again.PayloadUUID, profile.PayloadUUID, 'downloading again replaces the installed profile');
});

test('X7 real clients: with servers on port 0, the Thunderbird answer over HTTP leads IMAP and SMTP clients to log in with a pasted password', async () => {
  const srv = await testPostern({}, { POSTERN_MAIL_HOSTNAME: '127.0.0.1' });
  try {
    await srv.ctx.accounts.create({ address: 'carol@example.edu', password: 'Carol-main-pass-2026!' });
    const account = await srv.ctx.accounts.get('carol@example.edu');
    const { password } = await srv.ctx.appPasswords.create(account.id, 'Thunderbird');
    const res = await fetch(`${srv.postern.url}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=carol%40example.edu`);
    assert.equal(res.status, 200);
    const read = readLikeThunderbird(await res.text(), 'carol@example.edu');
    const [imap] = read.incoming;
    const [smtp] = read.outgoing;
    assert.notEqual(imap.port, 0);
    assert.equal(imap.port, srv.ctx.config.ports.imaps);
    const client = new ImapFlow({ host: imap.hostname, port: imap.port, secure: imap.socketType === 'SSL', tls: { rejectUnauthorized: false }, auth: { user: imap.username, pass: password }, logger: false, disableAutoIdle: true });
    await client.connect();
    assert.ok((await client.list()).some((m) => m.specialUse === '\\Inbox' || m.path === 'INBOX'));
    await client.logout();
    const transport = nodemailer.createTransport({ host: smtp.hostname, port: smtp.port, secure: smtp.socketType === 'SSL', tls: { rejectUnauthorized: false }, auth: { user: smtp.username, pass: password } });
    assert.equal(await transport.verify(), true);
    transport.close();
  } finally {
    await srv.cleanup();
  }
});
