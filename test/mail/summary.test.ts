import assert from 'node:assert/strict';
import test from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { simpleParser, type AddressObject } from 'mailparser';
import { indexedBodyChars } from '../../src/mail/searchTokens.ts';
import { sharedConcat } from '../../src/mail/sharedBytes.ts';
import { summarize } from '../../src/mail/summary.ts';
import { messageIds } from '../../src/mail/threading.ts';
import type { MessageSummary } from '../../src/mail/types.ts';
import { corpus, divergent, randomCorpus } from './summaryCorpus.ts';

// The oracle: the summary as it was built on mailparser's simpleParser before Postern read the
// MIME structure itself. Stored summaries and index words came from it, so the two must agree.
const clean = (s: string, max: number) => s.replace(/[\0-\x1f\x7f]+/g, ' ').trim().slice(0, max);
const headerText = (a: AddressObject | AddressObject[] | undefined) => clean(Array.isArray(a) ? a.map((x) => x.text).join(', ') : (a?.text ?? ''), 2000);
const idList = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []).flatMap((x) => messageIds(x));

async function mailparserSummary(raw: Buffer): Promise<MessageSummary> {
  try {
    const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 2_000_000, checksumAlgo: false });
    const bodyText = (parsed.text ?? '').slice(0, indexedBodyChars);
    const text = clean(bodyText.trimStart().slice(0, 16_000).replace(/\s+/g, ' '), 800);
    const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null;
    return {
      subject: clean(parsed.subject ?? '', 1000),
      from: headerText(parsed.from),
      to: headerText(parsed.to),
      cc: headerText(parsed.cc),
      sentDate: date,
      messageId: parsed.messageId ? clean(parsed.messageId, 998) : null,
      references: [...new Set([...idList(parsed.references), ...idList(parsed.inReplyTo)])].slice(-50),
      hasAttachments: parsed.attachments.some((a) => a.contentDisposition === 'attachment' || !a.related),
      preview: [...text].slice(0, 200).join(''),
      bodyText,
      bcc: headerText(parsed.bcc),
    };
  } catch {
    return { subject: '', from: '', to: '', cc: '', sentDate: null, messageId: null, references: [], hasAttachments: false, preview: '' };
  }
}

const fields = (s: MessageSummary) => ({ ...s, sentDate: s.sentDate?.getTime() ?? null });
// mailsplit reads the line break before a delimiter as the body of an empty part (see the test of
// divergences below), and random messages have empty parts: their body texts are compared with
// white space runs as one space, which is what the index words, the preview and IMAP SEARCH see.
const spaced = (s: MessageSummary) => ({ ...fields(s), bodyText: s.bodyText?.replace(/\s+/g, ' ').trim() });

test('M3 the message summary reads every kind of message as mailparser did, field by field', async () => {
  const differences: string[] = [];
  for (const [messages, compared] of [[corpus, fields], [randomCorpus(300), spaced]] as const) {
    for (const [name, raw] of messages) {
      const expected = compared(await mailparserSummary(raw));
      const actual = compared(summarize(raw));
      for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)]) as Set<keyof typeof expected>) {
        if (!isDeepStrictEqual(actual[key], expected[key])) differences.push(`${name}: ${key}: ${JSON.stringify(actual[key])} instead of ${JSON.stringify(expected[key])}`);
      }
    }
  }
  assert.deepEqual(differences, []);
});

test('M3 the corpus covers what it claims: decoded subjects, bodies and attachments', () => {
  const by = new Map(corpus.map(([name, raw]) => [name, summarize(raw)]));
  assert.equal(by.get('RFC 2047 Q subject in GBK, name in GB2312')!.subject, '邮件 test');
  assert.equal(by.get('RFC 2047 B subject in Big5 and GB18030')!.subject, '郵件𠀀');
  assert.equal(by.get('8bit GBK body')!.preview, '中文 邮件');
  assert.match(by.get('HTML-only message')!.bodyText!, /QUARTERLY REPORT/);
  assert.equal(by.get('HTML as the only part of an alternative')!.bodyText, '');
  assert.equal(by.get('multipart/mixed with a PDF attachment (RFC 2231 name)')!.hasAttachments, true);
  assert.equal(by.get('multipart/related with an inline image by Content-ID')!.hasAttachments, false);
  assert.match(by.get('forwarded message/rfc822 inline')!.bodyText!, /Subject: Inner 主题\nDate: Mon, 30 Nov 2026 09:00:00 GMT\nTo: y@example.org/);
  assert.equal(by.get('boundary that prefixes another line')!.bodyText, 'before\n--b1x is not a delimiter\nafter\nsecond');
  assert.equal(by.get('long text beyond the indexed length')!.bodyText!.length, indexedBodyChars);
});

test('M3 where mailparser was wrong, the summary reads the message as the RFCs say', async () => {
  const by = new Map(divergent.map(([name, raw]) => [name, raw]));
  // mailparser dates an unreadable Date header "now", a different time at every parse.
  const undated = by.get('invalid Date header')!;
  assert.notEqual((await mailparserSummary(undated)).sentDate, null);
  assert.equal(summarize(undated).sentDate, null);
  // mailsplit reads the line break before a delimiter as the body of an empty part; RFC 2046 §5.1.1 gives it to the delimiter.
  const emptyPart = by.get('empty text part beside HTML')!;
  assert.equal((await mailparserSummary(emptyPart)).bodyText, '\n\nonly html');
  assert.equal(summarize(emptyPart).bodyText, 'only html');
  assert.equal(summarize(emptyPart).preview, (await mailparserSummary(emptyPart)).preview);
  // mailsplit gives up on a header block over 1 MB and the whole summary is lost; the fields are still there.
  const bigHeader = by.get('header block over 1 MB')!;
  assert.equal((await mailparserSummary(bigHeader)).subject, '');
  assert.equal(summarize(bigHeader).subject, 'still read');
  // A part of multipart/digest without Content-Type is message/rfc822 (RFC 2046 §5.1.5), an attachment, not text.
  const digest = by.get('multipart/digest part without Content-Type')!;
  assert.match((await mailparserSummary(digest)).bodyText!, /Subject: digested/);
  assert.deepEqual([summarize(digest).bodyText, summarize(digest).hasAttachments], ['', true]);
});

test('M3 a summary never throws: unparsable input gives the empty summary or what could be read', () => {
  for (const raw of [Buffer.from('\r\n\r\n'), Buffer.from('Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\n'), Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x0a])]) {
    assert.equal(typeof summarize(raw).subject, 'string');
  }
});

test('M3 a message in shared memory (as the message workers read it) gives the same summary', () => {
  for (const [name, raw] of corpus) assert.deepEqual(fields(summarize(sharedConcat([raw]))), fields(summarize(raw)), name);
});

/** Long messages whose previews are read from the start of their text only: words, CJK, emoji, white space runs, either line end. */
function longMessages(count: number): [string, Buffer][] {
  let s = 7;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)];
  const pieces = ['timetable ', 'minutes ', '课程表', '通知。', '😀', 'é', '\r\n', '\n', '  ', '\t', '\r', '\u00a0'];
  const text = (chars: number) => {
    const out: string[] = [];
    for (let n = 0; n < chars; ) {
      const p = pick(pieces);
      out.push(p);
      n += p.length;
    }
    return out.join('');
  };
  return Array.from({ length: count }, (_, i) => {
    const lead = pick(['', ' \r\n', ' '.repeat(15_990), '\r\n'.repeat(9_000), ' '.repeat(120_000)]);
    // Sparse text: the preview then reads its whole window, 16 000 characters after the leading white space.
    const sparse = () => Array.from({ length: 200 }, () => `${pick(['x', '课', '😀', 'é'])}${' '.repeat(100 + Math.floor(r() * 100))}`).join('');
    const body = lead + (r() < 0.3 ? sparse() : text(pick([10, 15_000, 16_100, 18_000, 30_000, 120_000])));
    const encoded = pick(['8bit', '8bit', 'base64']);
    const bytes = encoded === 'base64' ? Buffer.from(body).toString('base64').replace(/.{76}/g, '$&\r\n') : body;
    const plain = `Content-Type: text/plain; charset=${pick(['utf-8', 'us-ascii', 'gbk'])}\r\nContent-Transfer-Encoding: ${encoded}\r\n\r\n${bytes}`;
    const shape = pick(['plain', 'alternative', 'mixed', 'html']);
    const html = `Content-Type: text/html; charset=utf-8\r\n\r\n<p>${text(2_000)}</p>`;
    const mime =
      shape === 'plain' ? plain
      : shape === 'html' ? html
      : `Content-Type: multipart/${shape}; boundary=b\r\n\r\n--b\r\n${plain}\r\n--b\r\n${shape === 'mixed' ? `Content-Type: text/plain\r\n\r\n${text(20_000)}` : html}\r\n--b--\r\n`;
    return [`long message ${i} (${shape}, ${encoded}, lead ${lead.length})`, Buffer.from(`From: a@example.org\r\nTo: b@example.org\r\nSubject: s${i}\r\nMIME-Version: 1.0\r\n${mime}`)];
  });
}

test('M3 a preview read from the start of the text only (the message workers\' parse) is the one read from the whole text', () => {
  for (const [name, raw] of [...corpus, ...randomCorpus(200), ...longMessages(300)]) {
    const whole = summarize(raw);
    assert.deepEqual(fields(summarize(raw, undefined, true)), fields({ ...whole, bodyText: undefined }), name);
  }
});
