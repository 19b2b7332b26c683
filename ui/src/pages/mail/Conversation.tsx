// 会话: every message of the open message's thread (RFC 8621 Thread/get), oldest first, in all
// folders (the replies in 已发送 too); a click opens one.
import { Box, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listDate, personName } from './format.ts';
import { idsOf, jmap } from './jmap.ts';
import { rowProperties, type Row } from './messageList.ts';
import { usePushVersion } from './push.ts';

function useThread(threadId: string): Row[] | null {
  const version = usePushVersion();
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => {
    let live = true;
    jmap([
      ['Thread/get', { ids: [threadId] }],
      ['Email/get', { '#ids': idsOf(0, 'Thread/get', '/list/*/emailIds'), properties: rowProperties }],
    ]).then(
      ([, g]) => live && setRows((g.list as Row[]).toSorted((a, b) => a.receivedAt.localeCompare(b.receivedAt))),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [threadId, version]);
  return rows;
}

export function Conversation({ threadId, openId, onOpen }: { threadId: string; openId: string; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const rows = useThread(threadId);
  if (!rows || rows.length < 2) return null;
  return (
    <Box px="md" pb="xs" data-testid="conversation">
      <Text size="xs" c="dimmed" mb={4} id="conversation-title">{t('webmail.thread.count', { count: rows.length })}</Text>
      <Stack gap={0} component="ol" aria-labelledby="conversation-title" style={{ listStyle: 'none', margin: 0, padding: 0, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}>
        {rows.map((r) => (
          <li key={r.id}>
            <UnstyledButton
              onClick={() => onOpen(r.id)}
              aria-current={r.id === openId || undefined}
              data-testid="conversation-message"
              data-id={r.id}
              px="xs"
              py={4}
              w="100%"
              style={{ background: r.id === openId ? 'var(--mantine-color-blue-0)' : undefined }}
            >
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={r.keywords.$seen ? 400 : 700} truncate="end" maw="35%">{personName(r.from?.[0]) || t('webmail.noSender')}</Text>
                <Text size="xs" c="dimmed" truncate="end" style={{ flex: 1 }}>{r.preview}</Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{listDate(r.receivedAt)}</Text>
              </Group>
            </UnstyledButton>
          </li>
        ))}
      </Stack>
    </Box>
  );
}
