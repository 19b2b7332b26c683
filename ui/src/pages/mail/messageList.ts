// The rows of a folder or a search, fetched a page at a time by Email/query position (RFC 8621
// §4.4), so a folder of 100 000 messages costs what its visible rows cost.
import { useCallback, useEffect, useRef, useState } from 'react';
import { idsOf, jmap, type Args } from './jmap.ts';
import { usePushVersion } from './push.ts';

export interface Address {
  name: string | null;
  email: string;
}

export interface Row {
  id: string;
  threadId: string;
  mailboxIds: Record<string, true>;
  keywords: Record<string, true>;
  from: Address[] | null;
  to: Address[] | null;
  subject: string | null;
  preview: string;
  receivedAt: string;
  hasAttachment: boolean;
  /** Conversation view: how many messages the row's thread has, and whether any of them is unread. */
  threadSize?: number;
  threadUnread?: boolean;
}

export const rowProperties = ['id', 'threadId', 'mailboxIds', 'keywords', 'from', 'to', 'subject', 'preview', 'receivedAt', 'hasAttachment'];
export const sort = [{ property: 'receivedAt', isAscending: false }];

export interface ListQuery {
  filter: Args;
  collapseThreads: boolean;
}

export interface MessageList {
  /** null until the first page is in. */
  total: number | null;
  rowAt(index: number): Row | undefined;
  /** Asks for the rows from `start` to `end` (inclusive), e.g. what the list shows. */
  show(start: number, end: number): void;
  /** Every loaded row, in list order (for shift-click ranges and j/k). */
  loaded(): Row[];
}

export function useMessageList(query: ListQuery, pageSize: number): MessageList {
  const version = usePushVersion();
  const key = JSON.stringify(query);
  const pages = useRef(new Map<number, { rows: Row[]; version: number }>());
  const inFlight = useRef(new Set<string>());
  const range = useRef<[number, number]>([0, pageSize - 1]);
  const [total, setTotal] = useState<number | null>(null);
  const [, rerender] = useState(0);
  const current = useRef({ key, version });
  current.current = { key, version };
  // Counting a large folder costs more than a page of it: asked once per folder and change, with whichever page comes first.
  const counted = useRef('');

  const fetchPage = useCallback(
    (page: number) => {
      const ask = `${key}|${version}|${page}`;
      if (inFlight.current.has(ask)) return;
      inFlight.current.add(ask);
      const count = counted.current !== `${key}|${version}`;
      if (count) counted.current = `${key}|${version}`;
      const calls: [string, Args][] = [
        ['Email/query', { filter: query.filter, sort, collapseThreads: query.collapseThreads, position: page * pageSize, limit: pageSize, calculateTotal: count }],
        ['Email/get', { '#ids': idsOf(0, 'Email/query'), properties: rowProperties }],
      ];
      if (query.collapseThreads) {
        calls.push(['Thread/get', { '#ids': idsOf(1, 'Email/get', '/list/*/threadId') }]);
        calls.push(['Email/get', { '#ids': idsOf(2, 'Thread/get', '/list/*/emailIds'), properties: ['keywords'] }]);
      }
      jmap(calls)
        .then(([q, g, threads, members]) => {
          if (current.current.key !== key) return;
          const unread = new Set(((members?.list ?? []) as { id: string; keywords: Record<string, true> }[]).filter((e) => !e.keywords.$seen).map((e) => e.id));
          const byThread = new Map(((threads?.list ?? []) as { id: string; emailIds: string[] }[]).map((t) => [t.id, { size: t.emailIds.length, unread: t.emailIds.some((id) => unread.has(id)) }]));
          const byId = new Map((g.list as Row[]).map((r): [string, Row] => [r.id, { ...r, threadSize: byThread.get(r.threadId)?.size, threadUnread: byThread.get(r.threadId)?.unread }]));
          pages.current.set(page, { rows: (q.ids as string[]).map((id) => byId.get(id)).filter((r): r is Row => !!r), version });
          if (count) setTotal(q.total as number);
          rerender((n) => n + 1);
        })
        .catch(() => {
          if (count) counted.current = '';
        })
        .finally(() => inFlight.current.delete(ask));
    },
    [key, version, pageSize],
  );

  const show = useCallback(
    (start: number, end: number) => {
      range.current = [start, end];
      for (let p = Math.floor(Math.max(0, start) / pageSize); p <= Math.floor(Math.max(0, end) / pageSize); p++) {
        const have = pages.current.get(p);
        if (!have || have.version !== version) fetchPage(p);
      }
    },
    [fetchPage, pageSize, version],
  );

  // A new folder or search starts empty, from its first render on (a click must never land on the
  // last folder's rows); a push refetches what is on screen, the old rows stay until then.
  const lastKey = useRef(key);
  if (lastKey.current !== key) {
    lastKey.current = key;
    pages.current.clear();
    range.current = [0, pageSize - 1];
    if (total !== null) setTotal(null);
  }
  useEffect(() => show(...range.current), [key, version, show]);

  return {
    total,
    rowAt: (index) => pages.current.get(Math.floor(index / pageSize))?.rows[index % pageSize],
    show,
    loaded: () =>
      [...pages.current.entries()]
        .sort((a, b) => a[0] - b[0])
        .flatMap(([, p]) => p.rows),
  };
}
