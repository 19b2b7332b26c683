import { TagsInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { jmap } from '../jmap.ts';
import type { Address } from '../messageList.ts';
import { personFull } from '../format.ts';

let known: Promise<string[]> | null = null;

/** Addresses the user has mailed or received mail from: the newest 300 messages of every folder. */
function knownAddresses(): Promise<string[]> {
  known ??= jmap([
    ['Email/query', { sort: [{ property: 'receivedAt', isAscending: false }], limit: 300 }],
    ['Email/get', { '#ids': { resultOf: '0', name: 'Email/query', path: '/ids' }, properties: ['from', 'to', 'cc'] }],
  ]).then(([, g]) => {
    const seen = new Map<string, string>();
    for (const e of g.list as { from: Address[] | null; to: Address[] | null; cc: Address[] | null }[]) {
      for (const a of [...(e.from ?? []), ...(e.to ?? []), ...(e.cc ?? [])]) if (a.email && !seen.has(a.email.toLowerCase())) seen.set(a.email.toLowerCase(), personFull(a));
    }
    return [...seen.values()];
  }, () => []);
  return known;
}

export function Recipients({ label, value, onChange, testId, autoFocus }: { label: string; value: string[]; onChange: (v: string[]) => void; testId: string; autoFocus?: boolean }) {
  const [data, setData] = useState<string[]>([]);
  useEffect(() => void knownAddresses().then(setData), []);
  return <TagsInput label={label} value={value} onChange={onChange} data={data} limit={8} splitChars={[',', ';', ' ']} acceptValueOnBlur clearable data-testid={testId} data-autofocus={autoFocus || undefined} comboboxProps={{ withinPortal: true }} />;
}
