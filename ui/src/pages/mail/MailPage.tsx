import { Box, Center, Loader, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMailPrefs } from '../../mailPrefs.ts';
import { notify } from '../../notify.ts';
import { navigate, useSearchParams } from '../../router.ts';
import { archiveBox, createFolder, deleteFolder, emptyFolder, allIds, moveTo, remove, renameFolder, reportSpam, setKeyword, threadEmailIds } from './actions.ts';
import { ConfirmDialog, NameDialog, ShortcutsHelp, type Confirm, type NamePrompt } from './Dialogs.tsx';
import type { FullEmail } from './email.ts';
import { FolderList } from './FolderList.tsx';
import { JmapError } from './jmap.ts';
import { ListHeader, type BulkAction } from './ListHeader.tsx';
import { findRole, mailboxLabel, useMailboxes, type Mailbox } from './mailboxes.ts';
import { MessageList } from './MessageList.tsx';
import { useMessageList, type Row } from './messageList.ts';
import { PendingBar } from './PendingBar.tsx';
import { Reader, type ComposeMode } from './Reader.tsx';
import { SearchBar } from './SearchBar.tsx';
import { listFilter, readSearch, searchParams, writeSearch, type Search } from './search.ts';
import { useSnippets } from './snippets.ts';

// The editor (TipTap) is the largest part of the webmail: fetched when a message is first written.
const Compose = lazy(() => import('./compose/Compose.tsx'));

export interface ComposeRequest {
  mode: ComposeMode | 'new' | 'draft';
  email?: FullEmail;
  /** A message given back by 撤销 (undo send), or a draft reopened. */
  restore?: unknown;
}

const typing = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** 邮件: folders, the message list and the reading pane; on a phone one of them at a time. */
export function MailPage() {
  const { t } = useTranslation();
  const params = useSearchParams();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const prefs = useMailPrefs();
  const { boxes } = useMailboxes();
  const search = readSearch(params);
  const box = boxes?.find((b) => b.id === params.get('box')) ?? findRole(boxes, 'inbox');
  const openId = params.get('id');
  const showFolders = params.get('pane') === 'folders';
  const conversations = prefs.conversationView && !search;
  const filter = useMemo(() => (box ? listFilter(search, box.id) : null), [box?.id, JSON.stringify(search)]);
  const list = useMessageList({ filter: filter ?? { inMailbox: '' }, collapseThreads: conversations }, prefs.pageSize);
  const snippets = useSnippets(search ? filter : null, list);

  const [selected, setSelected] = useState(new Map<string, Row>());
  const [allInFolder, setAllInFolder] = useState(false);
  const anchor = useRef<number | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [prompt, setPrompt] = useState<NamePrompt | null>(null);
  const [help, setHelp] = useState(false);
  const [compose, setCompose] = useState<ComposeRequest | null>(null);
  const readerKeys = useRef<Record<string, () => void> | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setSelected(new Map());
    setAllInFolder(false);
  }, [box?.id, JSON.stringify(search)]);

  const go = useCallback((change: Record<string, string | null>, replace = false) => {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(change)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    const qs = next.toString();
    navigate(`/mail${qs ? `?${qs}` : ''}`, { replace });
  }, []);

  const openRow = (row: Row) => {
    if (box?.role === 'drafts') return setCompose({ mode: 'draft', restore: row.id });
    openedHere.current = true;
    go({ id: row.id, pane: null });
  };
  // Back returns to the list the message was opened from; a message opened by its address goes to its folder.
  const openedHere = useRef(false);
  const back = () => {
    if (openedHere.current) history.back();
    else go({ id: null, pane: null }, true);
    openedHere.current = false;
  };
  const step = (delta: number) => {
    const rows = list.loaded();
    const at = rows.findIndex((r) => r.id === openId);
    const next = rows[at < 0 ? 0 : at + delta];
    if (next) go({ id: next.id }, true);
  };
  // The server may answer a move or delete after the user has gone on to another message or folder: then what they look at stays.
  const shown = params.toString();
  const afterGone = () => {
    if (new URLSearchParams(location.search).toString() !== shown) return;
    const rows = list.loaded();
    const at = rows.findIndex((r) => r.id === openId);
    const next = rows[at + 1] ?? rows[at - 1];
    go({ id: phone || !next ? null : next.id }, true);
  };

  const ids = async (rows: Row[]) => (conversations ? threadEmailIds([...new Set(rows.map((r) => r.threadId))]) : rows.map((r) => r.id));
  const selection = async () => (allInFolder && box ? allIds(box.id) : ids([...selected.values()]));
  const bulk = async (action: BulkAction, target?: Mailbox) => {
    if (!boxes) return;
    const chosen = await selection();
    const run = async () => {
      if (action === 'read' || action === 'unread') await setKeyword(chosen, '$seen', action === 'read');
      else if (action === 'star') await setKeyword(chosen, '$flagged', true);
      else if (action === 'archive') await moveTo(chosen, await archiveBox());
      else if (action === 'spam') await reportSpam(chosen, boxes, box?.role !== 'junk');
      else if (action === 'move' && target) await moveTo(chosen, target.id);
      else if (action === 'delete') await remove(chosen, boxes, box);
      setSelected(new Map());
      setAllInFolder(false);
    };
    if (action === 'delete' && box?.role === 'trash') setConfirm({ message: t('webmail.confirm.deleteForever', { count: chosen.length }), action: t('webmail.action.deleteForever'), run: () => void run() });
    else await run();
  };
  const select = (row: Row, index: number, event: MouseEvent) => {
    const next = new Map(selected);
    if (event.shiftKey && anchor.current !== null) {
      const [from, to] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
      for (let i = from; i <= to; i++) {
        const r = list.rowAt(i);
        if (r) next.set(r.id, r);
      }
    } else if (next.has(row.id)) next.delete(row.id);
    else next.set(row.id, row);
    anchor.current = index;
    setAllInFolder(false);
    setSelected(next);
  };
  const dragIds = (row: Row) => (selected.has(row.id) ? [...selected.keys()] : [row.id]);
  const dropped = (dragged: string[], to: Mailbox) => void (conversations ? threadEmailIds([...new Set(dragged.map((id) => list.loaded().find((r) => r.id === id)?.threadId ?? ''))].filter(Boolean)) : Promise.resolve(dragged)).then((chosen) => moveTo(chosen, to.id));

  // The server's refusals are in English: the dialog says in the page's language what went wrong.
  const named = (parentId: string | null, work: (name: string) => Promise<void>, self?: string) => async (name: string) => {
    if (boxes?.some((b) => b.parentId === parentId && b.id !== self && b.name === name)) throw new Error(t('webmail.folder.nameTaken'));
    await work(name).catch(() => {
      throw new Error(t('webmail.folder.nameRefused'));
    });
  };
  const newFolder = (parent?: Mailbox) => setPrompt({ title: parent ? t('webmail.folder.newIn', { name: parent.name }) : t('webmail.folder.new'), initial: '', run: named(parent?.id ?? null, (name) => createFolder(name, parent?.id ?? null)) });
  const rename = (b: Mailbox) => setPrompt({ title: t('webmail.folder.rename'), initial: b.name, run: named(b.parentId, (name) => renameFolder(b.id, name), b.id) });
  const delFolder = (b: Mailbox) => setConfirm({ message: t('webmail.confirm.deleteFolder', { name: b.name }), action: t('webmail.folder.delete'), run: () => void deleteFolder(b.id).then(() => b.id === box?.id && go({ box: null, id: null }), (e) => notify('error', t(e instanceof JmapError && e.type === 'mailboxHasChild' ? 'webmail.folder.hasChildren' : 'webmail.folder.notDeleted', { name: b.name }))) });
  const empty = () => box && setConfirm({ message: t('webmail.confirm.empty', { name: mailboxLabel(box, t), count: box.totalEmails }), action: t('webmail.list.empty' + (box.role === 'trash' ? 'Trash' : 'Junk')), run: () => void emptyFolder(box.id) });
  const startCompose = (mode: ComposeMode, email: FullEmail) => setCompose({ mode, email });

  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || compose || document.querySelector('[role="dialog"]')) return;
    const own: Record<string, () => void> = {
      c: () => setCompose({ mode: 'new' }),
      j: () => step(1),
      k: () => step(-1),
      u: () => openId && back(),
      '/': () => searchInput.current?.focus(),
      '?': () => setHelp(true),
    };
    const run = own[e.key] ?? readerKeys.current?.[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  if (!boxes || !box) return <Center h="calc(100dvh - 56px)"><Loader /></Center>;

  const title = search ? t('webmail.search.results') : mailboxLabel(box, t);
  const folders = (
    <FolderList
      boxes={boxes}
      currentId={search?.everywhere ? null : box.id}
      onOpen={(b) => go({ box: b.id, id: null, pane: null, ...Object.fromEntries(searchParams.map((k) => [k, null])) })}
      onDropEmails={dropped}
      onCompose={() => setCompose({ mode: 'new' })}
      onNewFolder={newFolder}
      onRename={rename}
      onDelete={delFolder}
    />
  );
  const listPane = (
    <Stack gap={0} h="100%" style={{ minWidth: 0 }}>
      <Box px="sm" pt="sm">
        <SearchBar ref={searchInput} search={search} onSearch={(s: Search | null) => navigate(`/mail?${writeSearch(new URLSearchParams(location.search), s).toString()}`)} />
      </Box>
      <ListHeader
        title={title}
        total={list.total}
        box={box}
        boxes={boxes}
        selectedCount={selected.size}
        allInFolder={allInFolder}
        phone={phone}
        onFolders={() => go({ pane: 'folders' })}
        onSelectPage={(on) => {
          setAllInFolder(false);
          setSelected(on ? new Map(list.loaded().map((r) => [r.id, r])) : new Map());
        }}
        onSelectAllInFolder={() => setAllInFolder(true)}
        onBulk={(a, target) => void bulk(a, target).catch(() => {})}
        onEmpty={empty}
      />
      <MessageList list={list} openId={openId} selected={new Set(selected.keys())} showRecipients={box.role === 'sent' || box.role === 'drafts'} snippets={snippets} onOpen={openRow} onSelect={select} dragIds={dragIds} />
    </Stack>
  );
  const reader = openId ? (
    <Reader id={openId} boxes={boxes} box={box} onBack={back} onCompose={startCompose} onGone={afterGone} confirmDelete={(run) => setConfirm({ message: t('webmail.confirm.deleteForever', { count: 1 }), action: t('webmail.action.deleteForever'), run })} bindKeys={(k) => (readerKeys.current = k)} conversation={conversations} onOpen={(other) => go({ id: other }, true)} />
  ) : (
    <Center h="100%"><Text c="dimmed">{t('webmail.read.nothing')}</Text></Center>
  );
  const column = { height: '100%', overflow: 'hidden', borderRight: '1px solid var(--mantine-color-gray-3)' } as const;

  return (
    <Box h="calc(100dvh - 56px)" data-testid="mail-page" data-layout={phone ? 'phone' : 'desktop'}>
      {phone ? (
        <Box h="100%">{showFolders ? folders : openId ? reader : listPane}</Box>
      ) : (
        <Box h="100%" style={{ display: 'grid', gridTemplateColumns: '220px minmax(300px, 400px) minmax(0, 1fr)' }}>
          <Box style={column}>{folders}</Box>
          <Box style={column}>{listPane}</Box>
          <Box style={{ height: '100%', overflow: 'auto', display: 'flex', flexDirection: 'column' }}>{reader}</Box>
        </Box>
      )}
      {compose && (
        <Suspense fallback={null}>
          <Compose request={compose} boxes={boxes} onClose={() => setCompose(null)} onRestore={(restore) => setCompose({ mode: 'draft', restore })} />
        </Suspense>
      )}
      <PendingBar />
      <ConfirmDialog confirm={confirm} onClose={() => setConfirm(null)} />
      <NameDialog prompt={prompt} onClose={() => setPrompt(null)} />
      <ShortcutsHelp opened={help} onClose={() => setHelp(false)} />
    </Box>
  );
}
