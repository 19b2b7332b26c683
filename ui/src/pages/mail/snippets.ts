// Search highlights (RFC 8621 §5 SearchSnippet/get) for the rows of a search that are loaded.
import { useEffect, useState } from 'react';
import { jmap, type Args } from './jmap.ts';
import type { MessageList } from './messageList.ts';

export type Snippets = Map<string, { subject: string | null; preview: string | null }>;

export function useSnippets(filter: Args | null, list: MessageList): Snippets {
  const [snippets, setSnippets] = useState<Snippets>(new Map());
  const ids = filter ? list.loaded().map((r) => r.id) : [];
  const key = ids.join(',');
  useEffect(() => {
    if (!filter || ids.length === 0) return setSnippets(new Map());
    let live = true;
    jmap([['SearchSnippet/get', { filter, emailIds: ids.slice(0, 500) }]]).then(
      ([r]) => live && setSnippets(new Map((r.list as { emailId: string; subject: string | null; preview: string | null }[]).map((s) => [s.emailId, s]))),
      // A server without SearchSnippet shows the rows without highlights.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [key, JSON.stringify(filter)]);
  return snippets;
}
