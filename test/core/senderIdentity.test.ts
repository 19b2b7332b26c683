import { test } from 'node:test';
import { checkSenderIdentity } from '../../src/core/senderIdentity.ts';
import { rejects } from '../helpers/assertions.ts';

test('M6 the sender rule takes the account\'s addresses: an alias in the list may send, any other address may not', async () => {
  const own = ['alice@example.edu', 'sales@example.edu'];
  checkSenderIdentity({ envelopeFrom: 'alice@example.edu', from: ['Sales@Example.edu'], sender: ['alice@example.edu'] }, own);
  for (const claimed of [
    { envelopeFrom: 'president@example.edu', from: [], sender: [] },
    { envelopeFrom: 'alice@example.edu', from: ['alice@example.edu', 'president@example.edu'], sender: [] },
    { envelopeFrom: 'alice@example.edu', from: ['alice@example.edu'], sender: ['president@example.edu'] },
    { envelopeFrom: 'alice@example.edu', from: [''], sender: [] },
  ]) {
    await rejects((async () => checkSenderIdentity(claimed, own))(), 'sender_not_owned');
  }
});
