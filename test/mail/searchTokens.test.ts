import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentTokens, highlighter, markMatches, messageTokens, queryTokens, searchField } from '../../src/mail/searchTokens.ts';

test('M5 search words: Chinese is cut into characters and bigrams, other scripts into lower-case words, addresses kept whole', () => {
  assert.deepEqual(documentTokens('周五的会议'), ['周', '五', '的', '会', '议', '周五', '五的', '的会', '会议']);
  assert.deepEqual(queryTokens('会议'), ['会议']);
  assert.deepEqual(queryTokens('周五的会议'), ['周五', '五的', '的会', '会议']);
  assert.deepEqual(queryTokens('会'), ['会']);
  assert.deepEqual(queryTokens('Quarterly REPORT, ＱＡ'), ['quarterly', 'report', 'qa']);
  assert.deepEqual(queryTokens('joe@Example.org'), ['joe@example.org']);
  assert.ok(documentTokens('From Joe <joe@example.org>').includes('joe@example.org'));
  assert.deepEqual(queryTokens('!!! ...'), []);
});

test('M5 search words remember the fields they came from', () => {
  const words = messageTokens({ subject: 'Budget 预算', from: 'Joe <joe@example.org>', to: 'zoe@example.edu', cc: '', preview: '', bodyText: 'the budget is attached' });
  assert.equal(words.get('budget'), searchField.subject | searchField.body);
  assert.equal(words.get('预算'), searchField.subject);
  assert.equal(words.get('joe'), searchField.from);
  assert.equal(words.get('attached'), searchField.body);
});

test('M5 SearchSnippet marks: whole words and Chinese runs in <mark>, the rest HTML-escaped, the preview at most 255 octets', () => {
  const pattern = highlighter(['foo', '会议'])!;
  assert.equal(markMatches('The Foo & <bar> food', pattern), 'The <mark>Foo</mark> &amp; &lt;bar&gt; food');
  assert.equal(markMatches('周五的会议在三楼', pattern), '周五的<mark>会议</mark>在三楼');
  assert.equal(markMatches('nothing here', pattern), null);
  const long = `${'前言'.repeat(200)} 关于会议的安排 ${'后记'.repeat(200)}`;
  const preview = markMatches(long, pattern, 255)!;
  assert.ok(Buffer.byteLength(preview) <= 255, `${Buffer.byteLength(preview)} octets`);
  assert.match(preview, /<mark>会议<\/mark>/);
});
