import { ActionIcon, Anchor, Button, Checkbox, Group, Menu, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from './icons.tsx';
import { mailboxLabel, type Mailbox } from './mailboxes.ts';

export type BulkAction = 'read' | 'unread' | 'star' | 'delete' | 'archive' | 'spam' | 'move';

interface Props {
  title: string;
  total: number | null;
  box: Mailbox | undefined;
  boxes: Mailbox[];
  selectedCount: number;
  allInFolder: boolean;
  phone: boolean;
  onFolders: () => void;
  onSelectPage: (on: boolean) => void;
  onSelectAllInFolder: () => void;
  onBulk: (action: BulkAction, target?: Mailbox) => void;
  onEmpty: () => void;
}

/** Above the list: the folder, its count, select-all, and what can be done with the selection. */
export function ListHeader({ title, total, box, boxes, selectedCount, allInFolder, phone, onFolders, onSelectPage, onSelectAllInFolder, onBulk, onEmpty }: Props) {
  const { t } = useTranslation();
  const some = selectedCount > 0;
  return (
    <>
      <Group gap="xs" px="sm" py={6} wrap="nowrap" justify="space-between">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          {phone && (
            <ActionIcon variant="subtle" color="gray" onClick={onFolders} aria-label={t('webmail.folders')} data-testid="show-folders">
              <Icon name="menu" />
            </ActionIcon>
          )}
          <Checkbox size="xs" checked={some} indeterminate={some && !allInFolder && selectedCount < (total ?? 0)} onChange={(e) => onSelectPage(e.currentTarget.checked)} aria-label={t('webmail.list.selectPage')} data-testid="select-page" />
          <Text fw={600} truncate="end" data-testid="list-title">{title}</Text>
          {total !== null && <Text size="xs" c="dimmed" data-testid="list-total">{t('webmail.list.total', { count: total })}</Text>}
        </Group>
        {(box?.role === 'trash' || box?.role === 'junk') && !some && total ? (
          <Button size="compact-xs" variant="subtle" color="red" onClick={onEmpty} data-testid="empty-folder">
            {t(box.role === 'trash' ? 'webmail.list.emptyTrash' : 'webmail.list.emptyJunk')}
          </Button>
        ) : null}
      </Group>
      {some && (
        <Group gap={4} px="sm" pb={6} wrap="wrap" data-testid="bulk-bar">
          <Text size="xs" c="dimmed">{allInFolder ? t('webmail.list.allSelected', { count: total ?? 0 }) : t('webmail.list.selected', { count: selectedCount })}</Text>
          {!allInFolder && box && total !== null && total > selectedCount && (
            <Anchor size="xs" component="button" onClick={onSelectAllInFolder} data-testid="select-all-folder">
              {t('webmail.list.selectAllInFolder', { count: total })}
            </Anchor>
          )}
          <Button size="compact-xs" variant="subtle" onClick={() => onBulk('read')}>{t('webmail.action.markRead')}</Button>
          <Button size="compact-xs" variant="subtle" onClick={() => onBulk('unread')}>{t('webmail.action.markUnread')}</Button>
          <Button size="compact-xs" variant="subtle" onClick={() => onBulk('star')}>{t('webmail.action.star')}</Button>
          <Button size="compact-xs" variant="subtle" onClick={() => onBulk('archive')}>{t('webmail.action.archive')}</Button>
          <Button size="compact-xs" variant="subtle" onClick={() => onBulk('spam')}>{t(box?.role === 'junk' ? 'webmail.action.notSpam' : 'webmail.action.spam')}</Button>
          <Menu>
            <Menu.Target>
              <Button size="compact-xs" variant="subtle" data-testid="bulk-move">{t('webmail.action.move')}</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {boxes.filter((b) => b.id !== box?.id).map((b) => (
                <Menu.Item key={b.id} onClick={() => onBulk('move', b)} pl={12 + b.depth * 12}>{mailboxLabel(b, t)}</Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => onBulk('delete')} data-testid="bulk-delete">{t('webmail.action.delete')}</Button>
        </Group>
      )}
    </>
  );
}
