import { ActionIcon, Badge, Box, Button, Group, Menu, NavLink, ScrollArea, Text } from '@mantine/core';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { dragType } from './MessageList.tsx';
import { mailboxLabel, type Mailbox } from './mailboxes.ts';

interface Props {
  boxes: Mailbox[];
  currentId: string | null;
  onOpen: (box: Mailbox) => void;
  onDropEmails: (ids: string[], box: Mailbox) => void;
  onCompose: () => void;
  /** A new folder at the top level, or inside `parent`. */
  onNewFolder: (parent?: Mailbox) => void;
  onRename: (box: Mailbox) => void;
  onDelete: (box: Mailbox) => void;
}

/** System folders first (收件箱, 草稿箱, 已发送…), then the user's as a tree; unread counts follow pushes. */
export function FolderList({ boxes, currentId, onOpen, onDropEmails, onCompose, onNewFolder, onRename, onDelete }: Props) {
  const { t } = useTranslation();
  const { account } = useSession();
  const [over, setOver] = useState<string | null>(null);
  const drop = (box: Mailbox) => (e: DragEvent) => {
    e.preventDefault();
    setOver(null);
    const data = e.dataTransfer.getData(dragType);
    if (data) onDropEmails(JSON.parse(data) as string[], box);
  };
  return (
    <Box component="nav" aria-label={t('webmail.folders')} h="100%" style={{ display: 'flex', flexDirection: 'column' }} data-testid="folders">
      <Box p="sm">
        <Button fullWidth onClick={onCompose} data-testid="compose">
          {t('webmail.write')}
        </Button>
      </Box>
      <ScrollArea style={{ flex: 1 }}>
        {boxes.map((b) => (
          <Group
            key={b.id}
            gap={0}
            wrap="nowrap"
            onDragOver={(e) => {
              if (e.dataTransfer.types.includes(dragType)) {
                e.preventDefault();
                setOver(b.id);
              }
            }}
            onDragLeave={() => setOver(null)}
            onDrop={drop(b)}
            style={{ outline: over === b.id ? '2px dashed var(--mantine-color-blue-6)' : undefined }}
            data-testid="folder"
            data-role={b.role ?? undefined}
            data-name={b.name}
          >
            <NavLink
              component="button"
              active={b.id === currentId}
              onClick={() => onOpen(b)}
              pl={12 + b.depth * 14}
              label={mailboxLabel(b, t)}
              fw={b.unreadEmails ? 600 : undefined}
              rightSection={b.unreadEmails > 0 && b.role !== 'sent' && b.role !== 'drafts' ? <Badge size="sm" variant="light" data-testid="unread-count" aria-label={t('webmail.unread', { count: b.unreadEmails })}>{b.unreadEmails}</Badge> : null}
              style={{ flex: 1 }}
            />
            {!b.role && (
              <Menu position="right-start">
                <Menu.Target>
                  <ActionIcon variant="subtle" color="gray" size="sm" mr={4} aria-label={t('webmail.folderMenu', { name: b.name })} data-testid="folder-menu">
                    ⋯
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => onNewFolder(b)}>{t('webmail.folder.newInside')}</Menu.Item>
                  <Menu.Item onClick={() => onRename(b)}>{t('webmail.folder.rename')}</Menu.Item>
                  <Menu.Item color="red" onClick={() => onDelete(b)}>{t('webmail.folder.delete')}</Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        ))}
        <Box p="sm">
          <Button variant="subtle" size="compact-sm" onClick={() => onNewFolder()} data-testid="new-folder">
            + {t('webmail.folder.new')}
          </Button>
        </Box>
      </ScrollArea>
      {account?.lastLogin && (
        <Text size="xs" c="dimmed" p="sm" data-testid="mail-last-login">
          {t('welcome.lastLogin')}: {formatTime(account.lastLogin.at)} · {account.lastLogin.place}
        </Text>
      )}
    </Box>
  );
}
