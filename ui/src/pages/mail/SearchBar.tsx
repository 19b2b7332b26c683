import { ActionIcon, Button, Checkbox, Group, Popover, Stack, TextInput } from '@mantine/core';
import { forwardRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './icons.tsx';
import { isSearch, type Search } from './search.ts';

const empty: Search = { q: '', from: '', to: '', subject: '', attachment: false, unread: false, flagged: false, after: '', before: '', everywhere: false };

/** One box for the server's full-text search, and a panel of filters (from, to, subject, dates, unread, starred, attachment, folder). */
export const SearchBar = forwardRef<HTMLInputElement, { search: Search | null; onSearch: (s: Search | null) => void }>(function SearchBar({ search, onSearch }, ref) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Search>(search ?? empty);
  const [lastSearch, setLastSearch] = useState(search);
  const [open, setOpen] = useState(false);
  if (search !== lastSearch && JSON.stringify(search) !== JSON.stringify(lastSearch)) {
    setLastSearch(search);
    setDraft(search ?? empty);
  }
  const submit = (s: Search) => {
    setOpen(false);
    onSearch(isSearch(s) ? s : null);
  };
  const field = (k: 'from' | 'to' | 'subject') => <TextInput label={t(`webmail.search.${k}`)} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.currentTarget.value })} data-testid={`search-${k}`} />;
  return (
    <form role="search" onSubmit={(e) => { e.preventDefault(); submit(draft); }} style={{ flex: 1 }}>
      <Group gap={4} wrap="nowrap">
        <TextInput
          ref={ref}
          style={{ flex: 1 }}
          size="sm"
          leftSection={<Icon name="search" size={16} />}
          placeholder={t('webmail.search.placeholder')}
          aria-label={t('webmail.search.label')}
          value={draft.q}
          onChange={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
          data-testid="search"
        />
        <Popover opened={open} onChange={setOpen} position="bottom-end" width={340} trapFocus>
          <Popover.Target>
            <Button size="sm" variant="subtle" onClick={() => setOpen((o) => !o)} data-testid="search-filters">{t('webmail.search.filters')}</Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="xs">
              {field('from')}
              {field('to')}
              {field('subject')}
              <Group grow>
                <TextInput type="date" label={t('webmail.search.after')} value={draft.after} onChange={(e) => setDraft({ ...draft, after: e.currentTarget.value })} />
                <TextInput type="date" label={t('webmail.search.before')} value={draft.before} onChange={(e) => setDraft({ ...draft, before: e.currentTarget.value })} />
              </Group>
              {(['unread', 'flagged', 'attachment'] as const).map((k) => (
                <Checkbox key={k} label={t(`webmail.search.${k}`)} checked={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.currentTarget.checked })} data-testid={`search-${k}`} />
              ))}
              <Checkbox label={t('webmail.search.everywhere')} checked={draft.everywhere} onChange={(e) => setDraft({ ...draft, everywhere: e.currentTarget.checked })} data-testid="search-everywhere" />
              <Group justify="flex-end">
                <Button variant="default" size="xs" onClick={() => submit(empty)}>{t('webmail.search.clear')}</Button>
                <Button size="xs" onClick={() => submit(draft)}>{t('webmail.search.submit')}</Button>
              </Group>
            </Stack>
          </Popover.Dropdown>
        </Popover>
        {search && (
          <ActionIcon variant="subtle" color="gray" onClick={() => submit(empty)} aria-label={t('webmail.search.clear')} data-testid="search-clear">×</ActionIcon>
        )}
      </Group>
    </form>
  );
});
