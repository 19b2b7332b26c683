import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matches, needsContent, parseCriteria, prepareTarget, SearchSyntaxError, type SearchTarget } from '../../../src/protocols/imap/searchCriteria.ts';
import { parseCommand } from '../../../src/protocols/imap/tokens.ts';

const raw = Buffer.from([
  'From: =?UTF-8?B?5byg5LiJ?= <zhangsan@example.edu>',
  'To: lisi@example.edu',
  'Cc: wangwu@example.edu',
  'Bcc: boss@example.edu',
  'Subject: =?GB2312?B?1tDOxA==?= report',
  'Date: Mon, 02 Nov 2026 01:00:00 +0800',
  'X-Priority: 1',
  'Content-Type: text/plain; charset=UTF-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('正文里有关键词 budget').toString('base64'),
  '',
].join('\r\n'));

async function target(): Promise<SearchTarget> {
  const t: SearchTarget = {
    seq: 2,
    maxSeq: 3,
    maxUid: 30,
    message: { uid: 20, flags: ['\\Seen', '\\Answered', '$Label1'], modseq: 7, internalDate: new Date('2026-11-03T12:00:00Z'), size: 600 },
    recent: false,
  };
  await prepareTarget(t, raw, 'body');
  return t;
}

function criteria(text: string) {
  const cmd = parseCommand(Buffer.from(`t SEARCH ${text}\r\n`));
  return parseCriteria(cmd.args, (t) => (t.kind === 'atom' ? Buffer.from(t.value, 'latin1').toString('utf8') : t.kind === 'string' ? t.value.toString('utf8') : ''));
}

test('M2 every RFC 3501 search key matches as specified', async () => {
  const t = await target();
  const cases: [string, boolean][] = [
    ['ALL', true], ['ANSWERED', true], ['UNANSWERED', false], ['DELETED', false], ['UNDELETED', true],
    ['DRAFT', false], ['UNDRAFT', true], ['FLAGGED', false], ['UNFLAGGED', true], ['SEEN', true], ['UNSEEN', false],
    ['NEW', false], ['OLD', true], ['RECENT', false], ['KEYWORD $Label1', true], ['UNKEYWORD $Label1', false],
    ['FROM 张三', true], ['FROM zhangsan', true], ['TO lisi', true], ['CC wangwu', true], ['BCC boss', true],
    ['SUBJECT 中文', true], ['SUBJECT "REPORT"', true], ['SUBJECT missing', false],
    ['HEADER X-Priority 1', true], ['HEADER X-Missing ""', false], ['HEADER x-priority ""', true],
    ['BODY 关键词', true], ['BODY zhangsan', false], ['TEXT zhangsan', true], ['TEXT budget', true],
    ['BEFORE 3-Nov-2026', false], ['ON 3-Nov-2026', true], ['SINCE 3-Nov-2026', true], ['SINCE 4-Nov-2026', false],
    ['SENTBEFORE 2-Nov-2026', false], ['SENTBEFORE 3-Nov-2026', true], ['SENTON 2-Nov-2026', true], ['SENTSINCE 3-Nov-2026', false],
    ['LARGER 599', true], ['LARGER 600', false], ['SMALLER 601', true],
    ['UID 20', true], ['UID 15:*', true], ['UID 21:*', false], ['UID 1:19', false], ['2', true], ['1,3', false], ['*', false],
    ['NOT SEEN', false], ['OR FLAGGED SEEN', true], ['(SEEN ANSWERED) NOT DELETED', true], ['(SEEN FLAGGED)', false],
    ['MODSEQ 7', true], ['MODSEQ 8', false], ['MODSEQ "/flags/\\\\draft" all 5', true],
  ];
  for (const [text, expected] of cases) assert.equal(matches(criteria(text), t), expected, text);
});

test('M2 search reads message content only when a key needs it', () => {
  assert.equal(needsContent(criteria('SEEN UID 1:*')), 'none');
  assert.equal(needsContent(criteria('OR SEEN FROM x')), 'headers');
  assert.equal(needsContent(criteria('NOT TEXT x')), 'body');
});

test('M2 malformed searches are syntax errors', () => {
  for (const bad of ['FROB', 'SINCE yesterday', 'LARGER big', 'OR SEEN', '()', 'UID 0', 'HEADER Subject']) {
    assert.throws(() => criteria(bad), SearchSyntaxError, bad);
  }
});

test('M2 BODY searches every text part decoded, HTML as text and as source, never attachments', () => {
  const multipart = Buffer.from([
    'From: a@example.edu',
    'Content-Type: multipart/mixed; boundary=m',
    '',
    '--m',
    'Content-Type: multipart/alternative; boundary=a',
    '',
    '--a',
    'Content-Type: text/plain; charset=gbk',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from([0xd6, 0xd0, 0xce, 0xc4]).toString('base64'),
    '--a',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '<p>rich <b>bold</b>=20words</p>',
    '--a--',
    '--m',
    'Content-Type: application/pdf',
    'Content-Disposition: attachment; filename=a.pdf',
    '',
    'attachmentword',
    '--m--',
    '',
  ].join('\r\n'));
  const t: SearchTarget = { seq: 1, maxSeq: 1, maxUid: 1, message: { uid: 1, flags: [], modseq: 1, internalDate: new Date(), size: multipart.length }, recent: false };
  prepareTarget(t, multipart, 'body');
  for (const [text, expected] of [['BODY 中文', true], ['BODY <b>bold</b>', true], ['BODY RICH', true], ['BODY attachmentword', false]] as const) {
    assert.equal(matches(criteria(text), t), expected, text);
  }
});
