import { ActionIcon, Alert, Box, Button, Group, Loader, Menu, Modal, ScrollArea, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMailPrefs } from '../../mailPrefs.ts';
import { useSession } from '../../session.tsx';
import { archiveBox, moveTo, remove, reportSpam, setKeyword } from './actions.ts';
import { Attachments } from './Attachments.tsx';
import { Conversation } from './Conversation.tsx';
import { authWarning } from './authResults.ts';
import { bodyOf, useEmail, type FullEmail } from './email.ts';
import { fullDate, people, personFull } from './format.ts';
import { Icon } from './icons.tsx';
import { downloadUrl } from './jmap.ts';
import { mailboxLabel, type Mailbox } from './mailboxes.ts';
import { MessageFrame } from './MessageFrame.tsx';
import { plainTextHtml } from './sanitize.ts';

export type ComposeMode = 'reply' | 'replyAll' | 'forward';

export interface ReaderProps {
  id: string;
  boxes: Mailbox[];
  box: Mailbox | undefined;
  onBack: () => void;
  onCompose: (mode: ComposeMode, email: FullEmail) => void;
  /** After the message left the folder (moved, deleted). */
  onGone: () => void;
  confirmDelete: (run: () => void) => void;
  /** Registers what the keyboard shortcuts do with the open message. */
  bindKeys: (keys: Record<string, () => void> | null) => void;
  /** Conversation view: the thread's other messages are listed, and opened with `onOpen`. */
  conversation: boolean;
  onOpen: (id: string) => void;
}

function SourceDialog({ email, onClose }: { email: FullEmail; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    void downloadUrl(email.blobId, 'message.eml', 'text/plain').then(async (url) => setText(await (await fetch(url, { credentials: 'same-origin' })).text()));
  }, [email.blobId]);
  return (
    <Modal opened onClose={onClose} title={t('webmail.read.source')} size="xl">
      {text === null ? <Loader /> : <ScrollArea.Autosize mah="70vh"><Box component="pre" fz="xs" m={0} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="source">{text}</Box></ScrollArea.Autosize>}
    </Modal>
  );
}

export function Reader({ id, boxes, box, onBack, onCompose, onGone, confirmDelete, bindKeys, conversation, onOpen }: ReaderProps) {
  const { t } = useTranslation();
  const { account } = useSession();
  const prefs = useMailPrefs();
  const email = useEmail(id);
  const [source, setSource] = useState(false);
  const seenOnce = useRef<string | null>(null);

  useEffect(() => {
    if (email && email !== 'missing' && !email.keywords.$seen && seenOnce.current !== email.id) {
      seenOnce.current = email.id;
      void setKeyword([email.id], '$seen', true).catch(() => {});
    }
  }, [email]);

  const ready = email && email !== 'missing' ? email : null;
  const inJunk = box?.role === 'junk';
  const act = (work: () => Promise<void>, leaves = true) => () => void work().then(() => leaves && onGone(), () => {});
  const del = () => (ready && box?.role === 'trash' ? confirmDelete(act(() => remove([ready.id], boxes, box))) : ready && act(() => remove([ready.id], boxes, box))());
  const actions = ready
    ? {
        reply: () => onCompose('reply', ready),
        replyAll: () => onCompose('replyAll', ready),
        forward: () => onCompose('forward', ready),
        delete: del,
        archive: act(async () => moveTo([ready.id], await archiveBox())),
        star: act(() => setKeyword([ready.id], '$flagged', !ready.keywords.$flagged), false),
        unread: act(() => setKeyword([ready.id], '$seen', !ready.keywords.$seen), false),
      }
    : null;
  const keysRef = useRef(bindKeys);
  keysRef.current = bindKeys;
  useEffect(() => {
    keysRef.current(actions && { r: actions.reply, a: actions.replyAll, f: actions.forward, '#': actions.delete, e: actions.archive, s: actions.star });
    return () => keysRef.current(null);
    // The bindings follow the message and its flags.
  }, [ready?.id, ready?.keywords.$flagged, ready?.keywords.$seen, box?.id]);

  if (email === 'missing') return <Text p="lg" c="dimmed">{t('webmail.read.gone')}</Text>;
  if (!ready || !actions) return <Group p="lg"><Loader size="sm" /></Group>;
  const body = bodyOf(ready);
  const sender = ready.from?.[0];
  const warning = authWarning(ready.authResults, sender?.email, account?.address.split('@')[1] ?? '');
  const visibleAttachments = ready.attachments.filter((p) => !(p.cid && p.disposition === 'inline' && body.html?.toLowerCase().includes(`cid:${p.cid.toLowerCase()}`)));
  const others = boxes.filter((b) => !ready.mailboxIds[b.id]);
  // The default reply (邮箱设置) comes first.
  const replyButtons = ([['reply', 'reply'], ['replyAll', 'reply-all']] as const).toSorted((a) => (a[0] === prefs.defaultReply ? -1 : 1));

  return (
    <Stack gap={0} h="100%" data-testid="reader">
      <Group gap={4} p="xs" wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Tooltip label={t('webmail.back')}>
          <ActionIcon variant="subtle" color="gray" onClick={onBack} aria-label={t('webmail.back')} data-testid="reader-back">
            <Icon name="back" />
          </ActionIcon>
        </Tooltip>
        {replyButtons.map(([mode, testId]) => (
          <Button key={mode} size="compact-sm" variant={mode === prefs.defaultReply ? 'light' : 'subtle'} onClick={actions[mode]} data-testid={testId}>{t(`webmail.action.${mode}`)}</Button>
        ))}
        <Button size="compact-sm" variant="subtle" onClick={actions.forward} data-testid="forward">{t('webmail.action.forward')}</Button>
        <Button size="compact-sm" variant="subtle" color="red" onClick={actions.delete} data-testid="delete">{t(box?.role === 'trash' ? 'webmail.action.deleteForever' : 'webmail.action.delete')}</Button>
        <Button size="compact-sm" variant="subtle" onClick={actions.archive} data-testid="archive">{t('webmail.action.archive')}</Button>
        <Menu position="bottom-start">
          <Menu.Target>
            <Button size="compact-sm" variant="subtle" data-testid="move">{t('webmail.action.move')}</Button>
          </Menu.Target>
          <Menu.Dropdown data-testid="move-menu">
            {others.map((b) => (
              <Menu.Item key={b.id} onClick={act(() => moveTo([ready.id], b.id))} pl={12 + b.depth * 12}>
                {mailboxLabel(b, t)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Menu position="bottom-start">
          <Menu.Target>
            <Button size="compact-sm" variant="subtle" data-testid="more">{t('webmail.action.more')}</Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={actions.unread} data-testid="toggle-read">{t(ready.keywords.$seen ? 'webmail.action.markUnread' : 'webmail.action.markRead')}</Menu.Item>
            <Menu.Item onClick={act(() => reportSpam([ready.id], boxes, !inJunk))} data-testid="spam">{t(inJunk ? 'webmail.action.notSpam' : 'webmail.action.spam')}</Menu.Item>
            <Menu.Item onClick={() => setSource(true)} data-testid="view-source">{t('webmail.read.source')}</Menu.Item>
          </Menu.Dropdown>
        </Menu>
        <Tooltip label={t(ready.keywords.$flagged ? 'webmail.action.unstar' : 'webmail.action.star')}>
          <ActionIcon variant="subtle" color={ready.keywords.$flagged ? 'yellow' : 'gray'} onClick={actions.star} aria-label={t(ready.keywords.$flagged ? 'webmail.action.unstar' : 'webmail.action.star')} aria-pressed={!!ready.keywords.$flagged} data-testid="star">
            <Icon name="star" filled={!!ready.keywords.$flagged} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Stack gap={4} px="md" py="sm">
        <Title order={3} fz="lg" data-testid="reader-subject">{ready.subject || t('webmail.noSubject')}</Title>
        <Text size="sm" data-testid="reader-from">{sender ? personFull(sender) : ''}</Text>
        <Text size="xs" c="dimmed">{t('webmail.read.to')}: {people(ready.to)}{ready.cc?.length ? ` · ${t('webmail.read.cc')}: ${people(ready.cc)}` : ''}</Text>
        <Text size="xs" c="dimmed">{fullDate(ready.sentAt ?? ready.receivedAt)}</Text>
      </Stack>
      {conversation && <Conversation threadId={ready.threadId} openId={ready.id} onOpen={onOpen} />}
      {warning && (
        <Alert color="red" mx="md" mb="xs" icon={<Icon name="warn" />} data-testid="auth-warning" title={t('webmail.read.warningTitle')}>
          {t(`webmail.read.${warning}`)}
        </Alert>
      )}
      <MessageFrame html={body.html ?? plainTextHtml(body.text)} parts={[...ready.attachments, ...ready.htmlBody]} sender={sender?.email} title={t('webmail.read.frameTitle', { subject: ready.subject ?? '' })} />
      <Attachments parts={visibleAttachments} />
      {source && <SourceDialog email={ready} onClose={() => setSource(false)} />}
    </Stack>
  );
}
