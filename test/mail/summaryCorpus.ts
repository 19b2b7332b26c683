// Messages of every shape delivery meets, for comparing the summary with mailparser's reading.
const bytes = (...parts: (string | number[] | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const q = (b: number[]) => b.map((x) => `=${x.toString(16).toUpperCase().padStart(2, '0')}`).join('');

// 中文 and 邮件 in GBK, 中文 and 郵件 in Big5, U+20000 (GB18030 four bytes), 日本 in ISO-2022-JP.
const gbk中文 = [0xd6, 0xd0, 0xce, 0xc4];
const gbk邮件 = [0xd3, 0xca, 0xbc, 0xfe];
const big5中文 = [0xa4, 0xa4, 0xa4, 0xe5];
const big5郵件 = [0xb6, 0x6c, 0xa5, 0xf3];
const gb18030Ext = [0x95, 0x32, 0x82, 0x36];
const jis日本 = [0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42];

const head = (extra = '') =>
  `From: "Zhang San" <zhang@example.cn>\r\nTo: li@example.org\r\nSubject: Hello\r\nDate: Tue, 01 Dec 2026 10:00:00 +0800\r\nMessage-ID: <m1@example.cn>\r\nMIME-Version: 1.0\r\n${extra}`;
const text = (body: string, ct = 'text/plain; charset=utf-8', cte = '7bit') => `Content-Type: ${ct}\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${body}`;
const mixed = (boundary: string, parts: string[], subtype = 'mixed', close = true) =>
  `Content-Type: multipart/${subtype}; boundary="${boundary}"\r\n\r\nThis is a multi-part message.\r\n${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}${close ? `--${boundary}--\r\nepilogue\r\n` : ''}`;
const png = b64(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')).replace(/.{76}/g, '$&\r\n');
const html = '<html><head><style>p{color:red}</style></head><body><h1>Quarterly report</h1><p>Figures &amp; <b>minutes</b>, see <a href="https://example.org/r">the report</a>.</p><ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table><p>中文 &nbsp; text&hellip;</p></body></html>';
const long = 'Quarterly figures, minutes of the meeting and the timetable for next term. '.repeat(1500).replace(/(.{76})/g, '$1\r\n');

export const corpus: [name: string, raw: Buffer][] = [
  ['plain ascii', bytes(head(), text('Hello Li,\r\n\r\nsee you tomorrow.\r\n', 'text/plain; charset=us-ascii'))],
  ['no MIME headers at all', bytes('From: a@example.org\r\nTo: b@example.org\r\nSubject: bare\r\n\r\nJust text.\r\n')],
  ['RFC 2047 B subject and names in UTF-8, groups, several To fields', bytes(`From: =?UTF-8?B?${b64('张三')}?= <zhang@example.cn>\r\nTo: "Li, Si" <li@example.org>, Team: a@example.org, =?utf-8?B?${b64('王五')}?= <w@example.org>;\r\nTo: second@example.org\r\nCc: undisclosed-recipients:;\r\nBcc: boss@example.org\r\nSubject: =?UTF-8?B?${b64('会议纪要')}?= =?UTF-8?B?${b64('（第二版）')}?=\r\nDate: Tue, 1 Dec 2026 10:00:00 +0800 (CST)\r\n\r\nbody\r\n`)],
  ['RFC 2047 Q subject in GBK, name in GB2312', bytes(`From: =?gb2312?Q?${q(gbk中文)}?= <a@example.cn>\r\nTo: b@example.cn\r\nSubject: =?GBK?Q?${q(gbk邮件)}_test?=\r\n\r\nx\r\n`)],
  ['RFC 2047 B subject in Big5 and GB18030', bytes(`From: =?big5?B?${b64(Buffer.from(big5中文))}?= <a@example.tw>\r\nTo: b@example.tw\r\nSubject: =?Big5?B?${b64(Buffer.from(big5郵件))}?= =?GB18030?B?${b64(Buffer.from(gb18030Ext))}?=\r\n\r\nx\r\n`)],
  ['encoded word split inside a character, folded subject', bytes(`From: a@example.org\r\nTo: b@example.org\r\nSubject: =?UTF-8?B?${b64(Buffer.from('中文').subarray(0, 4))}?=\r\n =?UTF-8?B?${b64(Buffer.from('中文').subarray(4))}?= and\r\n\t  more   words\r\n\r\nx\r\n`)],
  ['malformed encoded words and unknown charsets in headers', bytes('From: =?x-unknown?B?Zm9v?= <a@example.org>\r\nTo: b@example.org\r\nSubject: =?utf-8?Q?broken =?utf-8?B?!!!?= =?utf-7?B?K0FEdy0=?= tail\r\n\r\nx\r\n')],
  ['raw UTF-8 headers (RFC 6532)', bytes('From: 张三 <zhang@example.cn>\r\nTo: 李四 <li@example.cn>\r\nSubject: 原始的 UTF-8 主题\r\n\r\n正文\r\n')],
  ['raw GBK bytes in a header', bytes('From: a@example.cn\r\nTo: b@example.cn\r\nSubject: ', gbk中文, '\r\n\r\nx\r\n')],
  ['quoted-printable UTF-8 body', bytes(head(), text(`Soft=\r\nbreak, trailing blanks   \r\nescapes ${q([...Buffer.from('中文')])} and =3D sign=20\r\nend=\r\n`, 'text/plain; charset=UTF-8', 'quoted-printable'))],
  ['base64 UTF-8 body', bytes(head(), text(b64('第一行\r\n第二行，中文正文。\r\n').replace(/.{20}/g, '$&\r\n'), 'text/plain; charset="utf-8"', 'base64'))],
  ['8bit GBK body', bytes(head(), 'Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: 8bit\r\n\r\n', gbk中文, ' ', gbk邮件, '\r\n')],
  ['8bit GB2312 and Big5 bodies in multipart', bytes(head(), 'Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n', gbk邮件, '\r\n--b1\r\nContent-Type: text/plain; charset=big5\r\n\r\n', big5郵件, '\r\n--b1--\r\n')],
  ['ISO-8859-1 labelled windows-1252 text (0x80-0x9F)', bytes(head(), 'Content-Type: text/plain; charset=iso-8859-1\r\n\r\n', [0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0xe9], '\r\n')],
  ['ISO-2022-JP and windows-1252 bodies', bytes(head(), 'Content-Type: multipart/mixed; boundary=j\r\n\r\n--j\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\n', jis日本, '\r\n--j\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n', [0x93, 0x71, 0x94, 0x20, 0xe9], '\r\n--j--\r\n')],
  ['charsets by every name mail uses', bytes(head(), 'Content-Type: multipart/mixed; boundary=cs\r\n\r\n', ...([['cp936', gbk中文], ['"GB2312"', gbk邮件], ['x-gbk', gbk中文], ['GB18030', gb18030Ext], ['big5-hkscs', big5中文], ['ks_c_5601-1987', [0xc7, 0xd1, 0xb1, 0xb9]], ['euc-kr', [0xc7, 0xd1]], ['shift_jis', [0x93, 0xfa, 0x96, 0x7b]], ['euc-jp', [0xc6, 0xfc, 0xcb, 0xdc]], ['koi8-r', [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]], ['windows-1251', [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]], ['ISO-8859-2', [0xb1, 0xe6, 0xea]], ['utf8', [...Buffer.from('ütf')]], ['US-ASCII', [...Buffer.from('8bit ü in ascii')]], ['latin1', [0xe9]]] as [string, number[]][]).flatMap(([cs, b]) => [`--cs\r\nContent-Type: text/plain; charset=${cs}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`, b, '\r\n']), '--cs--\r\n')],
  ['unknown body charset and UTF-7', bytes(head(), mixed('u', [text('plain ascii in x-unknown', 'text/plain; charset=x-unknown'), text('+AGEAYgBj-', 'text/plain; charset=utf-7')]))],
  ['multipart/alternative', bytes(head(), mixed('alt', [text('The plain version.\r\n'), text(html, 'text/html; charset=utf-8')], 'alternative'))],
  ['multipart/mixed with a PDF attachment (RFC 2231 name)', bytes(head(), mixed('mix', [text('See the attachment.\r\n'), `Content-Type: application/pdf; name*=utf-8''%E6%8A%A5%E5%91%8A.pdf\r\nContent-Disposition: attachment; filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64('%PDF-1.4 fake')}`]))],
  ['mixed: alternative plus attachment', bytes(head(), mixed('outer', [mixed('inner', [text('plain\r\n'), text('<p>html</p>', 'text/html')], 'alternative'), `Content-Type: text/csv; name=a.csv\r\nContent-Disposition: attachment\r\n\r\na,b\r\n`]))],
  ['multipart/related with an inline image by Content-ID', bytes(head(), mixed('rel', [text('<p>Logo: <img src="cid:logo@x"></p>', 'text/html; charset=utf-8'), `Content-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n${png}`], 'related'))],
  ['multipart/related image without Content-ID', bytes(head(), mixed('rel', [text('<p>Logo</p>', 'text/html'), `Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n${png}`], 'related'))],
  ['alternative inside related, inline image with attachment disposition', bytes(head(), mixed('r', [mixed('a', [text('plain'), text('<p>rich</p>', 'text/html')], 'alternative'), `Content-Type: image/png\r\nContent-ID: <i@x>\r\nContent-Disposition: attachment; filename=i.png\r\n\r\n${png}`], 'related'))],
  ['image with Content-ID outside multipart/related', bytes(head(), mixed('m', [text('hi'), `Content-Type: image/png\r\nContent-ID: <i@x>\r\nContent-Disposition: inline\r\n\r\n${png}`]))],
  ['HTML-only message', bytes(head(), text(html, 'text/html; charset=utf-8'))],
  ['HTML-only message, quoted-printable', bytes(head(), text('<div>Caf=C3=A9 <b>cr=C3=A8me</b> br=\r\n=C3=BBl=C3=A9e</div><br><div>second&nbsp;line</div>', 'text/html; charset=utf-8', 'quoted-printable'))],
  ['HTML as the only part of multipart/mixed', bytes(head(), mixed('h', [text(html, 'text/html')]))],
  ['HTML as the only part of an alternative', bytes(head(), mixed('h', [text(html, 'text/html')], 'alternative'))],
  ['text and HTML side by side in mixed', bytes(head(), mixed('s', [text('first text'), text('<p>then <i>html</i></p>', 'text/html'), text('last text')]))],
  ['forwarded message/rfc822 as an attachment', bytes(head(), mixed('fw', [text('Forwarding.\r\n'), `Content-Type: message/rfc822\r\n\r\n${head().replace('m1@', 'inner@')}${text('Inner body.\r\n')}`]))],
  ['forwarded message/rfc822 inline', bytes(head(), mixed('fw', [text('Forwarding.\r\n'), `Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\nFrom: =?UTF-8?B?${b64('王五')}?= <w@example.org>\r\nTo: x@example.org\r\nTo: y@example.org\r\nCc: c@example.org\r\nSubject: =?UTF-8?Q?Inner_=E4=B8=BB=E9=A2=98?=\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\n${mixed('in', [text('Inner text.\r\n'), text('<p>Inner html</p>', 'text/html')], 'alternative')}`]))],
  ['inline message/rfc822 that is base64-encoded', bytes(head(), mixed('fw', [text('x'), `Content-Type: message/rfc822\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64('Subject: inner\r\n\r\nbody\r\n')}`]))],
  ['delivery status notification', bytes(head(), mixed('dsn', [text('Delivery failed.\r\n'), 'Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; x@example.org\r\nStatus: 5.1.1\r\n', 'Content-Type: text/rfc822-headers\r\n\r\nSubject: original\r\n'], 'report; report-type=delivery-status'))],
  ['text parts with dispositions', bytes(head(), mixed('d', [`Content-Type: text/plain\r\nContent-Disposition: inline; filename=notes.txt\r\n\r\ninline named text`, `Content-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nattached text`, `Content-Type: text/plain\r\nContent-Disposition: weird\r\n\r\nweird disposition`]))],
  ['application/octet-stream without disposition', bytes(head(), mixed('o', [text('see'), `Content-Type: application/octet-stream\r\n\r\n\x00\x01binary`]))],
  ['parts without Content-Type', bytes(head(), mixed('n', ['\r\nno header at all', 'Content-Disposition: attachment; filename="report.pdf"\r\n\r\n%PDF', 'Content-Disposition: attachment\r\n\r\nbytes', 'Content-Type: text\r\n\r\nno subtype']))],
  ['missing and garbage headers', bytes('garbage line without colon\r\nX-Weird : value\r\n: empty name\r\nSubject:\r\nFrom:\r\nTo: ,,, <>\r\n\r\nbody text\r\n')],
  ['bare LF line ends', bytes(head().replace(/\r\n/g, '\n'), mixed('lf', [text('line one\nline two\n'), text('<p>x</p>', 'text/html')]).replace(/\r\n/g, '\n'))],
  ['no body', bytes('From: a@example.org\r\nTo: b@example.org\r\nSubject: headers only\r\n')],
  ['empty body', bytes(head(), text(''))],
  ['nothing at all', Buffer.alloc(0)],
  ['huge header (120 KB References)', bytes(`From: a@example.org\r\nTo: b@example.org\r\nSubject: big\r\nReferences: ${Array.from({ length: 4000 }, (_, i) => `<ref${i}@example.org>`).join('\r\n ')}\r\nIn-Reply-To: <ref3999@example.org>\r\n\r\nx\r\n`)],
  ['references and in-reply-to in all shapes', bytes('From: a@example.org\r\nTo: b@example.org\r\nSubject: refs\r\nMessage-ID: bare-id@example.org\r\nReferences: <a@x> <b@x>\r\n\t<c@x><d@x> bare@x\r\nReferences: <e@x>\r\nIn-Reply-To: <b@x> (comment) <f@x>\r\n\r\nx\r\n')],
  ['empty Message-ID, In-Reply-To only', bytes('From: a@example.org\r\nTo: b@example.org\r\nMessage-ID: \r\nIn-Reply-To: <only@x>\r\n\r\nx\r\n')],
  ['missing close delimiter', bytes(head(), mixed('nc', [text('first'), text('second, never closed\r\n')], 'mixed', false))],
  ['boundary that prefixes another line', bytes(head(), 'Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nbefore\r\n--b1x is not a delimiter\r\nafter\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--b1--\r\n')],
  ['multipart without a boundary parameter', bytes(head(), 'Content-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nlost\r\n--x--\r\n')],
  ['boundary that never occurs', bytes(head(), 'Content-Type: multipart/alternative; boundary=missing\r\n\r\n--other\r\nContent-Type: text/plain\r\n\r\ntext\r\n--other--\r\n')],
  ['delimiters with trailing blanks, nested boundaries closing early', bytes(head(), 'Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer  \r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--outer\r\nContent-Type: text/plain\r\n\r\nouter second\r\n--outer--  \r\n')],
  ['deeply nested multiparts', bytes(head(), Array.from({ length: 8 }, (_, i) => `Content-Type: multipart/mixed; boundary=n${i}\r\n\r\n--n${i}\r\n`).join(''), text('deep text\r\n'), Array.from({ length: 8 }, (_, i) => `\r\n--n${7 - i}--`).join(''), '\r\n')],
  ['format=flowed with delsp', bytes(head(), mixed('f', [text('This is a long \r\nline that flows.\r\n> quoted \r\n> flowed\r\n-- \r\nsig\r\n', 'text/plain; charset=utf-8; format=flowed'), text('del \r\nsp \r\nyes\r\n', 'text/plain; format=flowed; delsp=yes')]))],
  ['addresses: punycode, encoded address part, quotes and backslashes', bytes(`From: "O'Brien \\"Bob\\"" <bob@xn--fiqs8s.example>\r\nTo: =?utf-8?B?${b64('x@evil.example')}?=@example.org, =?utf-8?B?${b64('plain')}?= <p@example.org>, "a\\\\b" <ab@example.org>, noname@example.org, <bracket@example.org>\r\nCc: Name Only\r\nSubject: addresses\r\n\r\nx\r\n`)],
  ['long text beyond the indexed length', bytes(head(), text(long.repeat(1)))],
  ['preview behind thousands of control characters', bytes(head(), text(`${'\x01 \x02\r\n'.repeat(1500)}${'word '.repeat(400)}`))],
  ['preview of words far apart', bytes(head(), text(`${'中文 \t\r\n     '.repeat(900)}end`))],
  ['control characters and NUL in text and subject', bytes('From: a@example.org\r\nTo: b@example.org\r\nSubject: tab\there\x01\r\n\r\n\x00\x01leading controls\ttab\x7f\r\n  \r\nline\r\n')],
  ['upper-case transfer encoding and an unknown one', bytes(head(), mixed('t', [text(b64('BASE64 upper'), 'text/plain', 'BASE64'), text('begin 644 x\r\n`\r\nend', 'text/plain', 'x-uuencode')]))],
  ['HTML too deeply nested to convert', bytes(head(), text(`<div>${'<b>'.repeat(1200)}deep${'</b>'.repeat(1200)}</div>`, 'text/html'))],
  ['Content-Type with comments and odd case', bytes(head(), 'Content-Type: Multipart/Alternative (comment); Boundary="AbC"\r\n\r\n--AbC\r\nContent-Type: TEXT/PLAIN; CHARSET=UTF-8\r\n\r\nupper\r\n--AbC\r\nContent-Type: Text/HTML\r\n\r\n<p>upper html</p>\r\n--AbC--\r\n')],
];

/** Where Postern reads a message other than mailparser did, on purpose (see summary.test.ts). */
export const divergent: [name: string, raw: Buffer][] = [
  ['empty text part beside HTML', bytes(head(), mixed('e', [text(''), text('<p>only html</p>', 'text/html')]))],
  ['invalid Date header', bytes('From: a@example.org\r\nDate: someday\r\n\r\nx\r\n')],
  ['header block over 1 MB', bytes(`From: a@example.org\r\nSubject: still read\r\nX-Big: ${'x'.repeat(1_100_000)}\r\n\r\nbody\r\n`)],
  ['multipart/digest part without Content-Type', bytes(head(), 'Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: digested\r\n\r\ninner\r\n--d--\r\n')],
];

/** A deterministic pseudo-random generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const subjects = ['Plain subject', `=?UTF-8?B?${b64('会议')}?= notes`, `=?GBK?Q?${q(gbk邮件)}?=`, `=?big5?B?${b64(Buffer.from(big5中文))}?=`, 'Re: [list] =?utf-8?q?caf=C3=A9?=', ''];
const senders = ['a@example.org', `=?UTF-8?B?${b64('张三')}?= <zhang@example.cn>`, '"Last, First" <lf@example.org>', 'Group: x@example.org, y@example.org;', 'broken <'];
const leaves: ((r: () => number) => string | Buffer)[] = [
  () => text('Plain words.\r\nSecond line.\r\n'),
  () => text(`Caf=C3=A9 =\r\nsoft  \r\n${q([...Buffer.from('中文')])}`, 'text/plain; charset=utf-8', 'quoted-printable'),
  () => text(b64('Base64 正文\r\nline').replace(/.{16}/g, '$&\r\n'), 'text/plain; charset=UTF-8', 'base64'),
  () => bytes('Content-Type: text/plain; charset=gbk\r\n\r\n', gbk中文, gbk邮件),
  () => text(b64(Buffer.from(big5郵件)), 'text/plain; charset=big5', 'base64'),
  () => text('<p>Some <b>HTML</b> &amp; <a href="https://x.example/">link</a></p><div>more</div>', 'text/html; charset=utf-8'),
  () => text('<p>QP=\r\n html =E4=B8=AD</p>', 'text/html; charset=utf-8', 'quoted-printable'),
  (r) => `Content-Type: image/png\r\nContent-ID: <img${Math.floor(r() * 1000)}@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n${png}`,
  () => `Content-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\n${png}`,
  () => `Content-Type: application/pdf; name="a.pdf"\r\nContent-Disposition: attachment; filename="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64('%PDF')}`,
  () => 'Content-Type: text/plain\r\nContent-Disposition: attachment; filename=t.txt\r\n\r\nattached',
  () => `Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nFrom: i@example.org\r\n\r\ninner body`,
  () => `Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\nSubject: inner inline\r\nFrom: i@example.org\r\nTo: t@example.org\r\n\r\ninner inline body`,
  () => text('', 'text/plain'),
  () => 'Content-Type: message/delivery-status\r\n\r\nStatus: 5.0.0\r\n',
];

function part(r: () => number, depth: number): Buffer {
  if (depth < 3 && r() < 0.45) {
    const subtype = ['mixed', 'alternative', 'related'][Math.floor(r() * 3)];
    const boundary = `b${depth}_${Math.floor(r() * 1000)}`;
    const children = Array.from({ length: 1 + Math.floor(r() * 3) }, () => part(r, depth + 1));
    return bytes(`Content-Type: multipart/${subtype}; boundary="${boundary}"\r\n\r\n`, ...children.flatMap((c) => [`--${boundary}\r\n`, c, '\r\n']), `--${boundary}--\r\n`);
  }
  const leaf = leaves[Math.floor(r() * leaves.length)](r);
  return typeof leaf === 'string' ? Buffer.from(leaf) : leaf;
}

/** `count` messages of random structure, headers and encodings; every fourth with bare LF line ends. */
export function randomCorpus(count: number, seed = 13): [string, Buffer][] {
  const r = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)];
    const header = `From: ${pick(senders)}\r\nTo: ${pick(senders)}\r\nSubject: ${pick(subjects)}\r\nDate: Tue, 01 Dec 2026 10:${String(i % 60).padStart(2, '0')}:00 +0800\r\nMessage-ID: <r${i}@example.org>\r\nMIME-Version: 1.0\r\n`;
    const raw = bytes(header, part(r, 0));
    return [`random message ${i} (seed ${seed})`, i % 4 === 3 ? Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1') : raw];
  });
}
