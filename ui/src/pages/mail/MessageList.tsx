import { Box, Checkbox, Group, Loader, Text, VisuallyHidden } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type DragEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { listDate, personName } from './format.ts';
import { Icon } from './icons.tsx';
import type { MessageList as List, Row } from './messageList.ts';

export const rowHeight = 76;
export const dragType = 'application/x-postern-emails';

interface Props {
  list: List;
  openId: string | null;
  selected: Set<string>;
  /** The sent folders show whom a message went to, the others who sent it. */
  showRecipients: boolean;
  snippets: Map<string, { subject: string | null; preview: string | null }>;
  onOpen: (row: Row) => void;
  onSelect: (row: Row, index: number, event: MouseEvent) => void;
  dragIds: (row: Row) => string[];
}

/** Search highlights arrive as HTML with <mark> only (SearchSnippet): shown by splitting, never as HTML. */
function Highlighted({ text }: { text: string }) {
  const parts = text.split(/(<mark>.*?<\/mark>)/g);
  const plain = (s: string) => s.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return <>{parts.map((p, i) => (p.startsWith('<mark>') ? <mark key={i}>{plain(p)}</mark> : plain(p)))}</>;
}

/** The folder's messages, only the visible rows in the page (100 000 rows scroll like 100). */
export function MessageList({ list, openId, selected, showRecipients, snippets, onOpen, onSelect, dragIds }: Props) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: list.total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 8 });
  const items = virtual.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => list.show(first, last), [first, last, list]);

  if (list.total === null) return <Group p="lg"><Loader size="sm" /></Group>;
  if (list.total === 0) return <Text p="lg" c="dimmed" data-testid="list-empty">{t('webmail.list.empty')}</Text>;

  const drag = (row: Row) => (e: DragEvent) => {
    e.dataTransfer.setData(dragType, JSON.stringify(dragIds(row)));
    e.dataTransfer.effectAllowed = 'move';
  };

  return (
    <Box ref={scroller} style={{ flex: 1, overflowY: 'auto', contain: 'strict' }} data-testid="message-list" aria-label={t('webmail.list.label')} role="list">
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = list.rowAt(item.index);
          const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` };
          if (!row) return <div key={item.key} style={style} role="listitem" data-testid="row-loading" />;
          // A conversation is unread while any of its messages is.
          const unread = row.threadUnread ?? !row.keywords.$seen;
          const who = showRecipients ? (row.to ?? []).map(personName).join(', ') : personName(row.from?.[0]);
          const snippet = snippets.get(row.id);
          return (
            <div
              key={item.key}
              style={{ ...style, cursor: 'pointer', borderBottom: '1px solid var(--mantine-color-gray-2)', background: row.id === openId ? 'var(--mantine-color-blue-0)' : selected.has(row.id) ? 'var(--mantine-color-gray-1)' : undefined }}
              role="listitem"
              data-testid="message-row"
              data-id={row.id}
              data-unread={unread || undefined}
              draggable
              onDragStart={drag(row)}
              onClick={() => onOpen(row)}
            >
              <Group gap="xs" wrap="nowrap" px="sm" py={8} align="flex-start">
                <Checkbox size="xs" mt={4} checked={selected.has(row.id)} onClick={(e) => { e.stopPropagation(); onSelect(row, item.index, e); }} onChange={() => {}} aria-label={t('webmail.list.select', { subject: row.subject ?? '' })} data-testid="row-select" />
                <Box style={{ flex: 1, minWidth: 0 }}>
                  <Group gap={6} wrap="nowrap" justify="space-between">
                    <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
                      <Text size="sm" fw={unread ? 700 : 400} truncate="end" data-testid="row-sender">{who || t('webmail.noSender')}</Text>
                      {(row.threadSize ?? 0) > 1 && (
                        <Text size="xs" c="dimmed" component="span" data-testid="row-thread-size">
                          <span aria-hidden>{row.threadSize}</span>
                          <VisuallyHidden>{t('webmail.thread.count', { count: row.threadSize })}</VisuallyHidden>
                        </Text>
                      )}
                    </Group>
                    <Group gap={4} wrap="nowrap" c="dimmed">
                      {row.hasAttachment && <span aria-label={t('webmail.list.hasAttachment')} role="img"><Icon name="clip" size={14} /></span>}
                      {row.keywords.$flagged && <Box c="yellow.7" aria-label={t('webmail.list.starred')} role="img" data-testid="row-star"><Icon name="star" size={14} filled /></Box>}
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{listDate(row.receivedAt)}</Text>
                    </Group>
                  </Group>
                  <Text size="sm" fw={unread ? 600 : 400} truncate="end" data-testid="row-subject">
                    {snippet?.subject ? <Highlighted text={snippet.subject} /> : row.subject || t('webmail.noSubject')}
                  </Text>
                  <Text size="xs" c="dimmed" truncate="end" data-testid="row-preview">
                    {snippet?.preview ? <Highlighted text={snippet.preview} /> : row.preview}
                  </Text>
                </Box>
              </Group>
            </div>
          );
        })}
      </div>
    </Box>
  );
}
